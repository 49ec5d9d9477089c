// The file source: walks folders with fast-glob, honours .gitignore files (nested too) and
// .mirrascanignore, and hands every file to the scan loop (src/fragments) as a fragment, read
// through one reused buffer per thread (bigger files in bounded windows). A big walk is scanned by this thread and worker threads
// together (see file-worker.ts); the report's order is the walk's order either way.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import fg from 'fast-glob';
import { UsageError } from '../../errors.js';
import type { Finding, ScanError, ScanResult, UnlistedFindings } from '../../finding.js';
import { defaultPolicy, findRoot, type PathRules, type Policy } from '../../policy/index.js';
import { bytePathString, displayName, fsPath, mayHaveLostBytes, relativeName, resolveByteNamedPath } from '../file-names.js';
import { readStdinChunk } from './stdin.js';
import { readTrackedPaths, type TrackedPaths } from './tracked.js';
import { addFindings, allocateReadBuffer, findingsOfStream, type ContentFindings, type FindingFilterOptions } from '../../fragments/index.js';
import {
  READ_WINDOW_BYTES,
  SHARED,
  WORKER_MARK,
  describe,
  findingFromWorker,
  metaOf,
  packJobs,
  scanSharedJobs,
  segmentFromWorker,
  type FileJob,
  type FileOutcome,
  type FileReadOptions,
  type JobOutcome,
  type SegmentsJob,
  type SegmentsReport,
  type WorkerReport,
  type WorkerStart,
} from './file-worker.js';
import { ChangedWhileRead, joinSegments, planSegments, scanClaimedSegments, segmentSizes, type SegmentOutcome, type SegmentPlan, type SegmentSizes } from './segments.js';

export { READ_WINDOW_BYTES } from './file-worker.js';

/** A walk of at least this many files is shared with worker threads (below it, starting them costs more than it saves). */
export const PARALLEL_MIN_FILES = 400;
/** At most this many workers besides this thread: each costs ~35 MB (its heap and read buffer), and three threads keep a big scan under 200 MB. */
const MAX_WORKERS = 2;
/** Jobs are sent to the workers in batches of this many. */
const SEND_BATCH = 256;

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
  /** Called now and then with how far the scan is (a progress line): files found, files taken to be read, one being read. */
  onProgress?: (progress: FileScanProgress) => void;
}

export interface FileScanProgress {
  /** Files taken to be read so far (by any thread). */
  read: number;
  /** Files found so far. */
  found: number;
  /** The walk is still finding files. */
  walking: boolean;
  /** A file being read (its path from the root: it may hold a key, so mask it before showing it). */
  current?: string;
}

const toSlash = path.sep === '/' ? (p: string) => p : (p: string) => p.split(path.sep).join('/');

/**
 * One thing the scan reports on, in the order the report lists them. A walked folder is one item:
 * its files are the jobs `[firstJob, endJob)` in walk order, and only the few of them worth a line
 * in the report (findings, errors) are sorted by path at the end (sorting all 39,000 files of a big
 * tree cost more than scanning a thousand of them).
 */
type Item =
  | { kind: 'file'; job: number; named: boolean }
  | { kind: 'walk'; firstJob: number; endJob: number; others: Walked[]; name: string }
  | { kind: 'stdin'; findings: ContentFindings; bytes: number };

export async function scanFiles(options: FileScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const root = findRoot(options.cwd);
  const policy = options.policy ?? defaultPolicy(options.cwd);
  const paths = options.paths.length > 0 ? options.paths : ['.'];
  const filterOptions: FindingFilterOptions = { inlineAllow: policy.inlineAllow };
  const queue = new JobQueue(threadCount(options.threads), filterOptions, options.segments ?? segmentSizes(), options.onProgress);
  const items: Item[] = [];
  const named = new Set<string>();
  // What the command line names, by real path: a walk of a folder that holds one of them leaves it
  // to its own item (`scan . f.txt` reports `f.txt` once, `scan . sub` walks `sub` once).
  const namedReal = new Set(paths.filter((p) => p !== '-').map((p) => realPathOf(path.resolve(options.cwd, p))));
  let rootTracked: TrackedPaths | null | undefined;
  try {
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
        items.push({ kind: 'file', job: queue.add(bytes ? bytePathString(bytes) : abs, rel || path.basename(abs), st.size), named: true });
        continue;
      }
      // Ignore files apply from the repository that holds the folder (this one, or another).
      const base = abs === root || isInside(root, abs) ? root : findRoot(abs);
      const tracked = policy.honourIgnoreFiles ? readTrackedPaths(base) : null;
      if (base === root) rootTracked = tracked;
      const rules = policy.walkRules(base, tracked);
      const folderRel = bytes ? relativeName(base, bytes) : toSlash(path.relative(base, abs));
      rules.loadAncestors(folderRel);
      // A folder named on the command line is scanned even if ignored; then only the ignore files
      // inside it count (as `git add -f` would see it).
      const walkRules = folderRel !== '' && rules.ignores(folderRel, true) ? rules.from(folderRel) : rules;
      const firstJob = queue.jobs.length;
      const others = walk(abs, rel, base, walkRules, queue, bytes, namedReal);
      items.push({ kind: 'walk', firstJob, endJob: queue.jobs.length, others, name: rel || '.' });
    }
    const { outcomes, quiet } = await queue.finish();
    const result = assemble(items, queue.jobs, outcomes, quiet, started);
    markTracked(result.findings, root, rootTracked);
    return result;
  } finally {
    queue.stop();
  }
}

