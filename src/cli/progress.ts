// One progress line for the commands that can run long (scan, diff, ci, history, baseline): on
// stderr, only when stderr is a terminal and CI is not set, never with --no-progress, and only once
// the run has taken about a second; redrawn at most ten times a second and cleared before anything
// else is printed. Whatever it shows goes through the one masking (maskSecrets) first, and a name is
// cut to fit only after it is masked, so no key (or part of one) can reach the terminal through it.

import type { Command } from 'commander';
import { maskSecrets } from '../detector/index.js';
import type { FileScanProgress } from '../sources/files/walk.js';
import { countCommits } from '../sources/git/commits.js';

/** What a progress line writes to (process.stderr; a test passes its own). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export interface ProgressState {
  /** What is being scanned: `files`, `commits`, `history`. */
  what: string;
  done: number;
  /** How many there are, when known. */
  total?: number;
  /** The total is still growing (git is still listing). */
  totalGrows?: boolean;
  /** What `done` counts: `files`, `commits`, `blobs`. */
  unit: string;
  /** The name of what is being read (a file's path): masked, then cut to fit. */
  current?: string;
}

/** How long a run goes before its progress line shows. */
export const PROGRESS_DELAY_MS = 1000;
const REDRAW_MS = 100;
const CLEAR = '\r\x1b[K';

export class ProgressLine {
  private readonly started: number;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = Date.now,
    private readonly delayMs = PROGRESS_DELAY_MS,
  ) {
    this.started = clock();
  }

  update(state: ProgressState): void {
    const now = this.clock();
    if (now - this.started < this.delayMs || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.stream.write(CLEAR + renderProgress(state, this.stream.columns || 80));
    this.drawn = true;
  }

  /** Takes the line off the terminal (before a report, a warning or an error is printed). */
  clear(): void {
    if (this.drawn) this.stream.write(CLEAR);
    this.drawn = false;
  }
}

/** `scanning files [#####.....] 1234/5000 files 24% · src/a.ts`, never wider than the terminal. */
export function renderProgress(state: ProgressState, columns: number): string {
  const width = Math.max(20, columns - 1);
  let text = `mirra-scan: scanning ${state.what} `;
  if (state.total !== undefined && state.total > 0) {
    const total = Math.max(state.total, state.done);
    const bar = Math.max(10, Math.min(30, width - 60));
    const filled = Math.round((state.done / total) * bar);
    text += `[${'#'.repeat(filled)}${'.'.repeat(bar - filled)}] ${state.done}/${total}${state.totalGrows ? '+' : ''} ${state.unit} ${Math.floor((state.done / total) * 100)}%`;
  } else {
    text += `${state.done} ${state.unit}`;
  }
  text = maskSecrets(text);
  if (state.current) {
    const room = width - text.length - 3;
    const name = maskSecrets(state.current).replace(/[\x00-\x1f\x7f]/g, '?');
    if (room >= 8) text += ` · ${name.length <= room ? name : '…' + name.slice(name.length - room + 1)}`;
  }
  return text.length <= width ? text : text.slice(0, width);
}

/** Shown only on a terminal, never in CI (CI set to anything) and never with --no-progress. */
export function wantsProgress(options: { progress?: boolean }, stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.progress !== false && stream.isTTY === true && env.CI === undefined;
}

/** A progress line for this run, or null when none is wanted. */
export function startProgress(options: { progress?: boolean }, stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressLine | null {
  if (!wantsProgress(options, stream, env)) return null;
  const delay = Number(env.MIRRA_SCAN_PROGRESS_DELAY_MS);
  return new ProgressLine(stream, Date.now, Number.isFinite(delay) && delay >= 0 && env.MIRRA_SCAN_PROGRESS_DELAY_MS !== '' ? delay : PROGRESS_DELAY_MS);
}

/** Runs `work` with a progress line when one is wanted, and clears it when the work ends, however it ends. */
export async function withProgress<T>(options: { progress?: boolean }, work: (progress: ProgressLine | null) => Promise<T>): Promise<T> {
  const progress = startProgress(options);
  try {
    return await work(progress);
  } finally {
    progress?.clear();
  }
}

/** A file scan's progress (scanFiles' `onProgress`) on the line. */
export function fileProgress(line: ProgressLine): (p: FileScanProgress) => void {
  // A walk that reads what it finds as it goes has no total yet: a count, not a bar stuck at 100%.
  return (p) => line.update({ what: 'files', done: p.read, total: p.walking && p.found <= p.read ? undefined : p.found, totalGrows: p.walking, unit: 'files', current: p.current });
}

/** A commit range's progress (scanCommitRange's `onCommit`) on the line; the total comes from one `git rev-list --count`, when it is known. */
export function commitProgress(line: ProgressLine, cwd: string, revisions: string[]): () => void {
  let done = 0;
  let total: number | undefined;
  countCommits(cwd, revisions).then((n) => (total = n), () => {});
  return () => line.update({ what: 'commits', done: ++done, total, unit: 'commits' });
}

/** The history scan's progress (scanHistory's `onBlob`) on the line. */
export function historyProgress(line: ProgressLine): (read: number, listed: number, complete: boolean) => void {
  return (read, listed, complete) => line.update({ what: 'history', done: read, total: listed, totalGrows: !complete, unit: 'blobs' });
}

/** The `--no-progress` option. */
export function addProgressOption<C extends Command>(cmd: C): C {
  cmd.option('--no-progress', 'no progress line on stderr (it shows only on a terminal, never in CI, after about a second)');
  return cmd;
}
