// How the scan's worker threads start, and how many threads scan. A worker may be started early: the
// bin starts one before the rest of the CLI loads when the command line names a file big enough to
// be scanned in segments (segments.ts), so the worker's own start (a new V8 isolate and the scan
// code, ~20-40 ms) overlaps the CLI's instead of the scan; the walk then takes it over. Nothing else
// is loaded here, and Node's modules only when they are needed, so the bin (and the hooks' fast path
// it leads to) stays as quick to load as it was.

import type { Worker } from 'node:worker_threads';
import type { WorkerStart } from './file-worker.js';

const fs = () => process.getBuiltinModule('node:fs');
const newWorker = (workerData: WorkerStart | EarlyStart) => new (process.getBuiltinModule('node:worker_threads').Worker)(WORKER_URL, { workerData });

/** The worker script is there (it is once built; under a TypeScript test runner it is not). */
export function workerScriptBuilt(): boolean {
  return fs().existsSync(process.getBuiltinModule('node:url').fileURLToPath(WORKER_URL));
}

/** What a worker started early starts with: its WorkerStart comes later, as its first message. */
export interface EarlyStart {
  mark: typeof WORKER_MARK;
  early: true;
}

/** The `workerData` a scan worker is started with (file-worker.ts runs only under it). */
export const WORKER_MARK = 'mirra-scan:file-worker' as const;

/**
 * The worker script sits beside this module once built (in the bundles too), as CommonJS (it boots
 * faster: scripts/finish-build.js); under a TypeScript test runner it does not.
 */
const WORKER_URL = new URL('./file-worker.cjs', import.meta.url);

/**
 * Files at least this big are scanned in segments when more than one thread may scan. The worker
 * costs ~40-50 ms of CPU (its start, and compiling the detector's hot paths a second time), and two
 * threads scan a segment each about 1.5x slower than one thread alone does: on an idle 2-core
 * machine the split gained nothing at 64 and 96 MiB, 4% at 128 MiB, 12% at 200 MiB (bench/scan/README.md).
 */
export const SEGMENTED_MIN_BYTES = 128 * 1024 * 1024;
/** The nominal size of a segment. */
export const SEGMENT_BYTES = 4 * 1024 * 1024;

export interface SegmentSizes {
  /** Files at least this big are scanned in segments. */
  minFileBytes: number;
  segmentBytes: number;
  /** Only the workers take segments, when there are any (for tests, to be sure a worker scans them). */
  workersOnly?: boolean;
}

/**
 * The sizes in force: the defaults, or `MIRRA_SCAN_SEGMENTS=<minFileBytes>,<segmentBytes>[,workers]`
 * (for tests, which need many segments in a small file, and may leave every segment to the workers;
 * a segment is at least two read-window overlaps).
 */
export function segmentSizes(): SegmentSizes {
  const m = /^(\d+),(\d+)(,workers)?$/.exec(process.env.MIRRA_SCAN_SEGMENTS ?? '');
  if (!m) return { minFileBytes: SEGMENTED_MIN_BYTES, segmentBytes: SEGMENT_BYTES };
  return { minFileBytes: Number(m[1]), segmentBytes: Number(m[2]), workersOnly: m[3] !== undefined };
}

/** How many threads scan, this one included: `requested`, else `MIRRA_SCAN_THREADS`, else the machine's parallelism. */
export function threadCount(requested?: number): number {
  const fromEnv = Number(process.env.MIRRA_SCAN_THREADS);
  const n = requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : process.getBuiltinModule('node:os').availableParallelism());
  return Math.max(1, Math.floor(n));
}

/** A scan worker given `start`: the one started early if there is one (sent `start` now), else a new one. */
export function startFileWorker(start: WorkerStart): Worker {
  const early = (globalThis as Record<symbol, EarlyWorker | undefined>)[REGISTRY];
  if (early) {
    delete (globalThis as Record<symbol, unknown>)[REGISTRY];
    if (!early.ended) {
      early.worker.ref(); // the scan waits for it now
      early.worker.postMessage(start);
      return early.worker;
    }
  }
  return newWorker(start);
}

interface EarlyWorker {
  worker: Worker;
  ended: boolean;
}

// Kept on the global object: the bin (one bundle) starts the worker and the scan (another bundle,
// with its own copy of this module) takes it over.
const REGISTRY = Symbol.for('mirra-scan.early-file-worker');

/** What the paths a `scan` command line names are, as far as the bin's early decisions go. */
export interface NamedScan {
  /** A folder (or no path: the current folder) is walked. */
  walks: boolean;
  /** A regular file big enough to be scanned in segments, and more than one thread may scan. */
  bigFile: boolean;
}

/**
 * What `args` (the bin's arguments, for `scan` or the default command) name: folders to walk, a file
 * big enough for segments. The words are not parsed as the command line is (a flag's value, such as
 * `json` in `--format json`, is a word too): a word that names nothing on disk is passed over, and a
 * command line that names nothing that exists walks the current folder, as `scan` with no path does.
 */
export function namedScan(args: readonly string[], cwd: string): NamedScan {
  const words = args.filter((a) => !a.startsWith('-'));
  const paths = words[0] === 'scan' ? words.slice(1) : words;
  const { minFileBytes } = segmentSizes();
  const many = threadCount() >= 2;
  const named: NamedScan = { walks: false, bigFile: false };
  let found = args.includes('-'); // standard input is named
  for (const p of paths) {
    let st: import('node:fs').Stats;
    try {
      st = fs().statSync(process.getBuiltinModule('node:path').resolve(cwd, p));
    } catch {
      continue; // (the scan reports a path it cannot read)
    }
    found = true;
    if (st.isDirectory()) named.walks = true;
    else if (many && st.isFile() && st.size >= minFileBytes) named.bigFile = true;
  }
  if (!found) named.walks = true;
  return named;
}

/**
 * Starts a scan worker now, for a command line that names a big file (`namedScan`), so its start
 * overlaps the CLI's. A worker nobody takes over (a bad flag, `--help`) does not keep the process alive.
 */
export function startFileWorkerEarly(): void {
  if (!workerScriptBuilt()) return;
  const early: EarlyWorker = { worker: newWorker({ mark: WORKER_MARK, early: true }), ended: false };
  early.worker.on('error', () => {}); // before it is taken over (after, the scan listens too)
  early.worker.once('exit', () => (early.ended = true));
  early.worker.unref();
  (globalThis as Record<symbol, EarlyWorker>)[REGISTRY] = early;
}
