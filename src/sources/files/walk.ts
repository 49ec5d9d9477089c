// The file source: walks folders, honours .gitignore files (nested too) and .mirrascanignore, and
// hands every file to the scan loop (src/fragments) as a fragment, read through one reused buffer per
// thread (bigger files in bounded windows). A big walk is walked and scanned by this thread and a
// worker thread together (see file-worker.ts); the report is the same however the work was split.

import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { nowMs } from '../clock.js';
import { UsageError } from '../../errors.js';
import type { Finding, ScanError, ScanResult, UnlistedFindings } from '../../finding.js';
import { defaultPolicy, findRoot, type PathRules, type Policy } from '../../policy/index.js';
import { bytePathString, fsPath, relativeName, resolveByteNamedPath } from '../file-names.js';
import { readStdinChunk } from './stdin.js';
import { readTrackedPaths, readTrackedPathsSoon, type TrackedPaths } from './tracked.js';
import { addFindings, allocateReadBuffer, findingsOfStream, type ContentFindings, type FindingFilterOptions } from '../../fragments/index.js';
import { FolderReader, realPathOf, type WalkSpec } from './folder-walk.js';
import { FileBatch, READ_WINDOW_BYTES, describe, metaOf, type FileReadOptions } from './read-file.js';
import { ChangedWhileRead, joinSegments, planSegments, scanClaimedSegments, type SegmentOutcome, type SegmentPlan } from './segments.js';
import { WORKER_MARK, segmentSizes, startFileWorker, threadCount, workerScriptBuilt, type SegmentSizes } from './worker-start.js';
import {
  SHARED,
  outcomeFromWorker,
  segmentFromWorker,
  tallySink,
  takeUnits,
  type ItemTally,
  type SegmentsJob,
  type SegmentsReport,
  type ShareUnit,
  type WorkerReport,
  type WorkerShare,
  type WorkerStart,
} from './file-worker.js';

export { READ_WINDOW_BYTES } from './read-file.js';

/** A walk that has found at least this many files is shared with worker threads (below it, starting one costs more than it saves). */
export const PARALLEL_MIN_FILES = 400;
/** At most this many workers besides this thread: each costs ~35 MB (its heap and read buffer), and three threads keep a big scan under 200 MB. */
const MAX_WORKERS = 2;
/**
 * The top of a walk is listed here, a whole level at a time, until a level holds this many folders
 * (or LIST_MOST_FOLDERS have been read): those folders are what the threads share out, each walked
 * whole by the thread that takes it. Many small shares keep every thread busy to the end.
 */
const LIST_LEVEL_FOLDERS = 256;
const LIST_MOST_FOLDERS = 4096;

export interface FileScanOptions {
  /** Files and folders to scan; `-` reads standard input. */
  paths: string[];
  cwd: string;
  /** What is ignored and allowed (default: the ignore files, no config). */
  policy?: Policy;
  /**
   * How many threads scan a big walk, this one included (default: `MIRRA_SCAN_THREADS`, else the
   * machine's parallelism); at most MAX_WORKERS + 1 = 3 run. 1 scans on this thread only.
   */
  threads?: number;
  /**
   * From what size a file is scanned in segments by every thread at once, and how big they are
   * (default: segments.ts, or MIRRA_SCAN_SEGMENTS). Only with more than one thread.
   */
  segments?: SegmentSizes;
  /** Called now and then with how far the scan is (a progress line). */
  onProgress?: (progress: FileScanProgress) => void;
  /**
   * For tests of the split: start workers once this many files are found (instead of PARALLEL_MIN_FILES
   * or a level of LIST_LEVEL_FOLDERS folders), wait for them to start before this thread takes a unit,
   * and say how many files they read.
   */
  shareForTests?: { minFiles: number; workerFiles?: (files: number) => void };
}

export interface FileScanProgress {
  /** Files read so far (by any thread). */
  read: number;
  /** Files found so far (a walk reads what it finds: the same as `read` while it goes on). */
  found: number;
  /** The walk is still finding files. */
  walking: boolean;
  /** A folder or file being read (its path from the root: it may hold a key, so mask it before showing it). */
  current?: string;
}

