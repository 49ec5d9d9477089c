// What every scanning command does once its source has produced findings, in this order:
// hide keys in paths, drop allowed keys, verify (only with --verify), attach hints, print, pick the
// exit code.
// Commands only gather findings; this finishes them.

import { baselineKeys, readBaseline, type Baseline } from '../baseline/index.js';
import type { MirraScanConfig } from '../config/index.js';
import { maskSecrets } from '../detector/index.js';
import type { ScanResult } from '../finding.js';
import { attachHints } from '../hints/index.js';
import { policyFor, type Policy } from '../policy/index.js';
import { writeReport } from '../report/index.js';
import type { CommonOptions } from './common-options.js';
import { exitCodeFor } from './exit-codes.js';
import { reportStdout } from './output.js';
import { verifyOptionsFor } from './verify-options.js';

/**
 * The policy of a run: the config's rules and the command's flags (`--no-ignore`, `--no-inline-allow`,
 * `--baseline FILE`, read here before anything is scanned). `baseline`: one the command read itself
 * (`ci`'s security mode reads it as the base of its range has it); then `--baseline` is not read again.
 */
export function runPolicy(
  config: MirraScanConfig,
  options: { inlineAllow?: boolean; baseline?: string; ignore?: boolean; ignoreFiles?: boolean },
  cwd = process.cwd(),
  baseline?: Baseline,
): Policy {
  const known = baseline ?? (options.baseline ? readBaseline(options.baseline) : undefined);
  return policyFor(config, {
    cwd,
    ignore: options.ignore,
    ignoreFiles: options.ignoreFiles,
    inlineAllow: options.inlineAllow,
    baselineKeySha256: known ? baselineKeys(known) : undefined,
  });
}

/**
 * `config` and `policy`: the ones the command used for its scan. `writeText`: how the text format is
 * printed when the command has its own (a server hook's `remote:` lines).
 */
export async function finishRun(
  result: ScanResult,
  options: CommonOptions,
  config: MirraScanConfig,
  policy: Policy,
  writeText?: (result: ScanResult) => void,
): Promise<number> {
  await completeResult(result, options, config, policy);
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
  options: Pick<CommonOptions, 'reveal' | 'verify' | 'apiUrl' | 'cache'>,
  config: MirraScanConfig,
  policy: Policy,
): Promise<void> {
  if (!options.reveal) maskSecretsInNames(result);
  policy.dropAllowedKeys(result);
  if (options.verify) {
    // Loaded only when asked: without --verify nothing is sent, and a hook starts faster.
    const { verifyFindings } = await import('../verify/index.js');
    await verifyFindings(result.findings, verifyOptionsFor(options, config));
  }
  // Hints are attached here, once, from each finding's origin and the kind of file.
  attachHints(result.findings, { envVar: config.envVar });
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
