// Keys written in pieces or with their stem encoded: each form is found, named by its `encoding`,
// and located from where its written form starts to where its last character ends.

import { describe, expect, it } from 'vitest';
import { detectKeys, scanContent, type LocatedKey, type Rejection } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { encodeKey, JOININGS, quotedPrintable, SCHEMES, splitAt, writtenEnd, writtenStart } from '../support/written-forms.js';

const KEY = fakeKey('script', 77, 201);
const INSTALL = fakeKey('install', 90, 202);
const UNTYPED = fakeKey('untyped', 64, 203);

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** The one key in `text`, as text and as UTF-8 bytes (both must agree); fails unless there is exactly one. */
function only(text: string): LocatedKey {
  const found = scanContent(text);
  expect(found.map((k) => k.key)).toHaveLength(1);
  const fromBytes = scanContent(Buffer.from(text, 'utf8'));
  expect(fromBytes.map((k) => [k.key, k.line, k.column, k.endLine, k.endColumn])).toEqual(found.map((k) => [k.key, k.line, k.column, k.endLine, k.endColumn]));
  return found[0];
}

function expectSpan(k: LocatedKey, text: string, start: number, end: number): void {
  const from = positionOf(text, start);
  const to = positionOf(text, end);
  expect({ line: k.line, column: k.column, endLine: k.endLine, endColumn: k.endColumn }).toEqual({ line: from.line, column: from.column, endLine: to.line, endColumn: to.column });
}

describe('concatenation: a key split over string literals', () => {
  const splits = [
    { key: KEY, cuts: [13] }, // after the typed prefix
    { key: KEY, cuts: [9, 40] }, // inside the prefix and the body
    { key: INSTALL, cuts: [5, 6, 30, 31, 60] }, // `mirra` | `_` | … , one-character pieces
    { key: UNTYPED, cuts: [20, 21, 22] },
  ];
  const cases = JOININGS.flatMap((j) => splits.map((s, i) => ({ language: j.language, join: j.join, split: i, ...s })));
  it.each(cases)('$language, split $split', ({ join, key, cuts }) => {
    const pieces = splitAt(key, cuts);
    const written = join(pieces);
    const text = `// config\nconst value = 1;\nkey = ${written};\nother = 2\n`;
    const k = only(text);
    expect(k).toMatchObject({ key, encoding: 'concatenation' });
    const at = text.indexOf(written);
    expectSpan(k, text, at + writtenStart(written), at + writtenEnd(written, pieces));
  });

  it('a key split after 64 characters is the whole of its pieces, not its first piece', () => {
    const key = fakeKey('untyped', 120, 204);
    const text = `k = "${key.slice(0, 70)}" + "${key.slice(70)}";`;
    expect(only(text)).toMatchObject({ key, encoding: 'concatenation' });
  });

  it('pieces with escapes in them (`"mirra\\x5fscript" + "\\x5f…"`)', () => {
    const text = `k = "mirra\\x5fscript" + "\\x5f${KEY.slice(13)}"`;
    const k = only(text);
    expect(k).toMatchObject({ key: KEY, encoding: 'concatenation' });
    expectSpan(k, text, 5, text.length - 1);
  });

  it.each([
    ['a list that is not joined', (a: string, b: string) => `["${a}", "${b}"]`],
    ['a list joined with a separator', (a: string, b: string) => `["${a}", "${b}"].join(",")`],
    ['two arguments', (a: string, b: string) => `f("${a}", "${b}")`],
    ['a literal and a name', (a: string, b: string) => `"${a}" + suffix + "${b}"`],
    ['a comment between', (a: string, b: string) => `"${a}" /* x */ + "${b}"`],
  ])('not a key: %s', (_name, write) => {
    expect(scanContent(`x = ${write(KEY.slice(0, 30), KEY.slice(30))};`)).toEqual([]);
  });

  it("a quote and `}` after a key that no interpolation opened end the key (`mirra_…'}a` is not `${'…'}a`)", () => {
    for (const text of [` ${KEY}'}a`, `x = ${KEY}' }b;`, `f(${KEY}'}c)`]) {
      const k = only(text);
      expect(k).toMatchObject({ key: KEY, encoding: 'plain' });
      expectSpan(k, text, text.indexOf(KEY), text.indexOf(KEY) + KEY.length);
    }
    // Where an interpolation did open the literal, its `'}` still joins the pieces around it.
    const pieces = splitAt(KEY, [13]);
    const joined = `\`\${'${pieces[0]}'}${pieces[1]}\``;
    expect(only(joined)).toMatchObject({ key: KEY, encoding: 'concatenation' });
  });

  it('only the end of the literal that holds the key joins another (`key""0`, ` key"+"a"`, `\'key"+"a"` end at the key)', () => {
    // Found by the random-text property test (a key read with a `0` after it): the quote after the
    // key opened no literal, or the literal after it never closes, or the quotes do not match.
    for (const text of [` ${KEY}""0`, `"${KEY}""0`, `x;\n ${KEY}"+"abc"`, `x;\n${KEY}""abc"`, `'${KEY}" + "abc"`, `"${KEY}" + "abc`, `"${KEY}" "ab\ncd"`]) {
      const k = only(text);
      expect(k.key).toBe(KEY);
      expectSpan(k, text, text.indexOf(KEY), text.indexOf(KEY) + KEY.length);
    }
    // Pieces that do close still join, with any quote they open (`"…" '…'` in the shell, a template
    // over lines, a key in a window or region of the content that begins after its quote).
    const [a, b] = splitAt(KEY, [30]);
    for (const text of [`"${a}""${b}"`, `'${a}' + "${b}"`, `"${a}"'${b}'`, `\`${a}\` + \`${b}\n\``, `\`x\n${a}\` + \`${b}\``, `${a}" + "${b}"`]) {
      expect(only(text)).toMatchObject({ key: KEY, encoding: 'concatenation' });
    }
  });

  it('a whole key followed by another string on a separate statement stays the key it is', () => {
    expect(only(`a = "${KEY}";\nb = "abc";`)).toMatchObject({ key: KEY, encoding: 'plain' });
  });
});

