// Reading and scanning one file, and the worker thread that does it for a share of a big walk.
// Kept apart from walk.ts so that a worker loads only the scan loop (src/fragments) and the detector, not the walker.
//
// The walk sends the files it finds to the workers as it goes (one packed string per batch, on a
// MessageChannel read with receiveMessageOnPort); every thread takes batches from one shared counter
// (Atomics), so all stay busy until the list is done, whatever the file sizes. Results go back by
// index, so the report's order is the walk's order however the work was split.

import fs from 'node:fs';
import { isMainThread, parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { SECRET, type Finding } from '../../finding.js';
import { fsPath } from '../file-names.js';
import { allocateReadBuffer, findingsOf, findingsOfStream, forEachTraceCandidate, type ContentFindings, type FindingFilterOptions, type FragmentMeta } from '../../fragments/index.js';
import { scanClaimedSegments, type SegmentOutcome, type SegmentPlan } from './segments.js';

/**
 * Files are read through one reused buffer of this size (one per thread); bigger files are read in
 * windows. 1 MiB rather than more: a window this small stays in the CPU cache between the read that
 * fills it and the needle searches over it (a 200 MiB file scans ~25% faster than through 8 MiB
 * windows, and the other threads' memory traffic hurts it less), and each thread holds 7 MiB less.
 */
export const READ_WINDOW_BYTES = 1024 * 1024;

/** How many files a thread takes from the shared list at a time. */
const BATCH = 32;

export interface FileJob {
  /** The path to open (`fsPath` turns a name that is not UTF-8 back into its bytes). */
  abs: string;
  rel: string;
}

export type FileOutcome = { findings: ContentFindings; bytes: number } | { error: string };

/** What a thread may do with a file: scan it, or leave a big one to be scanned in segments by every thread (segments.ts). */
export type JobOutcome = FileOutcome | { segmented: true };

/** How files are read: the scan loop's options, and from what size a file is left to be scanned in segments. */
export interface FileReadOptions extends FindingFilterOptions {
  segmentedFrom?: number;
}

/** Reads `abs` through `window` and returns its findings (`rel` names it in them), or why it could not be read. */
export function scanFileAt(abs: string, rel: string, window: Buffer, options: FileReadOptions): JobOutcome {
  let fd: number;
  try {
    fd = fs.openSync(fsPath(abs), 'r');
  } catch (e) {
    return { error: describe(e) };
  }
  try {
    const meta = metaOf(rel);
    // One read tells a small file (the common case: no stat needed) from one that needs windows.
    const n = readFull(fd, window, 0, 0);
    if (n < window.length) return { findings: findingsOf({ ...meta, content: window.subarray(0, n) }, options), bytes: n };
    if (options.segmentedFrom !== undefined && fs.fstatSync(fd).size >= options.segmentedFrom) return { segmented: true };
    return findingsOfStream({ ...meta, read: (buf, offset) => fs.readSync(fd, buf, 0, buf.length, offset), window }, options);
  } catch (e) {
    return { error: describe(e) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Fills `buf` from `at` on from the file. A short read whose length is not a whole number of pages is
 * the end of the file (no second read just to see 0); a page-sized short read (which some network
 * file systems give) is followed by another.
 */
function readFull(fd: number, buf: Buffer, at: number, position: number): number {
  let total = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, at + total, buf.length - at - total, position + total);
    total += n;
    if (n === 0 || at + total === buf.length || n % 4096 !== 0) return total;
  }
}

/** A batch's files are read one after another into the window while at least this much of it is free. */
const BATCH_ROOM = 512 * 1024;

/**
 * Scans `jobs[start, end)`. Most files are small and hold no key: they are read one after another
 * into `window` and searched together, so each needle costs one `indexOf` call per batch instead of
 * one per file (for files of a few KiB, the cost of a call is much of a search's). Only a file with a needle
 * in it, or that may be UTF-16 text (searched as decoded text), or that does not fit, is scanned on
 * its own, exactly as `scanFileAt` would.
 */
function scanBatch(
  jobs: readonly FileJob[],
  start: number,
  end: number,
  window: Buffer,
  options: FileReadOptions,
  onOutcome: (index: number, outcome: JobOutcome) => void,
): void {
  const read: Array<{ index: number; at: number; length: number; alone: boolean }> = [];
  let used = 0;
  const flush = () => {
    if (read.length === 0) return;
    const fileAt = (offset: number) => {
      let lo = 0;
      let hi = read.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (read[mid].at <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const view = window.subarray(0, used);
    // textFormOf takes a file for UTF-16 on a BOM, or on a zero byte in its first KiB.
    for (const r of read) {
      const b0 = window[r.at];
      const b1 = window[r.at + 1];
      if (r.length >= 2 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))) r.alone = true;
    }
    for (let z = view.indexOf(0); z >= 0; ) {
      const k = fileAt(z);
      if (z < read[k].at + 1024) read[k].alone = true;
      if (k + 1 >= read.length) break;
      z = view.indexOf(0, read[k + 1].at);
    }
    // The fast path (docs/detector.md, "How content is read"): one trace search over the whole batch,
    // not one a file; only files with a trace (or that may be UTF-16) become fragments for the loop.
    forEachTraceCandidate(view, (at) => {
      const k = fileAt(at);
      read[k].alone = true;
      return k + 1 < read.length ? read[k + 1].at : -1;
    });
    for (const r of read) {
      const rel = jobs[r.index].rel;
      const findings = r.alone ? findingsOf({ ...metaOf(rel), content: window.subarray(r.at, r.at + r.length) }, options) : [];
      onOutcome(r.index, { findings, bytes: r.length });
    }
    read.length = 0;
    used = 0;
  };
  for (let i = start; i < end; i++) {
    if (window.length - used < BATCH_ROOM) flush();
    let fd: number;
    try {
      fd = fs.openSync(fsPath(jobs[i].abs), 'r');
    } catch {
      onOutcome(i, scanFileAt(jobs[i].abs, jobs[i].rel, window.subarray(used), options)); // tells why
      continue;
    }
    let n: number;
    try {
      n = readFull(fd, window, used, 0);
    } catch (e) {
      onOutcome(i, { error: describe(e) });
      continue;
    } finally {
      fs.closeSync(fd);
    }
    if (used + n < window.length) {
      read.push({ index: i, at: used, length: n, alone: false });
      used += n;
    } else {
      // It may go on past the window: scan it on its own, in windows.
      flush();
      onOutcome(i, scanFileAt(jobs[i].abs, jobs[i].rel, window, options));
    }
  }
  flush();
}

export function metaOf(rel: string): FragmentMeta {
  return { file: rel, source: 'file', commit: null, place: 'working-tree' };
}

export function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'file vanished or its name cannot be opened';
    case 'EISDIR':
      return 'is a folder';
    default:
      return err.code ? `cannot read (${err.code})` : 'cannot read';
  }
}

