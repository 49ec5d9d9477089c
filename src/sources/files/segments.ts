// One big file scanned by several threads at once. The file is cut into segments of a few MiB; each
// cut is chosen from the bytes near a nominal offset by the rule read windows are cut by (a line
// start, else just after a delimiter: src/fragments `cutNear`), so no key is cut in two and every
// thread that reads those bytes agrees on the cut. Threads take segments one at a time from a shared
// counter (Atomics), so a worker that is still starting takes fewer. Each segment is scanned through
// the thread's one read window, reading a margin past its end so that a key starting before the end
// is seen whole (it owns only those), and reports its findings with lines counted from its own start,
// its newline count and the width of its last line's part; joined in order (`joinSegments`), they
// are exactly what one thread reading the file from start to end finds, capped and counted the same.
//
// A file that changes while it is read (grows, shrinks, is rewritten) or whose segment cannot be read
// gives an error for the whole file: it is listed, never passed as clean.

import fs from 'node:fs';
import {
  CUT_VIEW_BEFORE,
  WINDOW_EDGE_MARGIN,
  WINDOW_OVERLAP,
  cutNear,
  findingsInRange,
  joinRangeFindings,
  textFormOf,
  type ContentFindings,
  type FindingFilterOptions,
  type FragmentMeta,
  type RangeFindings,
  type TextForm,
} from '../../fragments/index.js';
import { fsPath } from '../file-names.js';

export { SEGMENT_BYTES, SEGMENTED_MIN_BYTES, segmentSizes, type SegmentSizes } from './worker-start.js';

/** Where a file's segments start, and what each needs to know of the file before it. */
export interface SegmentPlan {
  /** The file's size and modification time when it was planned: a file that changes is not passed as read. */
  size: number;
  mtimeMs: number;
  /** The file's text form (from its BOM or first KiB), the same for every segment. */
  form: TextForm;
  /** Where each segment starts (the first at 0); the last runs to the end of the file. */
  starts: number[];
  /** Whether each segment starts inside a line. */
  midLine: boolean[];
}

/** Why a file's segments cannot be joined into its findings: it changed while it was read. */
export class ChangedWhileRead extends Error {}

/** Plans the segments of the open file `fd`. Throws what reading it throws (or ChangedWhileRead). */
export function planSegments(fd: number, segmentBytes: number): SegmentPlan {
  const st = fs.fstatSync(fd);
  const head = Buffer.alloc(Math.min(st.size, 1024));
  readExactly(fd, head, 0);
  const { form, bomLength } = textFormOf(head);
  const step = Math.max(segmentBytes, 2 * WINDOW_OVERLAP) & ~1; // even: a cut falls on a UTF-16 unit
  const starts = [0];
  const midLine = [false];
  const view = Buffer.allocUnsafe(CUT_VIEW_BEFORE + WINDOW_EDGE_MARGIN);
  for (let at = bomLength + step; at + step <= st.size; at += step) {
    readExactly(fd, view, at - CUT_VIEW_BEFORE);
    const c = cutNear(view, form);
    starts.push(at - CUT_VIEW_BEFORE + c.cut);
    midLine.push(c.midLine);
  }
  return { size: st.size, mtimeMs: st.mtimeMs, form, starts, midLine };
}

function readExactly(fd: number, buf: Buffer, position: number): void {
  for (let done = 0; done < buf.length; ) {
    const n = fs.readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) throw new ChangedWhileRead('changed while it was read (it shrank)');
    done += n;
  }
}

export type ReadAt = (buf: Buffer, offset: number) => number;

/**
 * Scans segment `k` of a planned file through `window`, reading with `readAt` (a positioned read of
 * the file). Throws ChangedWhileRead when the file is shorter or longer than planned.
 */
export function scanSegment(readAt: ReadAt, plan: SegmentPlan, k: number, window: Buffer, meta: FragmentMeta, options: FindingFilterOptions): RangeFindings {
  const lastSegment = k + 1 === plan.starts.length;
  const end = lastSegment ? Number.POSITIVE_INFINITY : plan.starts[k + 1];
  // What must be there to read: up to the margin past the segment's end, or the end of the file.
  const expected = lastSegment ? plan.size : Math.min(plan.size, end + WINDOW_EDGE_MARGIN);
  const read: ReadAt = (buf, offset) => {
    const n = readAt(buf, offset);
    if (n === 0 && offset < expected) throw new ChangedWhileRead('changed while it was read (it shrank)');
    if (offset + n > plan.size) throw new ChangedWhileRead('changed while it was read (it grew)');
    return n;
  };
  return findingsInRange(read, window, meta, options, { start: plan.starts[k], end, form: plan.form, midLine: plan.midLine[k] });
}

/** One segment's outcome, as a thread reports it. */
export type SegmentOutcome = ({ k: number } & RangeFindings) | { k: number; error: string };

/**
 * Takes segments of a planned file from the shared counter `claim[0]` until none is left and scans
 * each; `describe` says why a read failed.
 */
export function scanClaimedSegments(
  abs: string,
  meta: FragmentMeta,
  plan: SegmentPlan,
  claim: Int32Array,
  window: Buffer,
  options: FindingFilterOptions,
  describe: (e: unknown) => string,
  readSync: typeof fs.readSync = fs.readSync,
): SegmentOutcome[] {
  const out: SegmentOutcome[] = [];
  let fd = -1;
  try {
    for (let k = Atomics.add(claim, 0, 1); k < plan.starts.length; k = Atomics.add(claim, 0, 1)) {
      try {
        if (fd < 0) fd = fs.openSync(fsPath(abs), 'r');
        const file = fd;
        out.push({ k, ...scanSegment((buf, offset) => readSync(file, buf, 0, buf.length, offset), plan, k, window, meta, options) });
      } catch (e) {
        out.push({ k, error: e instanceof ChangedWhileRead ? e.message : describe(e) });
      }
    }
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
  return out;
}

/**
 * The findings of a file from the outcomes of all its segments (in any order), or why there are
 * none: a segment that could not be read, or a file that is not the one planned any more.
 */
export function joinSegments(abs: string, plan: SegmentPlan, outcomes: readonly SegmentOutcome[]): { findings: ContentFindings; bytes: number } | { error: string } {
  const parts: RangeFindings[] = new Array(plan.starts.length);
  for (const o of outcomes) {
    if ('error' in o) return { error: o.error };
    parts[o.k] = o;
  }
  for (let k = 0; k < parts.length; k++) if (!parts[k]) throw new Error(`segment ${k} of a file was never scanned`);
  let now: fs.Stats;
  try {
    now = fs.statSync(fsPath(abs));
  } catch {
    return { error: 'file vanished while it was read' };
  }
  if (now.size !== plan.size) return { error: `changed while it was read (it ${now.size > plan.size ? 'grew' : 'shrank'})` };
  if (now.mtimeMs !== plan.mtimeMs) return { error: 'changed while it was read' };
  return { findings: joinRangeFindings(parts), bytes: plan.size };
}