describe('an encoded stem: every character escaped, or mixtures', () => {
  const langs = [
    { language: 'Python', write: (w: string) => `API_KEY = "${w}"\n` },
    { language: 'C', write: (w: string) => `static const char *key = "${w}";\n` },
    { language: 'JavaScript', write: (w: string) => `export const key = '${w}';\n` },
    { language: 'HTML', write: (w: string) => `<meta name="mirra-key" content="${w}">\n` },
    { language: 'URL', write: (w: string) => `curl 'https://example.test/x?key=${w}&v=1'\n` },
  ];
  const cases = SCHEMES.flatMap((scheme) =>
    (['all', 'stem-and-underscores'] as const).flatMap((which) => langs.map((l) => ({ scheme: scheme.name, s: scheme, which, ...l }))),
  );
  it.each(cases)('$scheme ($which) in $language', ({ s, which, write }) => {
    const written = encodeKey(KEY, s, which);
    const text = `# line one\n${write(written)}`;
    const k = only(text);
    expect(k).toMatchObject({ key: KEY, keyType: 'script', encoding: s.encoding });
    const at = text.indexOf(written);
    expectSpan(k, text, at, at + written.length);
  });

  it.each([
    ['mirra&#95;script&#95;…', KEY.replaceAll('_', '&#95;'), 'html-entity'],
    ['mirra&lowbar;…', INSTALL.replaceAll('_', '&lowbar;'), 'html-entity'],
    ['mirra\\u005Fscript…', KEY.replaceAll('_', '\\u005F'), 'escape'],
    ['mi\\x72\\x72a_…', 'mi\\x72\\x72a' + UNTYPED.slice(5), 'escape'],
    ['%6D%69%72%72%61_… (stem only)', '%6D%69%72%72%61' + UNTYPED.slice(5), 'url'],
    ['&#x6D;&#105;&#x72;&#114;a…', '&#x6D;&#105;&#x72;&#114;a' + KEY.slice(5), 'html-entity'],
  ])('%s', (_name, written, encoding) => {
    const text = `value: "${written}"\n`;
    const k = only(text);
    expect(k.encoding).toBe(encoding);
    expectSpan(k, text, 8, 8 + written.length);
  });

  it('a stem written in decimal entities only (`&#114;`, searched from its `#`) is found in bytes, at the start and further in', () => {
    const written = '&#109;&#105;&#114;&#114;&#97;' + KEY.slice(5);
    for (const lead of ['', '"', '<p>&amp;&& ', 'a&#114; b ']) {
      const bytes = Buffer.from(`${lead}${written}\n`);
      const found = scanContent(bytes);
      expect(found.map((k) => [k.key, k.encoding, k.start, k.end]), lead).toEqual([[KEY, 'html-entity', lead.length, lead.length + written.length]]);
    }
  });

  it.each([
    ['only one `r` escaped', '\\x6d\\x69\\x72ra'],
    ['no `r` escaped', 'm\\x69rra'],
  ])('not read: %s (docs/detector.md)', (_name, stem) => {
    expect(scanContent(`k = "${stem}${UNTYPED.slice(5)}"`)).toEqual([]);
  });

  it('an encoded word before the stem glues to it (`\\x61\\x6d\\x69…` is `amirra_…`)', () => {
    expect(scanContent(`"\\x61${encodeKey(KEY, SCHEMES[0])}"`)).toEqual([]);
  });
});

