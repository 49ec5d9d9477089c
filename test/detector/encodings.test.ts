// Keys that are not written plainly: each encoding is found, named, and located at the encoded text.

import { describe, expect, it } from 'vitest';
import { keySha256, scanContent, type LocatedKey } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';

const KEY = fakeKey('script', 77, 101);
const TEST_KEY = fakeKey('test', 64, 102);
const UNTYPED = fakeKey('untyped', 128, 103);

/** The one key found in `content`; fails if there is not exactly one. */
function only(content: string | Buffer): LocatedKey {
  const found = scanContent(content);
  expect(found).toHaveLength(1);
  return found[0];
}

/** 1-based line and column (UTF-16 code units) of `offset` in `text`. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

function expectAt(k: LocatedKey, text: string, start: number, end: number): void {
  const from = positionOf(text, start);
  const to = positionOf(text, end);
  expect({ line: k.line, column: k.column, endLine: k.endLine, endColumn: k.endColumn }).toEqual({
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
  });
}

describe('plain', () => {
  it('in a string literal: type, span, redaction and hash', () => {
    const text = `import sdk from '@mirra-messenger/sdk';\nconst client = new sdk.MirraSDK({ apiKey: '${KEY}' });\n`;
    const k = only(text);
    expect(k).toMatchObject({ key: KEY, keyType: 'script', encoding: 'plain', keySha256: keySha256(KEY) });
    expect(k.redacted).toBe(`mirra_script_${KEY.slice(13, 17)}…${KEY.slice(-4)}`);
    expectAt(k, text, text.indexOf(KEY), text.indexOf(KEY) + KEY.length);
  });
});

describe('base64', () => {
  // The key's first byte can sit at any of the three places in a 3-byte group; standard and
  // URL-safe alphabets. The bytes after the key encode to `+` and `/` (or `-` and `_`).
  const tail = Buffer.from([0x22, 0xfb, 0xef, 0xff]);
  const cases = [0, 1, 2].flatMap((pad) =>
    (['base64', 'base64url'] as const).map((alphabet) => ({ pad, alphabet })),
  );
  it.each(cases)('$alphabet with the key at byte $pad of its group', ({ pad, alphabet }) => {
    const payload = Buffer.concat([Buffer.from(' '.repeat(pad) + KEY, 'latin1'), tail]);
    const blob = payload.toString(alphabet);
    expect(blob).toMatch(alphabet === 'base64' ? /[+/]/ : /[-_]/);
    const text = `token:\n  value: "${blob}"\n`;
    const k = only(text);
    expect(k).toMatchObject({ key: KEY, keyType: 'script', encoding: 'base64' });
    // From the start of the group that holds the key's first byte to the end of the group with its last.
    const start = text.indexOf(blob);
    expectAt(k, text, start, start + Math.ceil((pad + KEY.length) / 3) * 4);
  });

  it('after other bytes in the same blob (the key starts at byte 7, in the middle of the blob)', () => {
    const blob = Buffer.from(`apiKey=${TEST_KEY}\n`).toString('base64');
    const k = only(`export const CONFIG = '${blob}';`);
    expect(k).toMatchObject({ key: TEST_KEY, encoding: 'base64' });
  });

  it('a blob wrapped at 76 columns (MIME, `base64` output) is read across its line breaks', () => {
    const blob = Buffer.from(`# deploy settings\nMIRRA_API_KEY=${UNTYPED}\n`).toString('base64');
    const wrapped = blob.replace(/.{76}/g, '$&\n');
    const text = `-----BEGIN SETTINGS-----\n${wrapped}\n-----END SETTINGS-----\n`;
    const k = only(text);
    expect(k).toMatchObject({ key: UNTYPED, keyType: 'untyped', encoding: 'base64' });
    expect(k.endLine).toBeGreaterThan(k.line);
  });

  it('a blob of an unrelated payload is not a key', () => {
    expect(scanContent(Buffer.from('mirra_' + 'x'.repeat(80)).toString('base64'))).toEqual([]);
  });
});

describe('percent-encoding', () => {
  it.each(['%5F', '%5f'])('`mirra%s…` in a URL', (escape) => {
    const encoded = KEY.replaceAll('_', escape);
    const text = `curl 'https://api.fxn.world/api/sdk/v1/resources?key=${encoded}&page=2'`;
    const k = only(text);
    expect(k).toMatchObject({ key: KEY, encoding: 'url' });
    expectAt(k, text, text.indexOf(encoded), text.indexOf(encoded) + encoded.length);
  });

  it('after a percent-encoded quote (`%22`), which is not a word glued to the key', () => {
    const encoded = TEST_KEY.replaceAll('_', '%5F');
    const k = only(`q=%7B%22key%22%3A%22${encoded}%22%7D`);
    expect(k).toMatchObject({ key: TEST_KEY, encoding: 'url' });
  });
});

describe('escapes in source and JSON', () => {
  const forms = [
    { name: '\\u005f (JS, JSON, Java)', escape: '\\u005f' },
    { name: '\\x5f (JS, Python, C)', escape: '\\x5f' },
    { name: '\\u{5f} (ES2015)', escape: '\\u{5f}' },
    { name: '\\u005F (upper-case hex)', escape: '\\u005F' },
  ];
  it.each(forms)('$name', ({ escape }) => {
    const encoded = KEY.replaceAll('_', escape);
    const text = `const key = "${encoded}";\n`;
    const k = only(text);
    expect(k).toMatchObject({ key: KEY, encoding: 'escape' });
    expectAt(k, text, text.indexOf(encoded), text.indexOf(encoded) + encoded.length);
  });

  it('a JSON file with an escaped key', () => {
    const json = JSON.stringify({ mirra: { apiKey: TEST_KEY } }).replaceAll('_', '\\u005f');
    expect(JSON.parse(json).mirra.apiKey).toBe(TEST_KEY);
    expect(only(json)).toMatchObject({ key: TEST_KEY, encoding: 'escape' });
  });

  it('a plain key after a JSON escape (`\\n`, `\\"`) in the same string', () => {
    const json = JSON.stringify({ env: `MODE=prod\n${KEY}`, quoted: `"${TEST_KEY}"` });
    const found = scanContent(json);
    expect(found.map((k) => [k.key, k.encoding])).toEqual([
      [KEY, 'plain'],
      [TEST_KEY, 'plain'],
    ]);
  });

  it('an escaped quote before an escaped key (`\\u0022mirra\\u005f…`)', () => {
    const encoded = '\\u0022' + KEY.replaceAll('_', '\\u005f') + '\\u0022';
    expect(only(`s = "${encoded}"`)).toMatchObject({ key: KEY, encoding: 'escape' });
  });
});

describe('UTF-16 text files', () => {
  const text = `# exported on Windows\r\nregion = eu\r\napi_key = ${KEY}\r\n`;
  const utf16 = (le: boolean, bom: boolean) => {
    let buf = Buffer.from(text, 'utf16le');
    if (!le) buf = buf.swap16();
    return bom ? Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), buf]) : buf;
  };
  it.each([
    { le: true, bom: true },
    { le: true, bom: false },
    { le: false, bom: true },
    { le: false, bom: false },
  ])('little-endian $le, BOM $bom: found, with lines and columns in characters', ({ le, bom }) => {
    const k = only(utf16(le, bom));
    expect(k).toMatchObject({ key: KEY, encoding: 'utf16', line: 3, column: 11, endLine: 3, endColumn: 11 + KEY.length });
    expect(k.snippet.text).not.toContain(KEY);
  });

  it('an encoded key inside a UTF-16 file is found too', () => {
    const blob = Buffer.from(KEY).toString('base64');
    const k = only(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`data = ${blob}\r\n`, 'utf16le')]));
    expect(k).toMatchObject({ key: KEY, encoding: 'base64', line: 1, column: 8 });
  });

  it('UTF-16 inside a binary file (not a UTF-16 text file)', () => {
    const binary = Buffer.concat([Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0x80]), Buffer.from(` ${KEY} `, 'utf16le'), Buffer.from([0, 0, 9, 200])]);
    expect(only(binary)).toMatchObject({ key: KEY, encoding: 'utf16' });
  });
});

describe('line ends, BOM and wide characters', () => {
  it('CRLF: the line and column are right and the snippet has no CR', () => {
    const text = `a = 1\r\nb = 2\r\nkey = "${KEY}"\r\nc = 3\r\n`;
    const k = only(Buffer.from(text));
    expect(k).toMatchObject({ line: 3, column: 8, endLine: 3, endColumn: 8 + KEY.length });
    expect(k.snippet.text).not.toContain('\r');
  });

  it('a UTF-8 BOM is not counted in the column', () => {
    const k = only(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${KEY}\n`)]));
    expect(k).toMatchObject({ line: 1, column: 1, start: 0 });
  });

  it('columns count UTF-16 code units, as ESLint and SARIF do (é is 1, 😀 is 2)', () => {
    const text = `// é😀 clé: ${KEY}\n`;
    const k = only(Buffer.from(text, 'utf8'));
    expect(k.column).toBe(text.indexOf(KEY) + 1);
    expect(only(text).column).toBe(k.column);
  });

  it('a key in a binary file, between NUL bytes, is found as plain bytes', () => {
    const bin = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 0xff]), Buffer.from(KEY), Buffer.from([0, 0, 0x90])]);
    expect(only(bin)).toMatchObject({ key: KEY, encoding: 'plain', start: 9 });
  });
});

describe('the snippet', () => {
  it('masks every key on the line, puts the marker under the one reported, and never holds a key', () => {
    const text = `const a = '${KEY}', b = '${TEST_KEY}'; // two keys\n`;
    const found = scanContent(text);
    expect(found).toHaveLength(2);
    for (const k of found) {
      expect(k.snippet.text).not.toContain(KEY);
      expect(k.snippet.text).not.toContain(TEST_KEY);
      expect(k.snippet.text.slice(k.snippet.markerStart, k.snippet.markerStart + k.snippet.markerLength)).toBe(k.redacted);
    }
  });

  it('an encoded key is masked as written', () => {
    const blob = Buffer.from(KEY).toString('base64');
    const k = only(`x = "${blob}"`);
    expect(k.snippet.text).toBe(`x = "${k.redacted}"`);
  });
});

describe('very long lines (minified code)', () => {
  it('keys far into a line of hundreds of KiB, after non-ASCII text: columns as an editor counts them', () => {
    const keys = [fakeKey('script', 70, 110), fakeKey('test', 90, 111), fakeKey('untyped', 64, 112)];
    const chunk = 'var é="ü",z=[1,2,3],😀="x";';
    const line = `${chunk.repeat(4000)}a="${keys[0]}";${chunk.repeat(9000)}b="${keys[1]}";c="${keys[2]}";${chunk.repeat(100)}`;
    const text = `// header\n${line}\n`;
    const fromBytes = scanContent(Buffer.from(text, 'utf8'));
    expect(fromBytes.map((k) => [k.key, k.line, k.column])).toEqual(keys.map((k) => [k, 2, line.indexOf(k) + 1]));
    expect(fromBytes.map((k) => k.column)).toEqual(scanContent(text).map((k) => k.column));
  });
});
