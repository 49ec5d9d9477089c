// The programmatic API, `eslint-plugin-mirra/scanner`: the scans the CLI runs, from code. Each scan
// returns the same object `mirra-scan --format json` prints (findings redacted unless `reveal`, with
// hints, allowed keys and baselines applied, verified only when asked), so a tool can switch between
// the CLI and the API without a change of shape. Errors are thrown as `MirraScanError` with a
// one-line message; nothing is printed.
//
//   import { scanPaths, scanIndex, scanCommits, detectKeys, verifyKeys } from 'eslint-plugin-mirra/scanner';
//   const report = await scanPaths(['src'], { cwd: '/repo' });
//   if (report.findings.length) ...

import { DEFAULT_ENV_VAR, loadConfig, type MirraScanConfig } from '../config/index.js';
import { ScanFailure, UsageError } from '../errors.js';
import type { Finding, ScanResult } from '../finding.js';
import { completeResult, runPolicy } from '../cli/run.js';
import { attachHints } from '../hints/index.js';
import type { Policy } from '../policy/index.js';
import { maskKeyShaped } from '../detector/redact.js';
import { renderJson } from '../report/json.js';
import { findingsOf } from '../fragments/index.js';
import { scanFiles } from '../sources/files/walk.js';
import { scanCommitRange, touchesShallowBoundary, UNSHALLOW_ADVICE } from '../sources/git/commits.js';
import { scanStaged } from '../sources/git/staged.js';
import type { KeyType, Encoding, VerificationStatus } from '../finding.js';

export type { KeyType, Encoding, VerificationStatus };

/** Why a scan could not be done (a bad option, not a repository, an unreadable path named explicitly). */
export class MirraScanError extends Error {
  override name = 'MirraScanError';
}

export interface ScannerOptions {
  /** The folder to work in (default: process.cwd()). Paths in reports are relative to its repository root. */
  cwd?: string;
  /** A config file to use instead of searching for one from `cwd`. */
  config?: string;
  /** Honour `.gitignore` / `.mirrascanignore` and the config's `ignorePaths` (default true). */
  ignore?: boolean;
  /** Honour `mirra-scan:allow` comments (default: the config's `inlineAllow`, else true). */
  inlineAllow?: boolean;
  /** A baseline file: report only keys that are not in it. */
  baseline?: string;
  /** Check each distinct key against the Mirra API (sends the keys found to it; default false). */
  verify?: boolean;
  /** The API's base URL for `verify` (default $MIRRA_API_URL, the config's, then the public API). */
  apiUrl?: string;
  /** With `verify`: use the on-disk verification cache (default true). */
  cache?: boolean;
  /** Put the full key in each finding's `key` field (default false: only `redacted`). */
  reveal?: boolean;
}

/** One finding, as in the JSON report (README "JSON"): the finding's public fields, `key` only with `reveal`. */
export type ReportFinding = Pick<
  Finding,
  | 'ruleId'
  | 'keyType'
  | 'file'
  | 'line'
  | 'column'
  | 'endLine'
  | 'endColumn'
  | 'source'
  | 'origin'
  | 'commit'
  | 'mergedCommit'
  | 'tag'
  | 'tracked'
  | 'encoding'
  | 'redacted'
  | 'keySha256'
  | 'verification'
  | 'hint'
  | 'author'
  | 'date'
> & { key?: string };

/** The JSON report: what `mirra-scan --format json` prints. */
export interface Report {
  tool: { name: string; version: string };
  findings: ReportFinding[];
  errors: Array<{ file: string; message: string }>;
  stats: { files: number; bytes: number; skipped: number; durationMs: number };
}

/** Files and folders (default `.`), as `mirra-scan scan PATH...`. */
export async function scanPaths(paths: string[] = ['.'], options: ScannerOptions = {}): Promise<Report> {
  return run(options, (cwd, policy) => scanFiles({ paths: paths.filter((p) => p !== '-'), cwd, policy }));
}

/** What the next commit adds (the staged lines), as `mirra-scan staged`. */
export async function scanIndex(options: ScannerOptions = {}): Promise<Report> {
  return run(options, (cwd, policy) => scanStaged({ cwd, policy }));
}

