// What every source hands to the scan loop (src/fragments/index.ts): a fragment is a piece of
// content (text or bytes, or a reader for content too large to hold), where it came from (file,
// origin, commit, ...) and where it starts (the line before its first line). Sources never call the
// detector: they yield fragments, and the loop turns them into findings.

import type { Finding, FindingOrigin, FindingPlace, FindingSource, UnlistedFindings } from '../finding.js';

/** Where a fragment came from and where it starts: copied onto each of its findings. */
export interface FragmentMeta {
  file: string;
  source: FindingSource;
  /** Default: from `source`. */
  origin?: FindingOrigin;
  commit: string | null;
  place?: FindingPlace;
  /** For `tag-message`. */
  tag?: string;
  author?: string;
  date?: string;
  /** Line of the content's first line in its file, minus one (for a hunk of added lines). */
  lineOffset?: number;
}

/** Content held whole: a file read in one go, a run of added lines, a message, a blob. */
export interface Fragment extends FragmentMeta {
  /** Bytes (UTF-8, or UTF-16 from a BOM or zero bytes) or text. */
  content: Buffer | string;
}

/**
 * Content read window by window (a large file, standard input): `read(buf, offset)` fills `buf` from
 * the content at `offset` and returns how many bytes it wrote (0 at the end); offsets only ever
 * follow on from the bytes read before, so a stream can ignore them. `window` is the buffer the
 * windows are read into (at least twice WINDOW_OVERLAP bytes).
 */
export interface StreamedFragment extends FragmentMeta {
  read: (buf: Buffer, offset: number) => number;
  window: Buffer;
}

/** Where a source collects findings: a scan result, or part of one. */
export interface FindingSink {
  findings: Finding[];
  unlisted?: UnlistedFindings[];
}

/** How the loop filters findings; the policy's `inlineAllow` fits here as it is. */
export interface FindingFilterOptions {
  /** Honour `mirra-scan:allow` markers (default true; never in a commit or tag message). */
  inlineAllow?: boolean;
}

/** The findings kept for one fragment, and how many more it held (not listed). */
export type ContentFindings = Finding[] & { unlisted?: number };
