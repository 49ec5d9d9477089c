// The pre-commit hook's git process, started before the rest of the CLI loads. `mirra-scan staged`
// spends tens of milliseconds loading its code; git computes the staged diff meanwhile (on another
// core), and `streamGit` takes the running process over instead of starting its own. Nothing else
// is loaded here, so that git starts at once.

import type { ChildProcess } from 'node:child_process';

/**
 * A git process started early, what it printed before it was taken over (Node throws away the output
 * of a child nobody reads once it exits, so it is read from the start), and how it ended.
 */
export interface EarlyGit {
  child: ChildProcess;
  stdout: Buffer[];
  stderr: string;
  error: Error | null;
  closed: Promise<number | null>;
  /** Stops collecting: what comes next goes to the taker's own listeners. */
  release(): void;
}

/** Past this much output not yet taken over, git is paused (it waits on the full pipe). */
const MAX_EARLY_BYTES = 8 * 1024 * 1024;

// Kept on the global object: the bin (one bundle) starts git and the full CLI (another bundle, with
// its own copy of this module) takes it over, when `staged` is called with flags.
const REGISTRY = Symbol.for('mirra-scan.early-git');
const started: Map<string, EarlyGit> = ((globalThis as Record<symbol, unknown>)[REGISTRY] as Map<string, EarlyGit> | undefined) ?? new Map();
(globalThis as Record<symbol, unknown>)[REGISTRY] = started;
const keyOf = (cwd: string, args: readonly string[]) => `${cwd}\0${args.join('\0')}`;

/**
 * Starts `git args` in `cwd` now; its output waits (git blocks on a full pipe) until it is taken.
 * `onMuch` is called once git has printed `much.bytes` in all, before or after it is taken (a big
 * staged change: the CLI then sets its JIT budget, see src/cli/jit-budget.ts).
 */
export function startGitEarly(cwd: string, args: string[], much?: { bytes: number; onMuch: () => void }): void {
  // Loaded here, not when the bin loads: a call that starts no git early (a scan) never loads it.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let bytes = 0;
  const onOut = (chunk: Buffer) => {
    early.stdout.push(chunk);
    bytes += chunk.length;
    if (bytes > MAX_EARLY_BYTES) child.stdout?.pause();
  };
  const onErr = (chunk: Buffer) => {
    if (early.stderr.length < 4096) early.stderr += chunk.toString('utf8');
  };
  const early: EarlyGit = {
    child,
    stdout: [],
    stderr: '',
    error: null,
    closed: new Promise((resolve) => child.once('close', resolve)),
    release() {
      child.stdout?.off('data', onOut);
      child.stderr?.off('data', onErr);
    },
  };
  child.stdout?.on('data', onOut);
  child.stderr?.on('data', onErr);
  if (much) {
    let counted = 0;
    const count = (chunk: Buffer) => {
      counted += chunk.length;
      if (counted < much.bytes) return;
      child.stdout?.off('data', count);
      much.onMuch();
    };
    child.stdout?.on('data', count);
  }
  child.once('error', (e) => (early.error = e));
  // Not taken (a bad flag, --help): it must not keep the process alive, and it is stopped on exit.
  child.unref();
  process.once('exit', () => child.exitCode === null && child.kill());
  started.set(keyOf(cwd, args), early);
}

/** The early git process for exactly this `cwd` and these arguments, if one was started (once). */
export function takeEarlyGit(cwd: string, args: readonly string[]): EarlyGit | undefined {
  const key = keyOf(cwd, args);
  const early = started.get(key);
  started.delete(key);
  return early;
}
