// File names that are not valid UTF-8. A Linux file name is bytes; Node decodes names (and the
// command line) as UTF-8, turning each byte it cannot decode into U+FFFD, and such a string no longer
// opens the file. These helpers keep the bytes where a name is not UTF-8: the file is opened by a
// Buffer path, and reported under its name with each odd byte written `\xNN` (and `\` as `\\`).

import fs from 'node:fs';
import path from 'node:path';

/**
 * The name as reports show it: valid UTF-8 as it is; in a name that is not, each byte that does not
 * start a well-formed UTF-8 character is written `\xNN`, and a backslash `\\`, so the name is unambiguous.
 */
export function displayName(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\ufffd')) return text;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      out += b === 0x5c ? '\\\\' : String.fromCharCode(b);
      i++;
      continue;
    }
    const length = b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length > 0 && i + length <= bytes.length) {
      try {
        out += decoder.decode(bytes.subarray(i, i + length));
        i += length;
        continue;
      } catch {
        // not a well-formed character: escaped below
      }
    }
    out += '\\x' + b.toString(16).padStart(2, '0');
    i++;
  }
  return out;
}

/** True when a name as Node decoded it may have lost bytes (it holds U+FFFD). */
export const mayHaveLostBytes = (name: string): boolean => name.includes('\ufffd');

/**
 * A path that only bytes can name travels as a string (between threads, in a job list): this mark,
 * then the bytes one char each. No real path starts with U+0001.
 */
const BYTES_MARK = '\u0001';

/** The string form of a Buffer path (see BYTES_MARK). */
export function bytePathString(p: Buffer): string {
  return BYTES_MARK + p.toString('latin1');
}

/** What `fs` opens for a path string: the bytes of a Buffer path, else the string. */
export function fsPath(p: string): string | Buffer {
  return p.startsWith(BYTES_MARK) ? Buffer.from(p.slice(1), 'latin1') : p;
}

/** `rel` of `abs` from `root`, byte for byte, shown with `displayName`. */
export function relativeName(root: string, abs: Buffer): string {
  const rel = path.relative(Buffer.from(root).toString('latin1'), abs.toString('latin1'));
  return displayName(Buffer.from(rel.split(path.sep).join('/'), 'latin1'));
}

/**
 * The file an absolute path from the command line means, when the path as Node decoded it names
 * nothing: each part that does not exist is matched against the names in its folder, as Node decoded
 * them (with U+FFFD) or as reports show them (`\xNN`). Null when a part matches no name; an error
 * message when it matches more than one.
 */
export function resolveByteNamedPath(abs: string): Buffer | null | { ambiguous: string } {
  const parts = abs.split(path.sep);
  let at = Buffer.from(parts[0] === '' ? path.sep : parts[0]);
  let matched = false;
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const plain = Buffer.concat([at, Buffer.from(at.at(-1) === 47 ? '' : path.sep), Buffer.from(part)]);
    if (fs.existsSync(plain)) {
      at = plain;
      continue;
    }
    let names: Buffer[];
    try {
      names = fs.readdirSync(at, { encoding: 'buffer' });
    } catch {
      return null;
    }
    const hits = names.filter((n) => n.toString('utf8') === part || displayName(n) === part);
    if (hits.length === 0) return null;
    if (hits.length > 1) return { ambiguous: `${JSON.stringify(part)} matches ${hits.length} names: ${hits.map((h) => displayName(h)).join(', ')}` };
    at = Buffer.concat([at, Buffer.from(at.at(-1) === 47 ? '' : path.sep), hits[0]]);
    matched = true;
  }
  return matched ? at : null;
}
