// The rule and keys whose text never appears in the file as written: a stem split across pieces,
// every character escaped, upper case, character references in JSX. And the promise that everything
// the CLI finds inside JS/TS string literals, the rule finds too, at the same place.

import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { hasKeyTrace, scanContent } from '../../src/detector/index.js';
import type { KeyType } from '../../src/finding.js';
import { fakeKey } from '../support/fake-keys.js';
import { encodeKey, SCHEMES, splitAt } from '../support/written-forms.js';

const linter = new Linter();
const lint = (code: string) =>
  linter.verify(
    code,
    [
      {
        files: ['**/*.tsx'],
        languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } },
        plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } } },
        rules: { 'mirra/no-hardcoded-api-key': 'error' },
      },
    ],
    'file.tsx',
  );

const TEST = fakeKey('test', 70, 401);
const SCRIPT = fakeKey('script', 80, 402);

function pos(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** One report, from `start` to `end` (offsets into `code`). */
function expectOneAt(code: string, start: number, end: number): void {
  const messages = lint(code);
  expect(messages.map((m) => m.message.slice(0, 40))).toHaveLength(1);
  const [m] = messages;
  const [a, b] = [pos(code, start), pos(code, end)];
  expect({ line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn }).toEqual({ line: a.line, column: a.column, endLine: b.line, endColumn: b.column });
}

describe('a stem split across pieces (no `mirra` anywhere in the file)', () => {
  const body = TEST.slice('mirra_test_'.length);
  it.each([
    ['`mir` + `ra_test_`', `const key = 'mir' + 'ra_test_' + '${body}';`],
    ['`m` + `irra_`', `const key = 'm' + 'irra_test_${body}';`],
    ['`mi` + `rra`', `const key = "mi" + "rra_test_" + "${body.slice(0, 20)}" + "${body.slice(20)}";`],
    ['`mirr` + `a_`', `const key = 'mirr'.concat('a_test_', '${body}');`],
    ['a list joined', `const key = ['mi', 'rra', '_test_', '${body}'].join('');`],
    ['a template', `const key = \`mi\${'rra_test_'}${body}\`;`],
    ['over lines', `const key =\n  'mir' +\n  'ra_test_' +\n  '${body}';`],
  ])('%s', (_name, code) => {
    expect(code).not.toContain('mirra');
    expectOneAt(code, code.indexOf("m", code.indexOf('=') + 1), code.indexOf(body.slice(-8)) + 8);
  });
});

describe('every character escaped (no `mirra` anywhere in the file)', () => {
  it.each(SCHEMES.filter((s) => s.encoding === 'escape'))('$name', (s) => {
    const written = encodeKey(SCRIPT, s, 'all');
    const code = `export const key = '${written}';`;
    expect(code).not.toContain('mirra');
    expectOneAt(code, code.indexOf(written), code.indexOf(written) + written.length);
  });
});

describe('forms the CLI reads, inside JS and TS', () => {
  it('a shouted key', () => {
    const code = `const key = '${SCRIPT.toUpperCase()}';`;
    expectOneAt(code, 13, 13 + SCRIPT.length);
    expect(lint(code)[0].message).toContain('(in upper case)');
  });

  it('character references in a JSX attribute', () => {
    const written = SCRIPT.replaceAll('_', '&#95;');
    const code = `const a = <meta content="${written}" />;`;
    expectOneAt(code, code.indexOf(written), code.indexOf(written) + written.length);
  });

  it('a `\\` line continuation inside a literal', () => {
    const code = `const key = '${SCRIPT.slice(0, 30)}\\\n${SCRIPT.slice(30)}';`;
    expectOneAt(code, 13, code.indexOf(SCRIPT.slice(30)) + SCRIPT.length - 30);
  });
});

// ---- the property: what the CLI finds in JS/TS string literals, the rule finds at the same place ----

const keyArb = fc
  .record({ type: fc.constantFrom<KeyType>('script', 'install', 'test', 'untyped'), length: fc.integer({ min: 64, max: 128 }), seed: fc.integer({ min: 1, max: 0x7fffffff }) })
  .map(({ type, length, seed }) => fakeKey(type, length, seed));

/** JavaScript statements without a trace of a key. */
const statementArb = fc.oneof(
  fc.tuple(fc.constantFrom('a', 'b', 'count', 'item'), fc.integer()).map(([n, v]) => `let ${n}${Math.abs(v) % 100} = ${v};`),
  fc.string({ unit: fc.constantFrom(...'abcdefxyz0123 ,.:-'), maxLength: 30 }).map((s) => `log("${s}");`),
  fc.constantFrom('if (x) { y(); }', 'const f = (a, b) => a + b;', '// a comment', 'export default {};', "const s = 'semi' + name;"),
);
const codeArb = fc.array(statementArb, { maxLength: 5 }).map((ss) => ss.join('\n'));

/** JS ways to join pieces: `+`, `.concat`, `[…].join('')`, a template with literal substitutions, a `\` line continuation. */
const JS_JOINS: Array<(ps: string[]) => string> = [
  (ps) => ps.map((p) => `'${p}'`).join(' + '),
  (ps) => ps.map((p) => `"${p}"`).join(' +\n  '),
  (ps) => `'${ps[0]}'.concat(${ps.slice(1).map((p) => `'${p}'`).join(', ')})`,
  (ps) => `[${ps.map((p) => `'${p}'`).join(', ')}].join('')`,
  (ps) => '`' + ps[0] + ps.slice(1).map((p) => `\${'${p}'}`).join('') + '`',
  (ps) => "'" + ps.join('\\\n') + "'",
];

describe('property: the rule finds what the CLI finds in JS and TS, at the same place', () => {
  it('a key split at random points, inside random code', () => {
    fc.assert(
      fc.property(codeArb, codeArb, keyArb, fc.array(fc.integer({ min: 5, max: 127 }), { maxLength: 5 }), fc.integer({ min: 0, max: JS_JOINS.length - 1 }), (head, tail, key, cuts, j) => {
        const pieces = splitAt(key, cuts);
        const code = `${head}\nconst value = ${JS_JOINS[j](pieces)};\n${tail}\n`;
        const cli = scanContent(code);
        expect(cli.map((k) => k.key)).toEqual([key]);
        const messages = lint(code);
        expect(messages.map((m) => [m.line, m.column, m.endLine, m.endColumn])).toEqual(cli.map((k) => [k.line, k.column, k.endLine, k.endColumn]));
      }),
      { numRuns: 120 },
    );
  });

  it('a stem split once, anywhere: the rule finds it (the CLI does not read a split stem)', () => {
    fc.assert(
      fc.property(codeArb, keyArb, fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 6, max: 127 }), { maxLength: 3 }), fc.integer({ min: 0, max: 3 }), (head, key, stemCut, cuts, j) => {
        const pieces = [key.slice(0, stemCut), ...splitAt(key.slice(stemCut), cuts.map((c) => c - stemCut).filter((c) => c > 0))];
        const code = `${head}\nconst value = ${JS_JOINS[j](pieces)};\n`;
        expect(hasKeyTrace(code)).toBe(false);
        expect(lint(code)).toHaveLength(1);
      }),
      { numRuns: 80 },
    );
  });

  it('every character escaped: the rule and the CLI agree', () => {
    fc.assert(
      fc.property(codeArb, keyArb, fc.integer({ min: 0, max: SCHEMES.length - 1 }), (head, key, s) => {
        const written = encodeKey(key, SCHEMES[s], 'all');
        const code = `${head}\nconst value = '${written}';\n`;
        const cli = scanContent(code);
        expect(cli).toHaveLength(1);
        expect(lint(code).map((m) => [m.line, m.column, m.endLine, m.endColumn])).toEqual(cli.map((k) => [k.line, k.column, k.endLine, k.endColumn]));
      }),
      { numRuns: 80 },
    );
  });

  it('the same code with a non-key in the key\'s place gives no report', () => {
    fc.assert(
      fc.property(codeArb, keyArb, fc.array(fc.integer({ min: 5, max: 127 }), { maxLength: 5 }), fc.integer({ min: 0, max: JS_JOINS.length - 1 }), fc.integer({ min: 14, max: 60 }), (head, key, cuts, j, at) => {
        const nonKey = key.slice(0, at) + 'g' + key.slice(at + 1);
        const code = `${head}\nconst value = ${JS_JOINS[j](splitAt(nonKey, cuts))};\n`;
        expect(lint(code)).toEqual([]);
        expect(scanContent(code)).toEqual([]);
      }),
      { numRuns: 80 },
    );
  });
});
