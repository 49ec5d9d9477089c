// The commit-message source, for a commit-msg hook: a key pasted into the message would be in the
// commit as surely as one in a file. The message is cleaned the way git will clean it, so only what
// ends up in the commit counts, and line numbers stay those of the file the user edited.
//
// Git removes comment lines only when the message went through an editor (cleanup mode `strip`, the
// default then); with `git commit -m` it keeps them (mode `whitespace`), and a hook cannot tell which
// happened. So by default only the scissors line and what follows it (the `git commit -v` diff, which
// git always cuts) is dropped, and a key on a `#` line is still reported: an issue reference such as
// `-m "#42 …"` is a comment line that git keeps. `commit.cleanup=strip` (or `--cleanup strip`) drops
// comment lines too.

import fs from 'node:fs';
import path from 'node:path';
import { nowMs } from '../clock.js';
import { UsageError } from '../../errors.js';
import type { ScanResult } from '../../finding.js';
import { scanFragment } from '../../fragments/index.js';
import { streamGit } from './process.js';

export type CleanupMode = 'strip' | 'whitespace' | 'verbatim' | 'scissors';
export const CLEANUP_MODES: CleanupMode[] = ['strip', 'whitespace', 'verbatim', 'scissors'];

export interface CommitMessageScanOptions {
  /** The message file, e.g. `.git/COMMIT_EDITMSG` (the commit-msg hook's argument). */
  file: string;
  cwd: string;
  /** The name findings carry (default: the file's base name, e.g. `COMMIT_EDITMSG`). */
  name?: string;
  /** How git will clean the message; default: `commit.cleanup` from git config, else `scissors`. */
  cleanup?: CleanupMode;
}

export async function scanCommitMessage(options: CommitMessageScanOptions): Promise<ScanResult> {
  const started = nowMs();
  const file = path.resolve(options.cwd, options.file);
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read the commit message ${options.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const config = await gitMessageConfig(options.cwd);
  const cleanup = options.cleanup ?? config.cleanup ?? 'scissors';
  const message = messageAsCommitted(raw.toString('latin1'), cleanup, config.commentChar);
  const name = options.name ?? path.basename(options.file);
  const meta = { file: name, source: 'staged' as const, origin: 'commit-message' as const, commit: null, place: 'staged' as const };
  const result: ScanResult = { findings: [], errors: [], stats: { files: 1, bytes: raw.length, skipped: 0, durationMs: 0 } };
  scanFragment(result, { ...meta, content: Buffer.from(message, 'latin1') });
  result.stats.durationMs = Math.round(nowMs() - started);
  return result;
}

/**
 * The message as git will store it, with every removed line kept as an empty line so that line numbers
 * match the file. `commentChar` is git's `core.commentChar` (`#` unless configured).
 */
export function messageAsCommitted(message: string, cleanup: CleanupMode, commentChar = '#'): string {
  if (cleanup === 'verbatim') return message;
  const lines = message.split('\n');
  const scissors = `${commentChar} ------------------------ >8 ------------------------`;
  const cut = lines.findIndex((l) => l.replace(/\r$/, '') === scissors);
  const kept = cut < 0 || cleanup === 'whitespace' ? lines : lines.slice(0, cut);
  return kept.map((l) => (cleanup === 'strip' && l.startsWith(commentChar) ? '' : l)).join('\n');
}

/**
 * `commit.cleanup` and `core.commentChar`, in one git call; outside a repository, neither. A plumbing
 * question, but asked on every commit-msg hook: a streamed git here, not ./plumbing.ts, whose
 * simple-git costs ~26 ms of CPU to load (more than the hook's whole start-up budget).
 */
async function gitMessageConfig(cwd: string): Promise<{ cleanup?: CleanupMode; commentChar?: string }> {
  let out = '';
  try {
    await streamGit(cwd, ['config', '--get-regexp', '^(commit\\.cleanup|core\\.commentchar)$'], (c) => (out += c.toString('utf8')));
  } catch {
    return {}; // exit 1: neither is set
  }
  const result: { cleanup?: CleanupMode; commentChar?: string } = {};
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const key = line.slice(0, space).toLowerCase();
    const value = line.slice(space + 1);
    if (key === 'commit.cleanup') {
      const mode = value.trim().toLowerCase();
      if ((CLEANUP_MODES as string[]).includes(mode)) result.cleanup = mode as CleanupMode;
    } else if (key === 'core.commentchar' && value && value !== 'auto') {
      result.commentChar = value;
    }
  }
  return result;
}