const toSlash = path.sep === '/' ? (p: string) => p : (p: string) => p.split(path.sep).join('/');

/**
 * One thing the scan reports on, in the order the report lists them. A walked folder is one item:
 * only the few of its files worth a line in the report (findings, errors) are kept, and sorted by
 * path at the end; the rest are counted.
 */
type Item = { kind: 'file'; abs: string; rel: string; size: number } | { kind: 'walk'; spec: WalkSpec; rules: PathRules } | { kind: 'stdin'; findings: ContentFindings; bytes: number };

export async function scanFiles(options: FileScanOptions): Promise<ScanResult> {
  const started = nowMs();
  const root = findRoot(options.cwd);
  const policy = options.policy ?? defaultPolicy(options.cwd);
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  const filterOptions: FindingFilterOptions = { inlineAllow: policy.inlineAllow };
  const items: Item[] = [];
  const named = new Set<string>();
  // What the command line names, by real path: a walk of a folder that holds one of them leaves it
  // to its own item (`scan . f.txt` reports `f.txt` once, `scan . sub` walks `sub` once).
  const namedReal = [...new Set(paths.filter((p) => p !== '-').map((p) => realPathOf(path.resolve(options.cwd, p))))];
  let rootTracked: TrackedPaths | null | undefined;
  for (const p of paths) {
    if (p === '-') {
      // Streamed through the windows a large file is read in: any size, bounded memory.
      const stdin = findingsOfStream({ file: '(stdin)', source: 'file', origin: 'stdin', commit: null, place: 'working-tree', read: readStdinChunk, window: allocateReadBuffer(READ_WINDOW_BYTES) }, filterOptions);
      items.push({ kind: 'stdin', ...stdin });
      continue;
    }
    const abs = path.resolve(options.cwd, p);
    let st: fs.Stats;
    // Set when the name is not UTF-8: the command line lost its odd bytes, the folder still has them.
    let bytes: Buffer | undefined;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new UsageError(`${JSON.stringify(p)} is a symbolic link loop`);
      const found = code === 'ENOENT' ? resolveByteNamedPath(abs) : null;
      if (found && !Buffer.isBuffer(found)) throw new UsageError(`cannot tell which file ${JSON.stringify(p)} names: ${found.ambiguous}`);
      if (!found) throw new UsageError(`no such file or folder: ${JSON.stringify(p)} (${code ?? 'unreadable'})`);
      bytes = found;
      st = fs.statSync(bytes);
    }
    // One file or folder named several ways (`f`, `./f`, `sub/../f`, its absolute path, a link to it) is scanned once.
    const real = bytes ? bytes.toString('latin1') : realPathOf(abs);
    if (named.has(real)) continue;
    named.add(real);
    const rel = bytes ? relativeName(root, bytes) : toSlash(path.relative(root, abs));
    if (!st.isDirectory()) {
      // Named explicitly: scanned even if ignored; not a regular file (a FIFO, a device) cannot be read in windows.
      if (!st.isFile()) throw new UsageError(`cannot read ${JSON.stringify(rel || p)}: not a regular file`);
      items.push({ kind: 'file', abs: bytes ? bytePathString(bytes) : abs, rel: rel || path.basename(abs), size: st.size });
      continue;
    }
    // Ignore files apply from the repository that holds the folder (this one, or another).
    const base = abs === root || isInside(root, abs) ? root : findRoot(abs);
    const tracked = policy.honourIgnoreFiles ? readTrackedPaths(base) : null;
    if (base === root && policy.honourIgnoreFiles) rootTracked = tracked; // read (null: not a repository), or left for markTracked
    const rules = policy.walkRules(base, tracked);
    const folderRel = bytes ? relativeName(base, bytes) : toSlash(path.relative(base, abs));
    rules.loadAncestors(folderRel);
    // A folder named on the command line is scanned even if ignored; then only the ignore files
    // inside it count (as `git add -f` would see it).
    const walkRules = folderRel !== '' && rules.ignores(folderRel, true) ? rules.from(folderRel) : rules;
    items.push({ kind: 'walk', spec: { dir: abs, dirBytes: bytes, rel, base, namedElsewhere: namedReal.length > 1 ? namedReal : [] }, rules: walkRules });
  }
  const threads = threadCount(options.threads);
  // A big file named (scanned in segments, a while): git lists the tracked files meanwhile, for the findings' hints.
  const minBig = (options.segments ?? segmentSizes()).minFileBytes;
  const trackedSoon = rootTracked === undefined && threads > 1 && items.some((item) => item.kind === 'file' && item.size >= minBig) ? readTrackedPathsSoon(root) : undefined;
  const tallies = await walkAndRead(items, threads, filterOptions, options);
  const result = assemble(items, tallies, started);
  markTracked(result.findings, root, trackedSoon ? await trackedSoon : rootTracked);
  return result;
}

