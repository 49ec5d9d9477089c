export type ReportFormat = 'text' | 'json' | 'sarif' | 'github';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'github'];

export interface ReportOptions {
  /** Print full keys (`--reveal`); off by default. */
  reveal?: boolean;
  /** Colour the text report (only on a terminal, and never when NO_COLOR is set). */
  color?: boolean;
}
