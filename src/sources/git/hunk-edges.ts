// A base64 blob wrapped over lines can be added in two commits: its first line (which holds the
// encoded `mirra_`) in one, the rest of the key in the next. Each commit's added lines alone hold
// half a key, so neither is found. When an added run starts or ends with a line of a wrapped base64
// blob, the blob the commit leaves is read and the run is scanned again with the base64 lines around
// it, and a key that crosses the run's edge is reported in this commit (the one that completes it).

import type { Finding } from '../../finding.js';
import { findingsOf, isBase64Code, type FindingFilterOptions, type FragmentMeta } from '../../fragments/index.js';

/** A line of a wrapped base64 blob: base64 only (after indentation, before `=` padding), at least this long. */
const WRAPPED_LINE_MIN = 16;
/**
 * How many lines around a run are read at most on each side: a key in base64 takes at most 176
 * characters, so with lines of 16 or more it spans at most 12 lines.
 */
const CONTEXT_LINES = 12;

/** True when `line` (one char per byte) may be a line of a base64 blob wrapped over lines. */
export function isWrappedBase64Line(line: string): boolean {
  let from = 0;
  while (from < line.length && (line.charCodeAt(from) === 32 || line.charCodeAt(from) === 9)) from++;
  let to = line.length;
  if (to > from && line.charCodeAt(to - 1) === 13) to--;
  while (to > from && line.charCodeAt(to - 1) === 61 /* = */) to--;
  if (to - from < WRAPPED_LINE_MIN) return false;
  for (let i = from; i < to; i++) if (!isBase64Code(line.charCodeAt(i))) return false;
  return true;
}

/** An added run whose first or last line may continue a wrapped base64 blob across the run's edge. */
export interface EdgeRun {
  blob: string;
  /** 1-based lines of the run in the new blob, first and last. */
  startLine: number;
  endLine: number;
  before: boolean;
  after: boolean;
  meta: FragmentMeta;
}

/** The run, if a base64 blob may cross its edges (else null): its first or last line looks like one of its lines. */
export function edgeRunOf(text: string, startLine: number, blob: string | undefined, meta: FragmentMeta): EdgeRun | null {
  if (!blob) return null;
  const firstEnd = text.indexOf('\n');
  const first = firstEnd < 0 ? text : text.slice(0, firstEnd);
  const last = text.slice(text.lastIndexOf('\n') + 1);
  const before = isWrappedBase64Line(first);
  const after = isWrappedBase64Line(last);
  if (!before && !after) return null;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return { blob, startLine, endLine: startLine + lines - 1, before, after, meta };
}

/**
 * Keys that cross the edges of `run`, found in the run with the wrapped base64 lines around it in
 * `blob` (the new content): only those that start before the run or end after it (the run alone
 * found the others).
 */
export function findingsAcrossEdges(run: EdgeRun, blob: Buffer, options: FindingFilterOptions): Finding[] {
  // Where lines 1, 2, … start, as far as the context after the run reaches.
  const starts = [0];
  const cap = run.endLine + CONTEXT_LINES;
  for (let nl = blob.indexOf(10); nl >= 0 && starts.length < cap; nl = blob.indexOf(10, nl + 1)) starts.push(nl + 1);
  if (run.endLine > starts.length) return []; // not the blob the run came from
  const end = (n: number) => (n < starts.length ? starts[n] - 1 : blob.length);
  const lineText = (n: number) => blob.toString('latin1', starts[n - 1], end(n));
  let from = run.startLine;
  if (run.before) while (from > 1 && run.startLine - from < CONTEXT_LINES && isWrappedBase64Line(lineText(from - 1))) from--;
  let to = run.endLine;
  if (run.after) while (to < starts.length && to - run.endLine < CONTEXT_LINES && isWrappedBase64Line(lineText(to + 1))) to++;
  if (from === run.startLine && to === run.endLine) return [];
  // The run with its context, as one fragment; of its findings, only those that cross the run's edges.
  const found = findingsOf({ ...run.meta, content: blob.subarray(starts[from - 1], end(to)), lineOffset: from - 1 }, options);
  return found.filter((f) => (f.line < run.startLine && f.endLine >= run.startLine) || (f.endLine > run.endLine && f.line <= run.endLine));
}