/**
 * The files to read, in the order the walk finds them. Once there are enough of them to be worth it,
 * worker threads start, and they scan while the walk goes on: jobs are sent to them in batches as
 * they are found, and every thread (this one too, once the walk is done) takes batches of jobs from
 * one shared counter until none is left.
 */
class JobQueue {
  readonly jobs: FileJob[] = [];
  private readonly shared = new Int32Array(new SharedArrayBuffer((SHARED.workerStarted + MAX_WORKERS) * 4));
  private readonly workers: Array<{ worker: Worker; port: MessagePort; report: Promise<WorkerReport> }> = [];
  private sent = 0;
  private readonly options: FileReadOptions;
  /** Big files being scanned in segments, by id (see scanSegmented). */
  private readonly segmented = new Map<number, SegmentedFile>();

  constructor(
    private readonly threads: number,
    options: FindingFilterOptions,
    private readonly segments: SegmentSizes,
    private readonly onProgress?: (progress: FileScanProgress) => void,
  ) {
    Atomics.store(this.shared, SHARED.total, -1);
    this.options = { ...options, segmentedFrom: threads > 1 ? segments.minFileBytes : undefined };
  }

  /** Adds a file to read (`size` when known); returns its job index. */
  add(abs: string, rel: string, size?: number): number {
    this.jobs.push({ abs, rel });
    const n = this.jobs.length;
    if (this.onProgress && n % 64 === 0) this.onProgress({ read: this.taken(), found: n, walking: true, current: rel });
    // A file big enough to be scanned in segments: the workers start now, to be ready to help with it.
    const big = size !== undefined && this.options.segmentedFrom !== undefined && size >= this.options.segmentedFrom;
    if ((n === PARALLEL_MIN_FILES || big) && this.threads > 1 && this.workers.length === 0) this.startWorkers();
    if (this.workers.length > 0 && n - this.sent >= SEND_BATCH) this.send();
    return n - 1;
  }

  /**
   * Scans what is left (with the workers, if any) and gathers every outcome by job index. Big files
   * a thread met in the list are left for last and scanned in segments by every thread (this one's
   * first, while the workers finish their share of the list).
   */
  async finish(): Promise<{ outcomes: Array<FileOutcome | undefined>; quiet: { files: number; bytes: number } }> {
    const outcomes: Array<JobOutcome | undefined> = new Array(this.jobs.length);
    const quiet = { files: 0, bytes: 0 };
    this.send();
    Atomics.store(this.shared, SHARED.total, this.jobs.length);
    this.wake();
    const window = allocateReadBuffer(READ_WINDOW_BYTES);
    const big: number[] = [];
    scanSharedJobs(this.jobs, this.shared, window, this.options, (index, outcome) => {
      outcomes[index] = outcome;
      if ('segmented' in outcome) big.push(index);
      this.onProgress?.({ read: this.taken(), found: this.jobs.length, walking: false, current: this.jobs[index].rel });
    });
    await this.scanSegmented(big, outcomes, window);
    // A worker that has not taken a batch yet (still starting) never will: the counter is past the end.
    const started = this.workers.filter((_, i) => Atomics.load(this.shared, SHARED.workerStarted + i) === 1);
    const bigOfWorkers: number[] = [];
    for (const report of await Promise.all(started.map((w) => w.report))) {
      quiet.files += report.quietFiles;
      quiet.bytes += report.quietBytes;
      for (const o of report.outcomes) {
        if (o.segmented) bigOfWorkers.push(o.index);
        outcomes[o.index] = o.segmented
          ? { segmented: true }
          : o.error !== undefined
            ? { error: o.error }
            : { bytes: o.bytes, findings: Object.assign(o.findings.map(findingFromWorker), o.unlisted ? { unlisted: o.unlisted } : {}) };
      }
    }
    await this.scanSegmented(bigOfWorkers, outcomes, window);
    return { outcomes: outcomes as Array<FileOutcome | undefined>, quiet };
  }

