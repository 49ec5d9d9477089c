// The detector's front door: content in (a buffer, or text that is already decoded), located keys
// out. Pure: no file, network or process is touched here.

import type { Encoding, KeyType, Snippet } from '../finding.js';
import { detectKeys, hasKeyTrace, type DetectOptions } from './detect.js';
import { LineLocator } from './locate.js';
import { keySha256, redactKey } from './redact.js';

export { detectKeys, hasKeyTrace, type KeyMatch, type Rejection } from './detect.js';
export { KEY_FILTERS, type KeyFilter } from './filters.js';
export { keySha256, redactKey } from './redact.js';
export { MAX_KEY_LENGTH, MIN_KEY_LENGTH, MAX_ENCODED_KEY_LENGTH } from './key-format.js';

/** The comment that allows the one finding on its line. */
export const INLINE_ALLOW_MARKER = 'mirra-scan:allow';

export interface LocatedKey {
  key: string;
  keyType: KeyType;
  encoding: Encoding;
  /** Offsets into the content (bytes for a buffer, after any BOM; chars for text). */
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  redacted: string;
  keySha256: string;
  /** The line carries `mirra-scan:allow`. */
  inlineAllowed: boolean;
  snippet: Snippet;
}

export interface ScanContentOptions extends DetectOptions {
  /** Added to every line number (for a fragment that starts further down a file). */
  lineOffset?: number;
}

export type TextForm = 'utf8' | 'utf16le' | 'utf16be';

/** Which text form a buffer is in: a BOM decides, else the pattern of zero bytes in its first KiB. */
export function textFormOf(buf: Buffer): { form: TextForm; bomLength: number } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { form: 'utf16le', bomLength: 2 };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { form: 'utf16be', bomLength: 2 };
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { form: 'utf8', bomLength: 3 };
  const n = Math.min(buf.length, 1024) & ~1;
  if (n >= 16) {
    let evenZero = 0;
    let oddZero = 0;
    let printable = 0;
    for (let i = 0; i < n; i += 2) {
      if (buf[i] === 0) evenZero++;
      if (buf[i + 1] === 0) oddZero++;
      const c = buf[i] || buf[i + 1];
      if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
    }
    const pairs = n / 2;
    if (printable > pairs * 0.9) {
      if (oddZero > pairs * 0.9 && evenZero < pairs * 0.05) return { form: 'utf16le', bomLength: 0 };
      if (evenZero > pairs * 0.9 && oddZero < pairs * 0.05) return { form: 'utf16be', bomLength: 0 };
    }
  }
  return { form: 'utf8', bomLength: 0 };
}

/**
 * Finds and locates every key in `content`. A buffer is searched byte by byte (binary files too:
 * keys are ASCII), unless it is UTF-16 text, which is decoded first.
 */
export function scanContent(content: Buffer | string, options: ScanContentOptions = {}): LocatedKey[] {
  if (typeof content === 'string') {
    if (!hasKeyTrace(content)) return [];
    return locateAll(content, false, detectKeys(content, options), undefined, options.lineOffset);
  }
  if (!hasKeyTrace(content)) return [];
  const { form, bomLength } = textFormOf(content);
  if (form === 'utf8') {
    const text = content.toString('latin1', bomLength);
    return locateAll(text, true, detectKeys(text, options), undefined, options.lineOffset);
  }
  const bytes = content.subarray(bomLength, content.length - ((content.length - bomLength) % 2));
  const text = new TextDecoder(form === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes);
  return locateAll(text, false, detectKeys(text, options), 'utf16', options.lineOffset);
}

function locateAll(
  text: string,
  bytes: boolean,
  matches: ReturnType<typeof detectKeys>,
  encodingOverride: Encoding | undefined,
  lineOffset = 0,
): LocatedKey[] {
  if (matches.length === 0) return [];
  const locator = new LineLocator(text, bytes);
  const masks = matches.map((m) => ({ start: m.start, end: m.end, mask: redactKey(m.key) }));
  return matches.map((m) => {
    const from = locator.position(m.start);
    const to = locator.position(m.end);
    const snippet = locator.snippet(m.start, m.end, masks);
    return {
      key: m.key,
      keyType: m.keyType,
      encoding: encodingOverride && m.encoding === 'plain' ? encodingOverride : m.encoding,
      start: m.start,
      end: m.end,
      line: from.line + lineOffset,
      column: from.column,
      endLine: to.line + lineOffset,
      endColumn: to.column,
      redacted: redactKey(m.key),
      keySha256: keySha256(m.key),
      inlineAllowed: lineHas(text, m.start, INLINE_ALLOW_MARKER),
      snippet,
    };
  });
}

function lineHas(text: string, offset: number, marker: string): boolean {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  let le = text.indexOf('\n', offset);
  if (le < 0) le = text.length;
  const at = text.indexOf(marker, ls);
  return at >= 0 && at < le;
}
