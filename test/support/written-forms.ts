// Ways to write a key that tests use: split into the string literals of a language, or every
// character of it encoded by one scheme. Each returns the written text; the key's written form
// starts at its first character and ends at its last (quotes around it are the caller's).

/** A language's way to join pieces of a string: how a piece is quoted and what goes between two. */
export interface Joining {
  language: string;
  /** The whole expression for `pieces` (each already a piece of the key's text). */
  join(pieces: string[]): string;
}

const quoted = (q: string) => (p: string) => q + p + q;

export const JOININGS: readonly Joining[] = [
  { language: 'JavaScript +', join: (ps) => ps.map(quoted("'")).join(' + ') },
  { language: 'TypeScript + over lines', join: (ps) => ps.map(quoted('"')).join(' +\n    ') },
  { language: 'Java +', join: (ps) => ps.map(quoted('"')).join('\n        + ') },
  { language: 'C# +', join: (ps) => ps.map(quoted('"')).join('+') },
  { language: 'Go +', join: (ps) => ps.map(quoted('"')).join(' + ') },
  { language: 'Kotlin / Swift +', join: (ps) => ps.map(quoted('"')).join(' + ') },
  { language: 'Python adjacent', join: (ps) => '(' + ps.map(quoted('"')).join('\n    ') + ')' },
  { language: 'C adjacent with \\ line ends', join: (ps) => ps.map(quoted('"')).join(' \\\n  ') },
  { language: 'shell adjacent', join: (ps) => ps.map((p, i) => (i % 2 ? `'${p}'` : `"${p}"`)).join('') },
  { language: 'PHP .', join: (ps) => ps.map(quoted("'")).join(' . ') },
  { language: 'Lua ..', join: (ps) => ps.map(quoted('"')).join(' .. ') },
  { language: 'SQL ||', join: (ps) => ps.map(quoted("'")).join(' || ') },
  { language: 'Ruby <<', join: (ps) => ps.map(quoted('"')).join(' << ') },
  { language: 'Ruby #{}', join: (ps) => '"' + ps[0] + ps.slice(1).map((p) => `#{'${p}'}`).join('') + '"' },
  { language: 'Python f-string', join: (ps) => 'f"' + ps[0] + ps.slice(1).map((p) => `{'${p}'}`).join('') + '"' },
  { language: 'JS template ${}', join: (ps) => '`' + ps[0] + ps.slice(1).map((p) => `\${'${p}'}`).join('') + '`' },
  { language: 'JS [].join("")', join: (ps) => '[' + ps.map(quoted("'")).join(', ') + "].join('')" },
  { language: 'Python "".join([])', join: (ps) => '"".join([' + ps.map(quoted('"')).join(', ') + '])' },
  { language: 'Ruby [].join', join: (ps) => '[' + ps.map(quoted('"')).join(', ') + '].join' },
  { language: 'JS .concat()', join: (ps) => `'${ps[0]}'.concat(${ps.slice(1).map(quoted("'")).join(', ')})` },
  { language: 'Java .concat().concat()', join: (ps) => `"${ps[0]}"` + ps.slice(1).map((p) => `.concat("${p}")`).join('') },
  { language: 'a \\ line continuation inside the literal', join: (ps) => '"' + ps.join('\\\n') + '"' },
];

/** `key` cut at `cuts` (offsets into it, at or after the end of `mirra`, in any order). */
export function splitAt(key: string, cuts: number[]): string[] {
  const at = [...new Set(cuts)].filter((c) => c >= 5 && c < key.length).sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const c of at) {
    if (c > from) pieces.push(key.slice(from, c));
    from = c;
  }
  pieces.push(key.slice(from));
  return pieces;
}

/** The offset in `written` where the key's text starts (its first piece's first character). */
export const writtenStart = (written: string): number => written.indexOf('mirra');

/** The offset just after the key's last character: the end of the last piece. */
export function writtenEnd(written: string, pieces: string[]): number {
  const last = pieces[pieces.length - 1];
  return written.lastIndexOf(last) + last.length;
}

/** A scheme that encodes characters; `all` encodes every character of the key, the stem included. */
export interface Scheme {
  name: string;
  encoding: string;
  char(c: string): string;
}

const hex2 = (c: string, upper = false) => {
  const h = c.charCodeAt(0).toString(16).padStart(2, '0');
  return upper ? h.toUpperCase() : h;
};

export const SCHEMES: readonly Scheme[] = [
  { name: '\\xHH', encoding: 'escape', char: (c) => '\\x' + hex2(c) },
  { name: '\\xHH upper-case', encoding: 'escape', char: (c) => '\\x' + hex2(c, true) },
  { name: '\\u00HH', encoding: 'escape', char: (c) => '\\u00' + hex2(c) },
  { name: '\\u{HH}', encoding: 'escape', char: (c) => '\\u{' + hex2(c) + '}' },
  { name: '%HH', encoding: 'url', char: (c) => '%' + hex2(c, true) },
  { name: '%hh', encoding: 'url', char: (c) => '%' + hex2(c) },
  { name: '&#DDD;', encoding: 'html-entity', char: (c) => `&#${c.charCodeAt(0)};` },
  { name: '&#xHH;', encoding: 'html-entity', char: (c) => '&#x' + hex2(c) + ';' },
];

/** Every character of `key` encoded (`which` picks the characters: all, or the stem and `_` only). */
export function encodeKey(key: string, scheme: Scheme, which: 'all' | 'stem-and-underscores' | 'underscores' = 'all'): string {
  return [...key]
    .map((c, i) => (which === 'all' || c === '_' || (which === 'stem-and-underscores' && i < 5) ? scheme.char(c) : c))
    .join('');
}

/** Quoted-printable of `text` at lines of at most 76 characters, with `=` soft line breaks; `_` as `=5F` when `encodeUnderscore`. */
export function quotedPrintable(text: string, firstLineUsed: number, encodeUnderscore: boolean): string {
  let out = '';
  let col = firstLineUsed;
  for (const c of text) {
    const piece = encodeUnderscore && c === '_' ? '=5F' : c;
    if (col + piece.length > 75) {
      out += '=\n';
      col = 0;
    }
    out += piece;
    col += piece.length;
  }
  return out;
}