/**
 * Reads every named file and walks every folder, on this thread and, once there are enough files to
 * be worth it, worker threads: this thread lists the top of each walk; then every thread takes
 * folders (each walked whole) and named files from that list by one shared counter until none is
 * left. Big files a thread meets are left for last and scanned in segments by every thread (this
 * thread's first, while the workers finish their shares). Returns what each item found, by item.
 */
async function walkAndRead(items: Item[], threads: number, filterOptions: FindingFilterOptions, options: FileScanOptions): Promise<ItemTally[]> {
  const sizes = options.segments ?? segmentSizes();
  const readOptions: FileReadOptions = { ...filterOptions, segmentedFrom: threads > 1 ? sizes.minFileBytes : undefined };
  const tallies: ItemTally[] = [];
  const sink = tallySink(tallies, items.length);
  const window = allocateReadBuffer(READ_WINDOW_BYTES);
  const batch = new FileBatch(window, readOptions, sink);
  const specs = items.map((item) => (item.kind === 'walk' ? item.spec : null));
  const reader = new FolderReader(
    specs,
    items.map((item) => (item.kind === 'walk' ? item.rules : null)),
    batch,
    sink,
  );
  const shared = new Int32Array(new SharedArrayBuffer((SHARED.workerStarted + MAX_WORKERS) * 4));
  const workers: Worker[] = [];
  const reports: Array<Promise<WorkerReport>> = [];
  /** Big files being scanned in segments, by id. */
  const segmentedFiles = new Map<number, SegmentedFile>();
  const minFiles = options.shareForTests?.minFiles ?? PARALLEL_MIN_FILES;
  // Rules that read ignore files from elsewhere than the working tree cannot be rebuilt in a worker: then this thread does it all.
  const rules = items.map((item) => (item.kind === 'walk' ? item.rules.toData() : null));
  const canShare = threads > 1 && items.every((item, i) => item.kind !== 'walk' || rules[i] !== null) && workerScriptBuilt(); // no worker script under a TypeScript test runner
  let found = 0;
  let listing = true;
  const units: ShareUnit[] = [];
  const startWorkers = () => {
    for (let i = 0; i < Math.min(MAX_WORKERS, threads - 1); i++) {
      // Not unref'd: the run waits for each started worker's report (the walk ends them, also on an error).
      const start: WorkerStart = { mark: WORKER_MARK, shared: shared.buffer as SharedArrayBuffer, slot: SHARED.workerStarted + i, options: readOptions };
      const worker = startFileWorker(start);
      const report = new Promise<WorkerReport>((resolve, reject) => {
        worker.on('message', (m: WorkerReport | SegmentsReport) => (m.kind === 'walked' ? resolve(m) : segmentedFiles.get(m.id)?.add(m.outcomes.map(segmentFromWorker))));
        const fail = (e: Error) => {
          reject(e);
          for (const file of segmentedFiles.values()) file.fail(e);
        };
        worker.once('error', fail);
        worker.once('exit', (code) => fail(new Error(`a scan worker stopped early (exit code ${code})`)));
      });
      report.catch(() => {}); // awaited once the walk is done; a failure there ends the run with exit code 2
      workers.push(worker);
      reports.push(report);
    }
  };
  // Workers boot while this thread lists; they get their share once the list is done.
  const sendShare = () => {
    const share: WorkerShare = { kind: 'share', specs, rules, units };
    for (const w of workers) w.postMessage(share);
    // (At most ~10 s: a worker that fails to start is reported by its promise below.)
    if (options.shareForTests) for (let i = 0; i < workers.length; i++) for (let t = 0; t < 2000 && Atomics.load(shared, SHARED.workerStarted + i) === 0; t++) Atomics.wait(shared, SHARED.workerStarted + i, 0, 5);
  };
  const bigNamed = readOptions.segmentedFrom !== undefined && items.some((item) => item.kind === 'file' && item.size >= sizes.minFileBytes);
  // After each folder or file this thread reads: the progress line, and whether to start the workers
  // (a big file named on the command line starts them at once, to be ready to help with it).
  const progress = () => {
    found += batch.takeFound();
    const big = options.shareForTests ? found >= minFiles : found >= minFiles || units.length >= LIST_LEVEL_FOLDERS || bigNamed;
    if (workers.length === 0 && big && canShare && (listing || Atomics.load(shared, SHARED.claim) < units.length)) {
      startWorkers();
      if (!listing) sendShare();
    }
    if (options.onProgress) {
      const all = found + Atomics.load(shared, SHARED.found);
      options.onProgress({ read: all, found: all, walking: Atomics.load(shared, SHARED.claim) < units.length || listing });
    }
  };
  /**
   * Scans big files in segments: plans each, hands it to the workers, takes segments itself from the
   * file's shared counter, then waits for the segments the workers took.
   */
  const scanSegmented = async (files: Array<{ item: number; abs: string; rel: string }>) => {
    if (files.length === 0) return;
    if (workers.length === 0 && canShare) {
      // A walk too small to have started them: they start now, and are sent the list (all taken) to close it.
      startWorkers();
      sendShare();
    }
    const planned: Array<{ file: SegmentedFile; item: number; abs: string; rel: string }> = [];
    for (const { item, abs, rel } of files) {
      let plan: SegmentPlan;
      let fd = -1;
      try {
        fd = fs.openSync(fsPath(abs), 'r');
        plan = planSegments(fd, sizes.segmentBytes);
      } catch (e) {
        sink.listed(item, rel, { error: e instanceof ChangedWhileRead ? e.message : describe(e) });
        continue;
      } finally {
        if (fd >= 0) fs.closeSync(fd);
      }
      const claim = new SharedArrayBuffer(4);
      const file = new SegmentedFile(segmentedFiles.size, plan, new Int32Array(claim));
      segmentedFiles.set(file.id, file);
      const job: SegmentsJob = { kind: 'segments', id: file.id, abs, rel, plan, claim };
      for (const w of workers) w.postMessage(job);
      planned.push({ file, item, abs, rel });
    }
    for (const { file, abs, rel } of planned) {
      if (sizes.workersOnly && workers.length > 0) break;
      file.add(scanClaimedSegments(abs, metaOf(rel), file.plan, file.claim, window, readOptions, describe));
    }
    for (const { file, item, abs, rel } of planned) {
      const outcome = joinSegments(abs, file.plan, await file.all);
      if ('error' in outcome || outcome.findings.length > 0) sink.listed(item, rel, outcome);
      else sink.quiet(item, outcome.bytes);
    }
  };
  const takeSegmented = (from: ReadonlyArray<ItemTally<unknown>>) =>
    from.flatMap((t, item) => {
      const big = t.segmented.map((f) => ({ item, ...f }));
      t.segmented = [];
      return big;
    });
  try {
    for (let item = 0; item < items.length; item++) {
      const it = items[item];
      if (it.kind === 'file') units.push({ item, path: it.abs, rel: it.rel });
      else if (it.kind === 'walk') {
        // Breadth first, a whole level at a time (the last level read is the one that is shared).
        let level = [it.spec.dir];
        let read = 0;
        while (level.length > 0 && level.length < LIST_LEVEL_FOLDERS && read < LIST_MOST_FOLDERS) {
          const next: string[] = [];
          for (const p of level) {
            reader.readFolder(item, p, next);
            progress();
          }
          read += level.length;
          level = next;
        }
        for (const p of level) units.push(reader.unit(item, p));
      }
      progress();
    }
    listing = false;
    if (workers.length > 0) sendShare();
    takeUnits(units, shared, reader, batch, progress);
    batch.flush();
    progress();
    await scanSegmented(takeSegmented(tallies));
    // A worker that has not taken a unit yet (still starting) never will: the counter is past the end.
    const started = reports.filter((_, i) => Atomics.load(shared, SHARED.workerStarted + i) === 1);
    let workerFiles = 0;
    for (const { tallies: theirs } of await Promise.all(started)) {
      theirs.forEach((t, item) => {
        const ours = tallies[item];
        workerFiles += t.files + t.listed.length;
        ours.files += t.files;
        ours.bytes += t.bytes;
        ours.skipped += t.skipped;
        for (const l of t.listed) ours.listed.push({ path: l.path, outcome: outcomeFromWorker(l.outcome) });
      });
      await scanSegmented(takeSegmented(theirs));
    }
    options.shareForTests?.workerFiles?.(workerFiles);
    return tallies;
  } finally {
    for (const w of workers) void w.terminate();
  }
}

