export type ReportFormat = 'text' | 'json' | 'sarif' | 'github';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'github'];

export interface ReportOptions {
  /** Text: the advice under every finding (`--verbose`) instead of once per kind at the end. */
  verbose?: boolean;
  /** Text for a git hook: nothing when clean, no advice section (the hook's block message gives it). */
  hook?: boolean;
  /** Print full keys (`--reveal`); off by default. */
  reveal?: boolean;
  /** Colour the text report: false (`--no-color`) never; unset: colorWanted decides (FORCE_COLOR, NO_COLOR, a terminal). */
  color?: boolean;
}
