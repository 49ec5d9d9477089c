// `mirra-scan verify [KEY...]`: checks keys on their own against the Mirra API. Keys come as
// arguments, or one per line on stdin. Only redacted keys and hashes are ever printed.
//
// Exit codes: 0 when no key is live (all invalid or unknown), 1 when at least one key is live (with
// `--fail-on unknown`, also when one could not be checked),
// 2 (a thrown UsageError, which main.ts's `run` turns into exit 2) for a bad option, a refused
// --api-url, or an input that is not a key.

import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { detectKeys, keySha256, redactKey, type Rejection } from '../../detector/index.js';
import { UsageError } from '../../errors.js';
import type { KeyType, Verification } from '../../finding.js';
import { API_KEYS_PAGE, SCRIPTS_PAGE } from '../../hints/index.js';
import { TOOL } from '../../version.js';
import { loadConfig } from '../../config/index.js';
import { EXIT_CLEAN, EXIT_FINDINGS } from '../exit-codes.js';
import { verifyOptionsFor } from '../verify-options.js';
import {
  DEFAULT_API_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  MAX_CONCURRENCY,
  defaultCacheDir,
  verifyKeys,
} from '../../verify/index.js';

/** What the command reads and writes; the defaults are the process's own. Tests pass their own. */
export interface VerifyCommandIo {
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout?: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
  /** Where the config file is looked for (default: the current folder). */
  cwd?: string;
  fetch?: typeof fetch;
}

/** main.ts's wrapper: runs the action, sets the exit code from its result, turns errors into exit 2. */
export type RunAction = (action: () => Promise<number>) => Promise<void>;

/** Without main.ts's wrapper: set the exit code, let errors (UsageError included) propagate. */
const setExitCode: RunAction = async (action) => {
  process.exitCode = await action();
};

export interface VerifyResult {
  redacted: string;
  keySha256: string;
  keyType: KeyType;
  verification: Verification;
}

interface VerifyCommandOptions {
  apiUrl?: string;
  timeout?: string;
  concurrency?: string;
  cache?: boolean;
  format?: string;
  output?: string;
  config?: string;
  failOn: 'live' | 'unknown';
}

export function registerVerifyCommand(program: Command, run: RunAction = setExitCode, io: VerifyCommandIo = {}): void {
  program
    .command('verify')
    .description('check Mirra keys against the Mirra API (keys as arguments, or one per line on stdin); exit 1 if any key is live')
    .argument('[keys...]', 'keys to check; without any, one key per line is read from stdin')
    .option('--api-url <url>', `the API base URL (default: $MIRRA_API_URL, else ${DEFAULT_API_URL}); http:// only for loopback`)
    .option('--timeout <ms>', `per-request timeout in milliseconds (default: ${DEFAULT_TIMEOUT_MS})`)
    .option('--concurrency <n>', `requests in flight at once (default: ${DEFAULT_CONCURRENCY})`)
    .option('--no-cache', 'neither read nor write the on-disk verification cache')
    .option('-f, --format <format>', 'text or json (default: text)')
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('--config <file>', 'use this config file (its verify settings) instead of searching for one')
    .addOption(new Option('--fail-on <status>', 'exit 1 when a key is live (default), or also when one could not be checked (unknown)').choices(['live', 'unknown']).default('live'))
    .action((args: string[], _opts: unknown, command: Command) => run(() => runVerify(args, command.optsWithGlobals<VerifyCommandOptions>(), io)));
}