/** Slots of the Int32Array over the shared buffer that main thread and workers coordinate with. */
export const SHARED = {
  /** The next job index to take (each thread adds BATCH to take a batch). */
  claim: 0,
  /** How many jobs there are in all: -1 while the walk is still finding them. */
  total: 1,
  /** How many jobs have been sent to the workers so far. */
  published: 2,
  /** Bumped (and notified) whenever jobs are sent or the walk ends; workers wait on it. */
  epoch: 3,
  /** From here on, one flag a worker: set before it first takes a batch (until then it owes no report). */
  workerStarted: 4,
} as const;

/**
 * Scans jobs, taking batches from the shared claim counter until the list is done. `jobsUpTo(n)`
 * makes sure jobs below `n` are known (a worker may have to wait for the walk to find them) and
 * returns how many there are in all, or -1 while the walk goes on.
 */
export function scanSharedJobs(
  jobs: readonly FileJob[],
  shared: Int32Array,
  window: Buffer,
  options: FileReadOptions,
  onOutcome: (index: number, outcome: JobOutcome) => void,
  jobsUpTo: (n: number) => number = () => jobs.length,
): void {
  for (;;) {
    const start = Atomics.add(shared, SHARED.claim, BATCH);
    const total = jobsUpTo(start + BATCH);
    const end = Math.min(jobs.length, start + BATCH);
    if (start >= end && total >= 0) return;
    if (start < end) scanBatch(jobs, start, end, window, options, onOutcome);
  }
}

/** Jobs travel as one string (`abs NUL rel NUL …`): one copy instead of an object per file. */
export function packJobs(jobs: readonly FileJob[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(jobs[i].abs, jobs[i].rel);
  return parts.join('\0');
}

function unpackJobs(packed: string, into: FileJob[]): void {
  const parts = packed.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) into.push({ abs: parts[i], rel: parts[i + 1] });
}

type FindingWithKey = Omit<Finding, typeof SECRET> & { key: string };

