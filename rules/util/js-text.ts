// JavaScript source text read the way the engine reads it (escapes resolved), with where each
// resulting character was spelled in the source, so that a key found in a value is reported where
// it sits in the file. Also the reverse: writing text back as the body of a template literal.

/** Text plus, for each of its characters, the source span `[starts[i], ends[i])` that spells it. */
export interface MappedText {
  text: string;
  starts: number[];
  ends: number[];
}

/** Text whose characters are the source characters themselves (comments, JSX, regex patterns, raw templates). */
export function verbatim(source: string, from: number, to: number): MappedText {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = from; i < to; i++) {
    starts.push(i);
    ends.push(i + 1);
  }
  return { text: source.slice(from, to), starts, ends };
}

/** A value whose spelling could not be followed character by character: every character maps to the whole span. */
export function wholeSpan(text: string, from: number, to: number): MappedText {
  return { text, starts: new Array<number>(text.length).fill(from), ends: new Array<number>(text.length).fill(to) };
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

const hexValue = (s: string): number => (/^[0-9a-fA-F]+$/.test(s) ? parseInt(s, 16) : -1);

/**
 * The value of a string literal's body (`kind: 'string'`) or of a template's cooked text
 * (`kind: 'template'`, which also turns CR and CRLF into LF), spelled in `source[from, to)`.
 * Returns null for text the engine would reject (a bad escape), so the caller can fall back.
 */
export function cook(source: string, from: number, to: number, kind: 'string' | 'template'): MappedText | null {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const emit = (s: string, start: number, end: number) => {
    for (let k = 0; k < s.length; k++) {
      out.push(s[k]);
      starts.push(start);
      ends.push(end);
    }
  };
  let i = from;
  while (i < to) {
    const c = source[i];
    if (c === '\r' && kind === 'template') {
      const end = source[i + 1] === '\n' ? i + 2 : i + 1;
      emit('\n', i, end);
      i = end;
      continue;
    }
    if (c !== '\\') {
      emit(c, i, i + 1);
      i++;
      continue;
    }
    const e = source[i + 1];
    if (e === undefined) return null;
    if (e === '\r') {
      i += source[i + 2] === '\n' ? 3 : 2; // line continuation
    } else if (e === '\n' || e === '\u2028' || e === '\u2029') {
      i += 2;
    } else if (e in SIMPLE_ESCAPES) {
      emit(SIMPLE_ESCAPES[e], i, i + 2);
      i += 2;
    } else if (e === 'x') {
      const v = hexValue(source.slice(i + 2, i + 4));
      if (v < 0 || i + 4 > to) return null;
      emit(String.fromCharCode(v), i, i + 4);
      i += 4;
    } else if (e === 'u' && source[i + 2] === '{') {
      const close = source.indexOf('}', i + 3);
      if (close < 0 || close >= to) return null;
      const v = hexValue(source.slice(i + 3, close));
      if (v < 0 || v > 0x10ffff) return null;
      emit(String.fromCodePoint(v), i, close + 1);
      i = close + 1;
    } else if (e === 'u') {
      const v = hexValue(source.slice(i + 2, i + 6));
      if (v < 0 || i + 6 > to) return null;
      emit(String.fromCharCode(v), i, i + 6);
      i += 6;
    } else if (e >= '0' && e <= '7') {
      const next = source[i + 2];
      if (e === '0' && !(next >= '0' && next <= '9')) {
        emit('\0', i, i + 2);
        i += 2;
        continue;
      }
      if (kind === 'template') return null; // octal escapes are errors in templates
      // Legacy octal: up to three digits, at most \377.
      let j = i + 1;
      const maxDigits = e <= '3' ? 3 : 2;
      while (j < to && j - (i + 1) < maxDigits && source[j] >= '0' && source[j] <= '7') j++;
      emit(String.fromCharCode(parseInt(source.slice(i + 1, j), 8)), i, j);
      i = j;
    } else if (e === '8' || e === '9') {
      if (kind === 'template') return null;
      emit(e, i, i + 2);
      i += 2;
    } else {
      // `\'`, `\"`, `` \` ``, `\\`, `\$` and any other character stand for themselves.
      const cp = source.codePointAt(i + 1) ?? 0;
      const width = cp > 0xffff ? 2 : 1;
      emit(source.slice(i + 1, i + 1 + width), i, i + 1 + width);
      i += 1 + width;
    }
  }
  return { text: out.join(''), starts, ends };
}

/** CR and CRLF as LF: how a template's raw value relates to its spelling. */
export const normalizeLineBreaks = (s: string): string => s.replace(/\r\n?/g, '\n');

/** `value` written as template-literal text (inside backticks) that evaluates to exactly `value`. */
export function templateTextOf(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const code = value.charCodeAt(i);
    if (c === '\\' || c === '`') out += '\\' + c;
    else if (c === '$' && value[i + 1] === '{') out += '\\$';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += c;
  }
  return out;
}

/**
 * A string literal's raw body (between its quotes), rewritten as template-literal text with the
 * same value, keeping the author's escapes; null where a template cannot spell it that way
 * (legacy octal escapes, `\8`, `\9`).
 */
export function templateTextOfStringBody(raw: string): string | null {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const e = raw[i + 1];
      if ((e >= '1' && e <= '9') || (e === '0' && raw[i + 2] >= '0' && raw[i + 2] <= '9')) return null;
      out += c + (e ?? '');
      i++;
    } else if (c === '`') out += '\\`';
    else if (c === '$' && raw[i + 1] === '{') out += '\\$';
    else out += c;
  }
  return out;
}
