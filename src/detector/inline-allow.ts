// The inline allow marker, `mirra-scan:allow`: what it means, decided in ONE place for the CLI (every
// source) and the ESLint rule (every language), so that one marker gives one answer everywhere.
//
// The marker allows the keys of its own line when it is in a comment that ends that line:
//   const k = 'mirra_…'; // mirra-scan:allow test fixture
//   k = "mirra_…"  # mirra-scan:allow
//   <p title="mirra_…"></p> <!-- mirra-scan:allow -->
// or, for a format without comments (JSON), in a string of its own that ends the line and starts
// with the marker: `"key": "mirra_…", "//": "mirra-scan:allow sample"`.
// A key inside that same comment is allowed too (`// old key mirra_…, revoked; mirra-scan:allow`).
//
// It does NOT count: inside a string that is not its own (the key's own string, a JSON value that
// only mentions it), in a URL (`https://…/mirra-scan:allow`, `…/#mirra-scan:allow`), in a comment
// that code follows (`/* mirra-scan:allow */ "mirra_…"`), on a line of more than
// INLINE_ALLOW_MAX_LINE_BYTES (minified code: allow such a key by its keySha256), and never in a
// commit or tag message (the message sources do not ask).
//
// The line is read as code from its start, one pass: `"`, `'` and `` ` `` open strings (with `\`
// escapes), `//` (not after `:`), `/* */` and `<!-- -->` open comments anywhere outside strings;
// `#` and `--` open one when whitespace (or the line's start) is on both sides; `;` only when the
// marker follows it directly (`; mirra-scan:allow`, INI files), since `;` ends statements in code.
// Prose with an apostrophe before the marker reads as an open string: then the marker does not count
// and the key is reported (a scanner errs towards reporting).
// Lines are split at `\n` only, the same for bytes (the CLI) and text (the rule), and a line's length
// is counted in UTF-8 bytes in both, so the CLI and the rule decide every line alike.

import { LineLocator } from './locate.js';
import { DETECTOR_WORK } from './work.js';

export const INLINE_ALLOW_MARKER = 'mirra-scan:allow';

/**
 * The longest line (UTF-8 bytes, without its line break) on which the marker counts. Below the part
 * of a large content's read window where a window may be cut, so the CLI always sees such a line whole.
 */
export const INLINE_ALLOW_MAX_LINE_BYTES = 2048;

/** What a line's marker covers: keys that end at or before `from`, and keys inside one of `comments` (all offsets in the line). */
interface Cover {
  from: number;
  comments: Array<[number, number]>;
}

export interface InlineAllowOptions {
  /** The text is one char per byte (a latin1 view of UTF-8 bytes). */
  bytes?: boolean;
  /** The text starts inside a line (a region or window cut from longer content): its first line is not whole. */
  headCut?: boolean;
  /** The text ends inside a line: its last line is not whole. */
  tailCut?: boolean;
}

/**
 * Answers "does a marker allow the key at `[start, end)`?" for the keys of one text, in any order.
 * Each line is read at most once (and not at all beyond INLINE_ALLOW_MAX_LINE_BYTES), and line breaks
 * are found by one forward pass, so any number of keys on any lines costs the text's length.
 */
export class InlineAllow {
  private readonly covers = new Map<number, Cover | null>();
  private readonly lines: LineLocator;

  /** `lines`: the text's line locator, when the caller has one (so its line breaks are found once). */
  constructor(
    private readonly text: string,
    private readonly options: InlineAllowOptions = {},
    lines?: LineLocator,
  ) {
    this.lines = lines ?? new LineLocator(text, options.bytes === true);
  }

  /** Whether a marker on the line where the key ends allows it. */
  allows(start: number, end: number): boolean {
    const at = Math.max(start, end - 1);
    const line = this.lines.lineIndexOf(at);
    let cover = this.covers.get(line);
    if (cover === undefined) this.covers.set(line, (cover = this.coverOfLine(line)));
    if (cover === null) return false;
    const ls = this.lines.lineStart(line);
    const [s, e] = [start - ls, end - ls];
    if (e <= cover.from) return true;
    return s >= cover.from && cover.comments.some(([cs, ce]) => s >= cs && e <= ce);
  }

  private coverOfLine(line: number): Cover | null {
    const { text, options } = this;
    const ls = this.lines.lineStart(line);
    const { end, newline } = this.lines.lineEnd(line);
    if ((line === 0 && options.headCut) || (!newline && options.tailCut)) return null;
    let le = end;
    if (le > ls && text.charCodeAt(le - 1) === 13) le--;
    if (le - ls > INLINE_ALLOW_MAX_LINE_BYTES) return null;
    const s = text.slice(ls, le);
    if (!options.bytes && Buffer.byteLength(s, 'utf8') > INLINE_ALLOW_MAX_LINE_BYTES) return null;
    DETECTOR_WORK.charsMeasured += s.length;
    return s.includes(INLINE_ALLOW_MARKER) ? lineCover(s) : null;
  }
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
/** Code that may follow a marker's comment or string without ending its cover (`);`, `},`). */
const isClosing = (c: string): boolean => isSpace(c) || c === ',' || c === ';' || c === ')' || c === ']' || c === '}';
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_\-/]/.test(c);
const MARKER_BEFORE = new Set([' ', '\t', '(', '[', '{', ',', ';', '*']);

