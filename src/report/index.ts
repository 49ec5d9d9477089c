// The reporters, one file per format; this picks one and writes where the user asked.

import fs from 'node:fs';
import { maskSecrets } from '../detector/index.js';
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

/**
* Whether to colour text for a stream, as Node and most CLIs read the environment: `--no-color`
 * (`flag` false) never; FORCE_COLOR forces it on (`0` or `false`: off) and wins over NO_COLOR, as in
 * Node; NO_COLOR (any non-empty value) turns it off; otherwise only on a terminal.
 */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env, flag?: boolean): boolean {
  if (flag === false) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  return stream.isTTY === true;
}

/**
 * Writes the report to `output` (a file, never coloured) or `stdout` (default: the process's), coloured
 * as colorWanted says. Without `reveal` the text goes through the one masking (a key in a name
 * from a commit, say, is masked in every format); a file that shows full keys is written 0600.
 */
export function writeReport(
  result: ScanResult,
  format: ReportFormat,
  options: ReportOptions & { output?: string; stdout?: { write(text: string): unknown } },
): void {
  const shown = (text: string) => (options.reveal ? text : maskSecrets(text));
  if (options.output) {
    const text = shown(render(result, format, { ...options, color: false }));
    if (options.reveal) writePrivateFile(options.output, text);
    else fs.writeFileSync(options.output, text);
    return;
  }
  const color = colorWanted(process.stdout, process.env, options.color);
  (options.stdout ?? process.stdout).write(shown(render(result, format, { ...options, color })));
}

/** Writes `text` readable by its owner only (0600), a file that existed before included (not a device such as /dev/stdout). */
export function writePrivateFile(file: string, text: string): void {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    if (fs.fstatSync(fd).isFile()) fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}