describe('quoted-printable', () => {
  it.each([
    { name: '`=5F` for `_`, on one line', first: 10, underscores: true },
    { name: 'soft line breaks cutting the key (plain `_`)', first: 40, underscores: false },
    { name: 'soft line breaks and `=5F`', first: 70, underscores: true },
  ])('$name', ({ first, underscores }) => {
    const written = quotedPrintable(INSTALL, first, underscores);
    const text = `Content-Transfer-Encoding: quoted-printable\n\n${'x'.repeat(first - 1)} ${written}\n`;
    const k = only(text);
    expect(k).toMatchObject({ key: INSTALL, encoding: 'quoted-printable' });
    const at = text.indexOf(written);
    expectSpan(k, text, at, at + written.length);
  });
});

describe('base64 wrapped at any column (lines of 16 characters or more)', () => {
  // Twelve leads put the break at every place inside the characters that encode `mirra_`.
  it.each([16, 17, 19, 60, 64, 76, 100])('a blob wrapped at %i columns: the key is found', (width) => {
    for (let lead = 0; lead < 24; lead++) {
      const blob = Buffer.from(`${'#'.repeat(lead)}KEY=${KEY}\n`).toString('base64');
      const wrapped = blob.replace(new RegExp(`.{${width}}`, 'g'), '$&\n');
      for (const eol of ['\n', '\r\n']) {
        const k = only(`-----BEGIN-----${eol}${wrapped.replaceAll('\n', eol)}${eol}-----END-----${eol}`);
        expect(k).toMatchObject({ key: KEY, encoding: 'base64', line: 2 + Math.floor((Math.floor((lead + 4) / 3) * 4) / width) });
      }
    }
  });
});

describe('upper case', () => {
  it.each([
    ['.env', (k: string) => `MIRRA_API_KEY=${k}\n`],
    ['YAML', (k: string) => `mirra:\n  key: "${k}"\n`],
    ['a shell export', (k: string) => `export KEY='${k}'\n`],
  ])('a shouted key in %s: found in lower case, at its place', (_name, write) => {
    const shouted = INSTALL.toUpperCase();
    const text = write(shouted);
    const k = only(text);
    expect(k).toMatchObject({ key: INSTALL, keyType: 'install', encoding: 'uppercase' });
    expectSpan(k, text, text.indexOf(shouted), text.indexOf(shouted) + shouted.length);
  });

  it('upper-case pieces joined (`"MIRRA_" + "…"`) are read in lower case', () => {
    const shouted = KEY.toUpperCase();
    const k = only(`k = "${shouted.slice(0, 20)}" + "${shouted.slice(20)}"`);
    expect(k).toMatchObject({ key: KEY, encoding: 'concatenation' });
  });

  it('names in upper case are not keys', () => {
    expect(scanContent('MIRRA_API_KEY MIRRA_INSTALL_DIR MIRRA_SCRIPT_ID MIRRA_DEADBEEF_CACHE')).toEqual([]);
  });
});

describe('placeholders: a body that repeats a block of up to 32 characters', () => {
  it.each([1, 2, 8, 16, 31, 32])('a block of %i repeated is a placeholder, in every form', (n) => {
    const block = fakeKey('untyped', 64, 300 + n).slice(6, 6 + n);
    const key = 'mirra_script_' + block.repeat(Math.ceil(60 / n)).slice(0, 60);
    const rejections: Rejection[] = [];
    expect(detectKeys(`"${key}"`, { rejections })).toEqual([]);
    expect(rejections.map((r) => r.filter)).toEqual([n === 1 || n === 2 || n === 8 || n === 16 || n === 31 || n === 32 ? 'repeated-pattern' : '']);
    expect(scanContent(`"${key.slice(0, 30)}" + "${key.slice(30)}"`)).toEqual([]);
    expect(scanContent(encodeKey(key, SCHEMES[0]))).toEqual([]);
  });

  it('a block of 33 repeated is not a placeholder', () => {
    const block = fakeKey('untyped', 64, 333).slice(6, 39);
    expect(only(`"mirra_${block}${block}"`).key).toBe(`mirra_${block}${block}`);
  });
});