/** What a worker sends back once the list of files is done: outcomes worth reporting (findings, errors, files left to be scanned in segments), with each key beside its finding. */
export interface WorkerReport {
  kind: 'jobs';
  outcomes: Array<{ index: number; error?: string; segmented?: true; bytes: number; findings: FindingWithKey[]; unlisted?: number }>;
  /** How many files were read without findings or errors, and their bytes. */
  quietFiles: number;
  quietBytes: number;
}

/** The first message a worker gets: the port jobs arrive on, the shared counters, the options. */
export interface WorkerStart {
  kind: 'start';
  port: MessagePort;
  shared: SharedArrayBuffer;
  /** This worker's flag in `shared`. */
  slot: number;
  options: FileReadOptions;
}

/** A big file whose segments every thread takes from the counter `claim` (after the list of files). */
export interface SegmentsJob {
  kind: 'segments';
  /** Names the file in the reply. */
  id: number;
  abs: string;
  rel: string;
  plan: SegmentPlan;
  claim: SharedArrayBuffer;
}

/** A worker's reply to a SegmentsJob, sent only when it took segments of the file. */
export interface SegmentsReport {
  kind: 'segments';
  id: number;
  outcomes: Array<{ k: number; error: string } | { k: number; newlines: number; width: number; findings: FindingWithKey[]; unlisted?: number }>;
}

/** A segment's outcome as a worker sent it, with each key back under its symbol. */
export function segmentFromWorker(o: SegmentsReport['outcomes'][number]): SegmentOutcome {
  if ('error' in o) return o;
  return { k: o.k, newlines: o.newlines, width: o.width, findings: Object.assign(o.findings.map(findingFromWorker), o.unlisted ? { unlisted: o.unlisted } : {}) };
}

/** Puts each key back under its symbol (structured clone drops symbol-keyed fields). */
export function findingFromWorker(f: Omit<Finding, typeof SECRET> & { key: string }): Finding {
  const { key, ...rest } = f;
  return { ...rest, [SECRET]: key };
}

export const WORKER_MARK = 'mirra-scan:file-worker';

if (!isMainThread && parentPort && workerData === WORKER_MARK) {
  const parent = parentPort;
  const window = allocateReadBuffer(READ_WINDOW_BYTES);
  let options: FileReadOptions = {};
  parent.on('message', (message: WorkerStart | SegmentsJob) => {
    if (message.kind === 'segments') {
      const { id, abs, rel, plan, claim } = message;
      const outcomes = scanClaimedSegments(abs, metaOf(rel), plan, new Int32Array(claim), window, options, describe);
      const report: SegmentsReport = {
        kind: 'segments',
        id,
        outcomes: outcomes.map((o) => ('error' in o ? o : { ...o, findings: o.findings.map(withKey), unlisted: o.findings.unlisted })),
      };
      if (outcomes.length > 0) parent.postMessage(report);
      return;
    }
    const { port, shared: sharedBuffer, slot } = message;
    options = message.options;
    const shared = new Int32Array(sharedBuffer);
    Atomics.store(shared, slot, 1);
    const jobs: FileJob[] = [];
    const pull = () => {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) unpackJobs(m.message as string, jobs);
    };
    // Waits (without spinning) until the walk has sent jobs below `n`, or has ended and all of its jobs are here.
    const jobsUpTo = (n: number): number => {
      for (;;) {
        const epoch = Atomics.load(shared, SHARED.epoch);
        pull();
        const total = Atomics.load(shared, SHARED.total);
        if (total >= 0 && jobs.length >= total) return total;
        if (total < 0 && jobs.length >= n) return -1;
        Atomics.wait(shared, SHARED.epoch, epoch, 200);
      }
    };
    const report: WorkerReport = { kind: 'jobs', outcomes: [], quietFiles: 0, quietBytes: 0 };
    scanSharedJobs(
      jobs,
      shared,
      window,
      options,
      (index, outcome) => {
        if ('segmented' in outcome) report.outcomes.push({ index, segmented: true, bytes: 0, findings: [] });
        else if ('error' in outcome) report.outcomes.push({ index, error: outcome.error, bytes: 0, findings: [] });
        else if (outcome.findings.length > 0) {
          report.outcomes.push({ index, bytes: outcome.bytes, findings: outcome.findings.map(withKey), unlisted: outcome.findings.unlisted });
        } else {
          report.quietFiles++;
          report.quietBytes += outcome.bytes;
        }
      },
      jobsUpTo,
    );
    port.close();
    // The worker stays for the big files' segments (SegmentsJob) until the scan ends it.
    parent.postMessage(report);
  });
}

function withKey(f: Finding): FindingWithKey {
  return { ...f, key: f[SECRET] };
}