/** The marker as a word of its own in `s[from, to)`: after the text's start, a space or an opening bracket; not part of a URL, path or longer word. */
function hasMarkerWord(s: string, from: number, to: number): boolean {
  for (let at = s.indexOf(INLINE_ALLOW_MARKER, from); at >= 0 && at + INLINE_ALLOW_MARKER.length <= to; at = s.indexOf(INLINE_ALLOW_MARKER, at + 1)) {
    const after = at + INLINE_ALLOW_MARKER.length;
    const okBefore = at === from || MARKER_BEFORE.has(s[at - 1]);
    const okAfter = after === to || !isWordChar(s[after]) || s.startsWith('-->', after);
    if (okBefore && okAfter) return true;
  }
  return false;
}

/** The marker as a word starts right at `s[at]` (and ends by `to`). */
function markerAt(s: string, at: number, to: number): boolean {
  const after = at + INLINE_ALLOW_MARKER.length;
  return after <= to && s.startsWith(INLINE_ALLOW_MARKER, at) && (after === to || !isWordChar(s[after]) || s.startsWith('-->', after));
}

/** `s[at…]` is whitespace, then the marker as a word. */
function markerFollows(s: string, at: number): boolean {
  let i = at;
  while (isSpace(s[i])) i++;
  return markerAt(s, i, s.length);
}

const isLetter = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);
/** Python's string prefixes (`f'…'`, `rb'…'`): a quote after one of these opens a string. */
const STRING_PREFIX = /^(?:[rbfut]|rb|br|fr|rf|tr|rt)$/i;

/** `'` between two letters is an apostrophe in prose (`don't`, `it's`), unless a string prefix stands before it (`f'…'`). */
function isApostrophe(s: string, i: number): boolean {
  if (!isLetter(s[i - 1]) || !isLetter(s[i + 1])) return false;
  let w = i - 1;
  while (w > 0 && isLetter(s[w - 1]) && i - w <= 2) w--;
  const wordStart = w === 0 || !/[A-Za-z0-9_$]/.test(s[w - 1]);
  return !(wordStart && STRING_PREFIX.test(s.slice(w, i)));
}

/**
 * One line read as code, left to right, once: where the run of comments (and marker strings) that
 * ends the line starts, if one of them holds the marker.
 */
function lineCover(s: string): Cover | null {
  let from = -1; // start of the current run of comments / marker strings that holds a marker, or -1
  let runStart = -1; // start of the current run of comments / strings after the last code
  let comments: Array<[number, number]> = [];
  const n = s.length;
  const endRun = () => {
    from = -1;
    runStart = -1;
    comments = [];
  };
  const comment = (start: number, textFrom: number, textTo: number, end: number): void => {
    if (runStart < 0) runStart = start;
    comments.push([start, end]);
    if (hasMarkerWord(s, textFrom, textTo) && from < 0) from = runStart;
  };
  let i = 0;
  while (i < n) {
    const c = s[i];
    const prevSpace = i === 0 || isSpace(s[i - 1]);
    if ((c === '"' || c === "'" || c === '`') && !(c === "'" && isApostrophe(s, i))) {
      let j = i + 1;
      while (j < n && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      if (j >= n) return null; // a string that runs past the line: whatever follows is in it
      // A string of its own that starts with the marker (formats without comments); any other string is code.
      if (markerAt(s, i + 1, j)) {
        if (runStart < 0) runStart = i;
        if (from < 0) from = runStart;
      } else endRun();
      i = j + 1;
    } else if (c === '/' && s[i + 1] === '/' && s[i - 1] !== ':') {
      comment(i, i + 2, n, n);
      break;
    } else if (c === '/' && s[i + 1] === '*') {
      const close = s.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      comment(i, i + 2, close < 0 ? n : close, end);
      i = end;
    } else if (c === '<' && s.startsWith('<!--', i)) {
      const close = s.indexOf('-->', i + 4);
      const end = close < 0 ? n : close + 3;
      comment(i, i + 4, close < 0 ? n : close, end);
      i = end;
    } else if (prevSpace && ((c === '#' && (i + 1 >= n || isSpace(s[i + 1]) || markerFollows(s, i + 1))) || (c === '-' && s[i + 1] === '-' && (i + 2 >= n || isSpace(s[i + 2]) || markerFollows(s, i + 2))))) {
      comment(i, i + (c === '#' ? 1 : 2), n, n);
      break;
    } else if (prevSpace && c === ';' && markerFollows(s, i + 1)) {
      comment(i, i + 1, n, n);
      break;
    } else {
      if (!isClosing(c)) endRun();
      i += c === '\\' ? 2 : 1;
    }
  }
  return from < 0 ? null : { from, comments };
}