  /**
   * Scans the files `indices` in segments (segments.ts): plans each, hands it to the workers, takes
   * segments itself from the shared counter, then waits for the segments the workers took.
   */
  private async scanSegmented(indices: number[], outcomes: Array<JobOutcome | undefined>, window: Buffer): Promise<void> {
    if (indices.length === 0) return;
    if (this.workers.length === 0) {
      // A walk too small to have started them: they start now, and are sent the list (all taken) to close it.
      this.startWorkers();
      this.send();
    }
    const files: SegmentedFile[] = [];
    for (const index of indices) {
      const { abs, rel } = this.jobs[index];
      let plan: SegmentPlan;
      let fd = -1;
      try {
        fd = fs.openSync(fsPath(abs), 'r');
        plan = planSegments(fd, this.segments.segmentBytes);
      } catch (e) {
        outcomes[index] = { error: e instanceof ChangedWhileRead ? e.message : describe(e) };
        continue;
      } finally {
        if (fd >= 0) fs.closeSync(fd);
      }
      const claim = new SharedArrayBuffer(4);
      const file = new SegmentedFile(this.segmented.size, index, plan, new Int32Array(claim));
      this.segmented.set(file.id, file);
      const job: SegmentsJob = { kind: 'segments', id: file.id, abs, rel, plan, claim };
      for (const w of this.workers) w.worker.postMessage(job);
      files.push(file);
    }
    for (const file of files) {
      if (this.segments.workersOnly && this.workers.length > 0) break;
      const { abs, rel } = this.jobs[file.index];
      this.onProgress?.({ read: this.taken(), found: this.jobs.length, walking: false, current: rel });
      file.add(scanClaimedSegments(abs, metaOf(rel), file.plan, file.claim, window, this.options, describe));
    }
    for (const file of files) {
      outcomes[file.index] = joinSegments(this.jobs[file.index].abs, file.plan, await file.all);
    }
  }

  stop(): void {
    for (const w of this.workers) void w.worker.terminate();
  }

  /** How many jobs the threads have taken so far (batches are taken whole). */
  private taken(): number {
    return Math.min(Atomics.load(this.shared, SHARED.claim), this.jobs.length);
  }

  private startWorkers(): void {
    if (!fs.existsSync(fileURLToPath(WORKER_URL))) return; // under a TypeScript test runner: this thread does it all
    for (let i = 0; i < Math.min(MAX_WORKERS, this.threads - 1); i++) {
      // Not unref'd: the run waits for each worker's report (stop() ends them, also on an error).
      const worker = new Worker(WORKER_URL, { workerData: WORKER_MARK });
      const { port1, port2 } = new MessageChannel();
      const report = new Promise<WorkerReport>((resolve, reject) => {
        worker.on('message', (m: WorkerReport | SegmentsReport) => (m.kind === 'jobs' ? resolve(m) : this.segmented.get(m.id)?.add(m.outcomes.map(segmentFromWorker))));
        const fail = (e: Error) => {
          reject(e);
          for (const file of this.segmented.values()) file.fail(e);
        };
        worker.once('error', fail);
        worker.once('exit', (code) => fail(new Error(`a scan worker stopped early (exit code ${code})`)));
      });
      report.catch(() => {}); // awaited in finish(); a failure there ends the run with exit code 2
      const start: WorkerStart = { kind: 'start', port: port2, shared: this.shared.buffer as SharedArrayBuffer, slot: SHARED.workerStarted + i, options: this.options };
      worker.postMessage(start, [port2]);
      this.workers.push({ worker, port: port1, report });
    }
  }

  /** Sends the jobs found since the last send to every worker. */
  private send(): void {
    if (this.workers.length === 0 || this.sent === this.jobs.length) return;
    const packed = packJobs(this.jobs, this.sent, this.jobs.length);
    for (const w of this.workers) w.port.postMessage(packed);
    this.sent = this.jobs.length;
    Atomics.store(this.shared, SHARED.published, this.sent);
    this.wake();
  }

