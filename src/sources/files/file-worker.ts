// The worker thread that walks and scans a share of a big walk. Kept apart from walk.ts so that a
// worker loads only what reads folders and files (folder-walk.ts, read-file.ts) and the scan loop
// (src/fragments), not the command line's side of the walk.
//
// The main thread lists the top of each walk (breadth first, until there are enough folders to share
// out) and starts a worker once the walk looks big enough to be worth it. Every thread then
// takes whole folders (and named files) from one list, by one shared counter (Atomics), and walks and
// reads each itself, as the node floor does: no file crosses between threads, only what the report
// lists (findings, errors) and counts come back. The report's order does not depend on who read what:
// listed files are put in path order at the end.

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SECRET, type Finding } from '../../finding.js';
import type { PathRulesData } from '../../policy/path-rules.js';
import { allocateReadBuffer, type ContentFindings } from '../../fragments/index.js';
import { FolderReader, type FolderUnit, type WalkSink, type WalkSpec } from './folder-walk.js';
import { FileBatch, READ_WINDOW_BYTES, describe, metaOf, type FileOutcome, type FileReadOptions } from './read-file.js';
import { scanClaimedSegments, type SegmentOutcome, type SegmentPlan } from './segments.js';
import { WORKER_MARK, type EarlyStart } from './worker-start.js';

/** Something to walk or read, taken whole by one thread: a folder under a walk, or a file named on the command line (`rel`: its name in the report). */
export type ShareUnit = FolderUnit | { item: number; path: string; rel: string };

/** Slots of the Int32Array over the shared buffer that the main thread and workers coordinate with. */
export const SHARED = {
  /** The next unit to take (each thread adds 1 to take one). */
  claim: 0,
  /** Files found so far by every thread (for the progress line). */
  found: 1,
  /** From here on, one flag a worker: set before it first takes a unit (until then it owes no report). */
  workerStarted: 2,
} as const;

/** What one thread found for one item of the report: the files and walk errors worth a line, and counts of the rest. */
export interface ItemTally<Outcome = FileOutcome> {
  listed: Array<{ path: string; outcome: Outcome }>;
  /** Files read with nothing to report, and their bytes. */
  files: number;
  bytes: number;
  /** Links not followed. */
  skipped: number;
  /** Big files left to be scanned in segments once the walk is done (`abs` opens it, `rel` names it). */
  segmented: Array<{ abs: string; rel: string }>;
}

/** A finding as it crosses threads: structured clone drops symbol-keyed fields, so the key travels beside it. */
export type SentFinding = Omit<Finding, typeof SECRET> & { key: string };
export type SentOutcome = { error: string } | { bytes: number; findings: SentFinding[]; unlisted?: number };

/** What a worker starts with: the shared counters, its flag, the options. */
export interface WorkerStart {
  mark: typeof WORKER_MARK;
  shared: SharedArrayBuffer;
  /** This worker's flag in `shared`. */
  slot: number;
  options: FileReadOptions;
}

/** What a worker gets once the main thread has listed the top of the walks: the walks, their rules as data, the units to share. */
export interface WorkerShare {
  kind: 'share';
  /** By item; null for an item that is not a walk. */
  specs: Array<WalkSpec | null>;
  rules: Array<PathRulesData | null>;
  units: ShareUnit[];
}

/** What a worker sends back once its share of the walk is done. */
export interface WorkerReport {
  kind: 'walked';
  tallies: Array<ItemTally<SentOutcome>>;
}

/** A big file whose segments every thread takes from the counter `claim` (after the walk). */
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
  outcomes: Array<{ k: number; error: string } | { k: number; newlines: number; width: number; findings: SentFinding[]; unlisted?: number }>;
}

/** A segment's outcome as a worker sent it, with each key back under its symbol. */
export function segmentFromWorker(o: SegmentsReport['outcomes'][number]): SegmentOutcome {
  if ('error' in o) return o;
  return { k: o.k, newlines: o.newlines, width: o.width, findings: findingsFromWorker(o) };
}

export { WORKER_MARK } from './worker-start.js';

