// The reporters, one file per format; this picks one and writes where the user asked.

import fs from 'node:fs';
import type { ScanResult } from '../finding.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import type { ReportFormat, ReportOptions } from './options.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export { REPORT_FORMATS, type ReportFormat, type ReportOptions } from './options.js';

type Renderer = (result: ScanResult, options: ReportOptions) => string;

const RENDERERS = new Map<ReportFormat, Renderer>([
  ['text', renderText],
  ['json', renderJson],
  ['sarif', renderSarif],
]);

// Formats in their own modules register themselves here.
registerRenderer('github', renderGithub);

/** Lets another format (e.g. GitHub annotations) plug in without touching the others. */
export function registerRenderer(format: ReportFormat, renderer: Renderer): void {
  RENDERERS.set(format, renderer);
}

export function render(result: ScanResult, format: ReportFormat, options: ReportOptions): string {
  const renderer = RENDERERS.get(format);
  if (!renderer) throw new Error(`no renderer for format ${format}`);
  return renderer(result, options);
}

/** Writes the report to `output` (a file) or stdout; colour only for a terminal without NO_COLOR. */
export function writeReport(result: ScanResult, format: ReportFormat, options: ReportOptions & { output?: string }): void {
  if (options.output) {
    fs.writeFileSync(options.output, render(result, format, { ...options, color: false }));
    return;
  }
  const color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  process.stdout.write(render(result, format, { ...options, color }));
}