  private wake(): void {
    Atomics.add(this.shared, SHARED.epoch, 1);
    Atomics.notify(this.shared, SHARED.epoch);
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
    /** Its job index. */
    readonly index: number,
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

function assemble(
  items: Item[],
  jobs: FileJob[],
  outcomes: Array<FileOutcome | undefined>,
  quiet: { files: number; bytes: number },
  started: number,
): ScanResult {
  const result: { findings: Finding[]; unlisted?: UnlistedFindings[] } = { findings: [] };
  const errors: ScanError[] = [];
  const stats = { files: quiet.files, bytes: quiet.bytes, skipped: 0, durationMs: 0 };
  const addFile = (job: number, named: boolean) => {
    const outcome = outcomes[job];
    if (outcome === undefined) return; // read by a worker, nothing to report (counted in `quiet`)
    const rel = jobs[job].rel;
    if ('error' in outcome) {
      if (named) throw new UsageError(`cannot read ${JSON.stringify(rel)}: ${outcome.error}`);
      errors.push({ file: rel, message: outcome.error });
      stats.skipped++;
      return;
    }
    stats.files++;
    stats.bytes += outcome.bytes;
    addFindings(result, outcome.findings, { file: rel, commit: null });
  };
  for (const item of items) {
    if (item.kind === 'stdin') {
      stats.files++;
      stats.bytes += item.bytes;
      addFindings(result, item.findings, { file: '(stdin)', commit: null });
    } else if (item.kind === 'file') {
      addFile(item.job, item.named);
    } else {
      // Quiet files are only counted; what the report lists is put in path order.
      const listed: Array<{ path: string; job: number; entry?: Walked }> = [];
      for (let job = item.firstJob; job < item.endJob; job++) {
        const outcome = outcomes[job];
        if (outcome === undefined) continue;
        if ('error' in outcome || outcome.findings.length > 0) listed.push({ path: jobs[job].rel, job });
        else {
          stats.files++;
          stats.bytes += outcome.bytes;
        }
      }
      for (const entry of item.others) {
        if (entry.kind === 'error') listed.push({ path: entry.path, job: -1, entry });
        else stats.skipped++;
      }
      listed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const l of listed) {
        if (l.entry?.kind === 'error') {
          errors.push({ file: l.entry.path || item.name, message: l.entry.message });
          stats.skipped++;
        } else addFile(l.job, false);
      }
    }
  }
  stats.durationMs = Math.round(performance.now() - started);
  return { ...result, errors, stats };
}

/** A key in a file git tracks is in a commit (or about to be): the hint says so. One `git ls-files`, only when there are findings. */
function markTracked(findings: Finding[], root: string, known: TrackedPaths | null | undefined): void {
  const inFiles = findings.filter((f) => f.origin === 'file');
  if (inFiles.length === 0) return;
  const tracked = known ?? readTrackedPaths(root);
  if (!tracked) return;
  for (const f of inFiles) f.tracked = tracked.files.has(f.file);
}

function threadCount(requested: number | undefined): number {
  const fromEnv = Number(process.env.MIRRA_SCAN_THREADS);
  const n = requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : os.availableParallelism());
  return Math.max(1, Math.floor(n));
}

/** The worker script sits beside this module once built; under a TypeScript test runner it does not. */
const WORKER_URL = new URL('./file-worker.js', import.meta.url);