/** A big file being scanned in segments: the outcomes of its segments as the threads report them. */
class SegmentedFile {
  private readonly outcomes: SegmentOutcome[] = [];
  private settle!: { resolve: (o: SegmentOutcome[]) => void; reject: (e: Error) => void };
  /** Every segment's outcome, once all are in; rejected if a worker fails first. */
  readonly all = new Promise<SegmentOutcome[]>((resolve, reject) => (this.settle = { resolve, reject }));

  constructor(
    readonly id: number,
    readonly plan: SegmentPlan,
    /** The next segment to take (shared by every thread). */
    readonly claim: Int32Array,
  ) {
    this.all.catch(() => {}); // awaited in scanSegmented
  }

  add(outcomes: SegmentOutcome[]): void {
    for (const o of outcomes) this.outcomes.push(o);
    if (this.outcomes.length === this.plan.starts.length) this.settle.resolve(this.outcomes);
  }

  fail(e: Error): void {
    if (this.outcomes.length < this.plan.starts.length) this.settle.reject(e);
  }
}

/** The report: items in order; in a walk, the files and errors worth a line in path order, the rest counted. */
function assemble(items: Item[], tallies: ItemTally[], started: number): ScanResult {
  const result: { findings: Finding[]; unlisted?: UnlistedFindings[] } = { findings: [] };
  const errors: ScanError[] = [];
  const stats = { files: 0, bytes: 0, skipped: 0, durationMs: 0 };
  items.forEach((item, i) => {
    if (item.kind === 'stdin') {
      stats.files++;
      stats.bytes += item.bytes;
      addFindings(result, item.findings, { file: '(stdin)', commit: null });
      return;
    }
    const tally = tallies[i];
    stats.files += tally.files;
    stats.bytes += tally.bytes;
    stats.skipped += tally.skipped;
    const listed = tally.listed;
    if (item.kind === 'walk') listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const { path: file, outcome } of listed) {
      if ('error' in outcome) {
        if (item.kind === 'file') throw new UsageError(`cannot read ${JSON.stringify(file)}: ${outcome.error}`);
        errors.push({ file: file || item.spec.rel || '.', message: outcome.error });
        stats.skipped++;
        continue;
      }
      stats.files++;
      stats.bytes += outcome.bytes;
      addFindings(result, outcome.findings, { file, commit: null });
    }
  });
  stats.durationMs = Math.round(nowMs() - started);
  return { ...result, errors, stats };
}

/**
 * A key in a file git tracks is in a commit (or about to be): the hint says so. One `git ls-files`,
 * only when there are findings and `known` (null: no repository, or git failed) was not read before.
 */
function markTracked(findings: Finding[], root: string, known: TrackedPaths | null | undefined): void {
  const inFiles = findings.filter((f) => f.origin === 'file');
  if (inFiles.length === 0) return;
  const tracked = known === undefined ? readTrackedPaths(root) : known;
  if (!tracked) return;
  for (const f of inFiles) f.tracked = tracked.files.has(f.file);
}

function isInside(dir: string, abs: string): boolean {
  const rel = path.relative(dir, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