async function runVerify(args: string[], opts: VerifyCommandOptions, io: VerifyCommandIo): Promise<number> {
  const env = io.env ?? process.env;
  // Everything that can be refused is refused before any key is read or sent.
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json for verify (got ${JSON.stringify(format.slice(0, 20))})`);
  // The same precedence as `--verify` on the scans: flag, MIRRA_API_URL, the config file, the default.
  const config = await loadConfig({ cwd: io.cwd ?? process.cwd(), configPath: opts.config });
  const fromConfig = verifyOptionsFor({ apiUrl: opts.apiUrl, cache: opts.cache }, config, env);
  const apiUrl = fromConfig.apiUrl;
  const timeoutMs = wholeNumber(opts.timeout, '--timeout', fromConfig.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, 600_000);
  const concurrency = wholeNumber(opts.concurrency, '--concurrency', fromConfig.concurrency ?? DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY);

  const inputs = args.length > 0 ? args.map((text, i) => ({ text, label: `argument ${i + 1}` })) : await readStdinKeys(io.stdin ?? process.stdin);
  if (inputs.length === 0) throw new UsageError('no keys to check: give them as arguments, or one per line on stdin');

  const keys = new Map<string, { key: string; keyType: KeyType }>();
  for (const { text, label } of inputs) {
    const parsed = parseKey(text, label);
    const sha = keySha256(parsed.key);
    if (!keys.has(sha)) keys.set(sha, parsed);
  }

  const verdicts = await verifyKeys(
    [...keys.values()].map((k) => k.key),
    { apiUrl, timeoutMs, concurrency, cache: fromConfig.cache, cacheDir: defaultCacheDir(env), fetch: io.fetch },
  );
  const results: VerifyResult[] = [...keys].map(([sha, { key, keyType }]) => ({
    redacted: redactKey(key),
    keySha256: sha,
    keyType,
    verification: verdicts.get(sha) ?? { status: 'unknown', detail: 'not checked' },
  }));

  const report = format === 'json' ? JSON.stringify({ tool: { name: TOOL.name, version: TOOL.version }, results }, null, 2) + '\n' : renderText(results);
  if (opts.output) {
    try {
      await writeFile(opts.output, report);
    } catch (error) {
      throw new UsageError(`cannot write --output ${opts.output}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  } else {
    (io.stdout ?? process.stdout).write(report);
  }
  // --fail-on unknown: exit 0 then means every key is known dead, not "some could not be checked".
  const failing = opts.failOn === 'unknown' ? ['live', 'unknown'] : ['live'];
  return results.some((r) => failing.includes(r.verification.status)) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** One key per line; blank lines and `#` comments are skipped. Labels count lines from 1. */
async function readStdinKeys(stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<Array<{ text: string; label: string }>> {
  if (stdin.isTTY) throw new UsageError('no keys given: pass them as arguments, or pipe one per line on stdin');
  let text = '';
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  const inputs: Array<{ text: string; label: string }> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed && !trimmed.startsWith('#')) inputs.push({ text: trimmed, label: `stdin line ${i + 1}` });
  });
  return inputs;
}

/** The input must be exactly one key, as written; the error names where it was, never what it was. */
function parseKey(text: string, label: string): { key: string; keyType: KeyType } {
  const rejections: Rejection[] = [];
  const matches = detectKeys(text, { rejections });
  const m = matches[0];
  if (matches.length === 1 && m.encoding === 'plain' && m.start === 0 && m.end === text.length) return { key: m.key, keyType: m.keyType };
  const why = rejections.length > 0 ? `: looks like a ${rejections[0].filter} value, not a key` : '';
  throw new UsageError(`${label} is not a Mirra key (${text.length} characters; a key is mirra_ followed by hex, 64 to 128 characters in all)${why}`);
}

function wholeNumber(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} must be a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}`);
  return n;
}

function renderText(results: VerifyResult[]): string {
  const width = Math.max(...results.map((r) => r.redacted.length));
  const lines = results.map(
    (r) => `${r.redacted.padEnd(width)}  ${r.keyType.padEnd(7)}  ${r.verification.status.padEnd(7)}  ${r.verification.detail ?? ''}`.trimEnd(),
  );
  const count = (s: Verification['status']) => results.filter((r) => r.verification.status === s).length;
  lines.push('', `${results.length} key${results.length === 1 ? '' : 's'}: ${count('live')} live, ${count('invalid')} invalid, ${count('unknown')} unknown`);
  if (count('live') > 0) {
    lines.push(`Live keys work for anyone who has them: revoke them now at ${API_KEYS_PAGE} (script keys: publish a new script version at ${SCRIPTS_PAGE}).`);
  }
  return lines.join('\n') + '\n';
}
