// Reading files for the scan loop (src/fragments): one file on its own (`scanFileAt`), or many small
// ones one after another into one buffer and searched together (`FileBatch`). Each thread that scans
// (this one, a worker) has its own buffer and batch.

import fs from 'node:fs';
import { fsPath } from '../file-names.js';
import { findingsOf, findingsOfStream, forEachTraceCandidate, textFormOf, type ContentFindings, type FindingFilterOptions, type FragmentMeta } from '../../fragments/index.js';

/**
 * Files are read through one reused buffer of this size (one per thread); bigger files are read in
 * windows. 1 MiB rather than more: a window this small stays in the CPU cache between the read that
 * fills it and the needle searches over it (a 200 MiB file scans ~25% faster than through 8 MiB
 * windows, and the other threads' memory traffic hurts it less), and each thread holds 7 MiB less.
 */
export const READ_WINDOW_BYTES = 1024 * 1024;

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

/** A file of a batch that may be UTF-16 text (a BOM, a zero byte in its first KiB): searched as decoded text, not as the batch's bytes. */
const MAY_BE_UTF16 = 1;
/** A file of a batch in which the batch search met a needle. */
const TRACED = 2;

/** A batch's files are read one after another into the window while at least this much of it is free. */
const BATCH_ROOM = 512 * 1024;

/** Where a batch's files end up: only files worth a line in the report become an outcome (and get their path built). */
export interface BatchSink {
  /** A file with findings, or one that could not be read; `rel` names it in the report. */
  listed(item: number, rel: string, outcome: FileOutcome): void;
  /** A file read whole with nothing to report. */
  quiet(item: number, bytes: number): void;
  /** A big file left to be scanned in segments by every thread, once the walk is done (`abs` opens it). */
  segmented(item: number, abs: string, rel: string): void;
}

/**
 * Most files are small and hold no key: they are read one after another into `window` and searched
 * together, so each needle costs one `indexOf` call per batch instead of one per file (for files of a
 * few KiB, the cost of a call is much of a search's). Only a file with a needle in it, or that may be
 * UTF-16 text (searched as decoded text), or that does not fit, is scanned on its own, exactly as
 * `scanFileAt` would. A file in the batch is a few numbers and the two strings its walk already had
 * (its folder's report prefix, its name): no object, and no path for the report unless it is listed.
 */
export class FileBatch {
  private readonly items: number[] = [];
  private readonly prefixes: string[] = [];
  private readonly names: string[] = [];
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  /** Why a file of the batch is scanned on its own (MAY_BE_UTF16, TRACED), or 0. */
  private readonly alone: number[] = [];
  private count = 0;
  private used = 0;
  private found = 0;

  constructor(
    private readonly window: Buffer,
    private readonly options: FileReadOptions,
    private readonly sink: BatchSink,
  ) {}

  /** Reads the file at `abs` (report name `prefix + name`, part of report item `item`) into the batch; scans the batch when it is full. */
  add(item: number, abs: string, prefix: string, name: string): void {
    this.found++;
    const window = this.window;
    if (window.length - this.used < BATCH_ROOM) this.flush();
    let fd: number;
    try {
      fd = fs.openSync(fsPath(abs), 'r');
    } catch {
      this.settle(item, abs, prefix + name, scanFileAt(abs, prefix + name, window.subarray(this.used), this.options)); // tells why
      return;
    }
    let n: number;
    try {
      n = readFull(fd, window, this.used, 0);
    } catch (e) {
      this.sink.listed(item, prefix + name, { error: describe(e) });
      return;
    } finally {
      fs.closeSync(fd);
    }
    if (this.used + n < window.length) {
      const k = this.count++;
      this.items[k] = item;
      this.prefixes[k] = prefix;
      this.names[k] = name;
      this.starts[k] = this.used;
      this.lengths[k] = n;
      this.alone[k] = 0;
      this.used += n;
    } else {
      // It may go on past the window: scan it on its own, in windows.
      this.flush();
      this.settle(item, abs, prefix + name, scanFileAt(abs, prefix + name, window, this.options));
    }
  }

  private settle(item: number, abs: string, rel: string, outcome: JobOutcome): void {
    if ('segmented' in outcome) this.sink.segmented(item, abs, rel);
    else if ('error' in outcome || outcome.findings.length > 0) this.sink.listed(item, rel, outcome);
    else this.sink.quiet(item, outcome.bytes);
  }

  /** How many files were added since the last call (a walk's progress, its decision to share the work). */
  takeFound(): number {
    const n = this.found;
    this.found = 0;
    return n;
  }

  /** Scans the files read so far. */
  flush(): void {
    const count = this.count;
    if (count === 0) return;
    const { window, starts, lengths, alone } = this;
    const fileAt = (offset: number) => {
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const view = window.subarray(0, this.used);
    // textFormOf takes a file for UTF-16 on a BOM, or on a zero byte in its first KiB.
    for (let k = 0; k < count; k++) {
      const b0 = window[starts[k]];
      const b1 = window[starts[k] + 1];
      if (lengths[k] >= 2 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))) alone[k] = MAY_BE_UTF16;
    }
    for (let z = view.indexOf(0); z >= 0; ) {
      const k = fileAt(z);
      if (z < starts[k] + 1024) alone[k] = MAY_BE_UTF16;
      if (k + 1 >= count) break;
      z = view.indexOf(0, starts[k + 1]);
    }
    // The fast path (docs/detector.md, "How content is read"): one trace search over the whole batch,
    // not one a file; only files with a trace (or that may be UTF-16) become fragments for the loop.
    forEachTraceCandidate(view, (at) => {
      const k = fileAt(at);
      alone[k] |= TRACED;
      return k + 1 < count ? starts[k + 1] : -1;
    });
    for (let k = 0; k < count; k++) {
      // A file with a zero byte in its first KiB that is not UTF-16 after all (a binary file: an
      // image, a font) is searched as bytes, as the batch search just did: without a trace, nothing to do.
      if (alone[k] === MAY_BE_UTF16 && textFormOf(window.subarray(starts[k], starts[k] + lengths[k])).form === 'utf8') alone[k] = 0;
      if (alone[k]) {
        const rel = this.prefixes[k] + this.names[k];
        const findings = findingsOf({ ...metaOf(rel), content: window.subarray(starts[k], starts[k] + lengths[k]) }, this.options);
        if (findings.length > 0) {
          this.sink.listed(this.items[k], rel, { findings, bytes: lengths[k] });
          continue;
        }
      }
      this.sink.quiet(this.items[k], lengths[k]);
    }
    // Drop the strings now (the arrays stay, for the next batch).
    this.prefixes.fill('', 0, count);
    this.names.fill('', 0, count);
    this.count = 0;
    this.used = 0;
  }
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