/** A sink that tallies by item what a thread's folder reader and file batch report. */
export function tallySink(tallies: ItemTally[], itemCount: number): WalkSink {
  const tally = (item: number) => (tallies[item] ??= { listed: [], files: 0, bytes: 0, skipped: 0, segmented: [] });
  for (let i = 0; i < itemCount; i++) tally(i);
  return {
    listed: (item, path, outcome) => void tallies[item].listed.push({ path, outcome }),
    quiet: (item, bytes) => {
      const t = tallies[item];
      t.files++;
      t.bytes += bytes;
    },
    skipped: (item) => void tallies[item].skipped++,
    segmented: (item, abs, rel) => void tallies[item].segmented.push({ abs, rel }),
  };
}

/**
 * Takes units from the shared counter until none is left, walking or reading each; `afterStep` is
 * called after each folder or named file (for the progress line, and the main thread's decision to
 * start workers).
 */
export function takeUnits(units: readonly ShareUnit[], shared: Int32Array, reader: FolderReader, batch: FileBatch, afterStep?: () => void): void {
  for (let k = Atomics.add(shared, SHARED.claim, 1); k < units.length; k = Atomics.add(shared, SHARED.claim, 1)) {
    const unit = units[k];
    if ('rel' in unit) {
      batch.add(unit.item, unit.path, '', unit.rel);
      afterStep?.();
    } else reader.walkAll(unit, afterStep);
  }
}

/** Puts each key back under its symbol. */
export function outcomeFromWorker(o: SentOutcome): FileOutcome {
  if ('error' in o) return o;
  return { bytes: o.bytes, findings: findingsFromWorker(o) };
}

/** Findings as they cross threads (each key beside its finding) and the count of those not listed. */
function findingsToSend(found: ContentFindings): { findings: SentFinding[]; unlisted?: number } {
  return { findings: found.map((f) => ({ ...f, key: f[SECRET] })), unlisted: found.unlisted };
}

/** `findingsToSend` undone. */
function findingsFromWorker({ findings, unlisted }: { findings: SentFinding[]; unlisted?: number }): ContentFindings {
  return Object.assign(
    findings.map(({ key, ...rest }): Finding => ({ ...rest, [SECRET]: key })),
    unlisted ? { unlisted } : {},
  );
}

function outcomeToSend(o: FileOutcome): SentOutcome {
  if ('error' in o) return o;
  return { bytes: o.bytes, ...findingsToSend(o.findings) };
}

if (!isMainThread && parentPort && (workerData as WorkerStart | EarlyStart | undefined)?.mark === WORKER_MARK) {
  const parent = parentPort;
  // A worker started early (worker-start.ts) gets its WorkerStart as its first message.
  let start = workerData as WorkerStart | EarlyStart;
  const window = allocateReadBuffer(READ_WINDOW_BYTES);
  // Booted while the main thread lists the top of the walks; the share comes when the list is done.
  // After its share the worker stays for the big files' segments (SegmentsJob) until the scan ends it.
  parent.on('message', (message: WorkerStart | WorkerShare | SegmentsJob) => {
    if (!('kind' in message)) {
      start = message;
      return;
    }
    if ('early' in start) throw new Error('a scan worker was sent work before its start');
    if (message.kind === 'segments') {
      const { id, abs, rel, plan, claim } = message;
      const outcomes = scanClaimedSegments(abs, metaOf(rel), plan, new Int32Array(claim), window, start.options, describe);
      const report: SegmentsReport = { kind: 'segments', id, outcomes: outcomes.map((o) => ('error' in o ? o : { ...o, ...findingsToSend(o.findings) })) };
      if (outcomes.length > 0) parent.postMessage(report);
      return;
    }
    const shared = new Int32Array(start.shared);
    Atomics.store(shared, start.slot, 1);
    const tallies: ItemTally[] = [];
    const sink = tallySink(tallies, message.specs.length);
    const batch = new FileBatch(window, start.options, sink);
    const reader = FolderReader.fromData(message.specs, message.rules, batch, sink);
    takeUnits(message.units, shared, reader, batch, () => Atomics.add(shared, SHARED.found, batch.takeFound()));
    batch.flush();
    const report: WorkerReport = { kind: 'walked', tallies: tallies.map((t) => ({ ...t, listed: t.listed.map((l) => ({ path: l.path, outcome: outcomeToSend(l.outcome) })) })) };
    parent.postMessage(report);
  });
}