/** Every commit of a range (`'main..HEAD'`, or several git log revisions), as `mirra-scan diff`. */
export async function scanCommits(range: string | string[], options: ScannerOptions = {}): Promise<Report> {
  const revisions = typeof range === 'string' ? [range] : range;
  for (const rev of revisions) if (!rev || rev.startsWith('-')) throw new MirraScanError(`not a revision range: ${JSON.stringify(rev)}`);
  return run(options, async (cwd, policy) => {
    if (await touchesShallowBoundary(cwd, revisions)) throw new ScanFailure(`the range reaches the boundary of this shallow clone; ${UNSHALLOW_ADVICE}`);
    return scanCommitRange({ cwd, revisions, place: 'auto', policy });
  });
}

export interface DetectOptions {
  /** The name findings carry (default `<input>`). */
  file?: string;
  /** Honour `mirra-scan:allow` comments (default true). */
  inlineAllow?: boolean;
  /** Put the full key in each finding's `key` field (default false). */
  reveal?: boolean;
}

/** Keys in a string or a buffer (pure: no file, config or network is touched). */
export function detectKeys(content: string | Uint8Array, options: DetectOptions = {}): ReportFinding[] {
  const input = typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const findings = findingsOf({ file: options.file ?? '<input>', source: 'file', commit: null, content: input }, { inlineAllow: options.inlineAllow !== false });
  const result: ScanResult = { findings, errors: [], stats: { files: 1, bytes: typeof input === 'string' ? Buffer.byteLength(input) : input.length, skipped: 0, durationMs: 0 } };
  attachHints(findings, { envVar: DEFAULT_ENV_VAR });
  return report(result, options.reveal === true).findings;
}

export interface VerifyKeysOptions {
  /** The API's base URL (default $MIRRA_API_URL, then the public API). Plain http only to loopback. */
  apiUrl?: string;
  /** Use the on-disk verification cache (default true). */
  cache?: boolean;
  /** Per request, in ms (default 10 000). */
  timeoutMs?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
}

/** One key's verdict: live, invalid (revoked or never valid) or unknown (could not check). Never the key itself. */
export interface KeyVerdict {
  redacted: string;
  keySha256: string;
  status: Exclude<VerificationStatus, 'unchecked'>;
  detail?: string;
}

/** Checks keys against the Mirra API, each distinct key once, in the order given. */
export async function verifyKeys(keys: string[], options: VerifyKeysOptions = {}): Promise<KeyVerdict[]> {
  const [{ verifyKeys: check }, { keySha256, redactKey }, { verifyOptionsFor }] = await Promise.all([
    import('../verify/index.js'),
    import('../detector/index.js'),
    import('../cli/verify-options.js'),
  ]);
  try {
    const results = await check(keys, { ...verifyOptionsFor({ apiUrl: options.apiUrl, cache: options.cache }, { verify: {} }), timeoutMs: options.timeoutMs, concurrency: options.concurrency });
    return keys.map((key) => {
      const sha = keySha256(key);
      const v = results.get(sha) ?? { status: 'unknown' as const };
      const verdict: KeyVerdict = { redacted: redactKey(key), keySha256: sha, status: v.status === 'unchecked' ? 'unknown' : v.status };
      if (v.detail) verdict.detail = v.detail;
      return verdict;
    });
  } catch (e) {
    throw asScanError(e);
  }
}

/** Every scan: the config, the one policy (as the CLI builds it from the same options), the scan, then what finishes a run. */
async function run(options: ScannerOptions, scan: (cwd: string, policy: Policy) => Promise<ScanResult>): Promise<Report> {
  const cwd = options.cwd ?? process.cwd();
  try {
    const config: MirraScanConfig = await loadConfig({ cwd, configPath: options.config });
    const policy = runPolicy(config, { ignore: options.ignore, inlineAllow: options.inlineAllow, baseline: options.baseline }, cwd);
    const result = await scan(cwd, policy);
    await completeResult(result, { reveal: options.reveal === true, verify: options.verify === true, apiUrl: options.apiUrl, cache: options.cache !== false }, config, policy);
    return report(result, options.reveal === true);
  } catch (e) {
    throw asScanError(e);
  }
}

function report(result: ScanResult, reveal: boolean): Report {
  return JSON.parse(renderJson(result, { reveal })) as Report;
}

/**
 * Every failure as a MirraScanError whose message has any key-shaped text masked (a revision or path
 * the caller passed may hold a key); the original error is not attached, since it quotes it in full.
 */
function asScanError(e: unknown): MirraScanError {
  const message = e instanceof Error ? e.message : String(e);
  const known = e instanceof UsageError || e instanceof ScanFailure;
  return new MirraScanError(maskKeyShaped(known ? message : `unexpected error: ${message}`));
}