function isInside(dir: string, abs: string): boolean {
  const rel = path.relative(dir, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

type Walked = { kind: 'error'; path: string; message: string } | { kind: 'skip'; path: string };

/**
 * Every file under `dir`, added to `queue` as it is found (`rel`: the folder's name in reports),
 * links checked, ignored folders pruned. Returns what is not a file to read (unreadable folders,
 * links), `rel`-prefixed, in walk order.
 */
function walk(dir: string, rel: string, base: string, rules: PathRules, queue: JobQueue, dirBytes?: Buffer, namedElsewhere: ReadonlySet<string> = new Set()): Walked[] {
  const out: Walked[] = [];
  const relPrefix = rel === '' ? '' : rel + '/';
  // Links are not followed, so an entry's real path is the folder's real path and the rest of its own.
  const realDir = namedElsewhere.size > 1 ? realPathOf(dir) : null;
  const ignoreFiles = rules.fileNames;
  // fast-glob walks the tree through this readdir, which does the work of each folder: it records
  // folders it cannot read (instead of failing the walk), loads the folder's ignore files, prunes what
  // they ignore, and takes the files and links itself (fast-glob's own matching would drop names
  // with a newline). Only folders go back to fast-glob, to descend into.
  // Names that are not UTF-8 are walked under their shown name (`\xNN`) and opened by their bytes.
  const bytePaths = new Map<string, Buffer>(dirBytes ? [[dir, dirBytes]] : []);
  const readdirSync = (p: string, opts: unknown): fs.Dirent[] => {
    const relDir = p === dir ? '' : toSlash(p.slice(dir.length + 1));
    const prefix = relPrefix + (relDir === '' ? '' : relDir + '/');
    const pBytes = bytePaths.size > 0 ? bytePaths.get(p) : undefined;
    let entries: fs.Dirent[];
    try {
      entries = pBytes ? [] : fs.readdirSync(p, opts as { withFileTypes: true });
      if (pBytes || entries.some((e) => mayHaveLostBytes(e.name))) entries = byteNamedEntries(pBytes ?? Buffer.from(p), p, bytePaths);
    } catch (e) {
      out.push({ kind: 'error', path: prefix.slice(0, -1), message: `folder not readable (${(e as NodeJS.ErrnoException).code})` });
      return [];
    }
    let basePrefix = '';
    if (rules.active) {
      const baseDir = p === base ? '' : toSlash(p.slice(base.length + 1));
      if (entries.some((e) => ignoreFiles.includes(e.name))) rules.load(baseDir);
      basePrefix = baseDir === '' ? '' : baseDir + '/';
    }
    const folders: fs.Dirent[] = [];
    const realPrefix = realDir === null ? '' : realDir + p.slice(dir.length) + path.sep;
    for (const e of entries) {
      if (e.name === '.git') continue;
      if (realDir !== null && namedElsewhere.has(realPrefix + e.name)) continue; // scanned as its own item
      const isDir = e.isDirectory();
      if (rules.active && rules.ignores(basePrefix + e.name, isDir)) continue;
      const bytes = bytePaths.size > 0 ? bytePaths.get(p + path.sep + e.name) : undefined;
      if (isDir) folders.push(e);
      else if (e.isFile()) queue.add(bytes ? bytePathString(bytes) : p + path.sep + e.name, prefix + e.name);
      else if (e.isSymbolicLink()) out.push(checkLink(bytes ?? p + path.sep + e.name, prefix + e.name));
      // A FIFO could block a read forever, a device could be endless: said, never opened.
      else out.push({ kind: 'error', path: prefix + e.name, message: 'not a regular file (a FIFO, socket or device): not read' });
    }
    return folders;
  };
  fg.sync('**', {
    cwd: dir,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    unique: false,
    fs: { readdirSync } as unknown as fg.FileSystemAdapter,
  });
  return out;
}

function realPathOf(abs: string): string {
  try {
    return fs.realpathSync(abs);
  } catch {
    return abs;
  }
}

/**
 * A folder's entries read as bytes (the folder holds a name that is not UTF-8, or is itself named so):
 * each shown by `displayName`; where that is not its real name, `bytePaths` maps the path under the
 * shown name to the bytes that open it.
 */
function byteNamedEntries(dirBytes: Buffer, dirShown: string, bytePaths: Map<string, Buffer>): fs.Dirent[] {
  const sep = Buffer.from(path.sep);
  return fs.readdirSync(dirBytes, { withFileTypes: true, encoding: 'buffer' }).map((d) => {
    const name = displayName(d.name);
    const bytes = Buffer.concat([dirBytes, sep, d.name]);
    const shownPath = dirShown + path.sep + name;
    if (!Buffer.from(shownPath).equals(bytes)) bytePaths.set(shownPath, bytes);
    const shown = { name, isDirectory: () => d.isDirectory(), isFile: () => d.isFile(), isSymbolicLink: () => d.isSymbolicLink() };
    return shown as unknown as fs.Dirent;
  });
}

/** Links are never followed: a target inside the tree is scanned where it is, one outside is not ours. */
function checkLink(abs: string | Buffer, rel: string): Walked {
  try {
    fs.realpathSync(abs);
    return { kind: 'skip', path: rel };
  } catch (e) {
    return { kind: 'error', path: rel, message: linkProblem(e) };
  }
}

/** Why a link cannot be followed: a loop (ELOOP) is not a broken link. */
function linkProblem(e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'symbolic link loop' : 'broken symbolic link';
}


