// What every scanning command does once its source has produced findings, in this order:
// hide keys in paths, drop allowed keys, verify (only with --verify), attach hints, print, pick the
// exit code.
// Commands only gather findings; this finishes them.

import { applyBaseline, subtractBaseline, type Baseline } from '../baseline/index.js';
import { applyAllowedKeys, type MirraScanConfig } from '../config/index.js';
import { maskSecrets } from '../detector/index.js';
import type { ScanResult } from '../finding.js';
import { buildHint } from '../hints/index.js';
import { writeReport } from '../report/index.js';
import type { CommonOptions } from './common-options.js';
import { exitCodeFor } from './exit-codes.js';
import { reportStdout } from './output.js';
import { verifyOptionsFor } from './verify-options.js';

/**
 * `config`: the one the command loaded (each command reads it once, before it scans). `writeText`:
 * how the text format is printed when the command has its own (a server hook's `remote:` lines).
 */
export async function finishRun(
  result: ScanResult,
  options: CommonOptions,
  config: MirraScanConfig,
  writeText?: (result: ScanResult) => void,
  baseline?: Baseline,
): Promise<number> {
  await completeResult(result, options, config, baseline);
  if (writeText && options.format === 'text' && !options.output) writeText(result);
  else {
    writeReport(result, options.format, {
      output: options.output,
      reveal: options.reveal,
      stdout: reportStdout,
      color: options.color === false ? false : undefined,
      verbose: options.verbose,
      hook: options.hook,
    });
  }
  if (options.sarifOutput) writeReport(result, 'sarif', { output: options.sarifOutput, reveal: options.reveal });
  return exitCodeFor(result);
}

/** Everything finishRun does before printing; the programmatic API (src/scanner) does the same. */
export async function completeResult(
  result: ScanResult,
  options: Pick<CommonOptions, 'reveal' | 'baseline' | 'verify' | 'apiUrl' | 'cache'>,
  config: MirraScanConfig,
  baseline?: Baseline,
): Promise<void> {
  if (!options.reveal) maskSecretsInNames(result);
  applyAllowedKeys(result, config);
  // `ci`'s security mode passes the baseline as the base of its range has it.
  if (baseline) subtractBaseline(result, baseline);
  else applyBaseline(result, options.baseline);
  if (options.verify) {
    // Loaded only when asked: without --verify nothing is sent, and a hook starts faster.
    const { verifyFindings } = await import('../verify/index.js');
    await verifyFindings(result.findings, verifyOptionsFor(options, config));
  }
  addHints(result, config.envVar);
}

function addHints(result: ScanResult, envVar: string): void {
  for (const f of result.findings) f.hint = buildHint(f, { envVar });
}

/**
 * A key in a file's name (`mirra_<key>.json`, `cfg_mirra_script_<hex>/`) or in the name of who made a
 * commit would be printed in full, in every format and in baselines: such text is masked like the key
 * itself (`--reveal` shows it).
 */
export function maskSecretsInNames(result: Pick<ScanResult, 'findings' | 'errors' | 'unlisted'>): void {
  for (const f of result.findings) {
    f.file = maskSecrets(f.file);
    if (f.author !== undefined) f.author = maskSecrets(f.author);
  }
  for (const e of result.errors) {
    e.file = maskSecrets(e.file);
    e.message = maskSecrets(e.message);
  }
  for (const u of result.unlisted ?? []) u.file = maskSecrets(u.file);
}
