// Attack: hostile text made of the traces of the written forms (issue 12). Each reader goes forward
// only from its trace and stops at the next one, so text that is nothing but traces (dense
// concatenations, escaped `rr`, upper-case stems, comma lists, soft line breaks, interpolations)
// costs a bounded amount per trace: the characters the readers look at for 8× the input stay near
// 8× (a quadratic reader would look at 64×; counted, not timed, so a busy machine cannot decide it),
// nothing is found, and nothing throws. The same for the ESLint rule on JS made of split stems.

import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { scanContent, WRITTEN_WORK } from '../../src/detector/index.js';

/** What the readers of written forms looked at while `run` ran (a count of characters, not a clock). */
function work(run: () => unknown): number {
  const before = WRITTEN_WORK.chars;
  run();
  return WRITTEN_WORK.chars - before;
}

/** 8× the input costs at most about 8× the reading (a quadratic reader would do 64×), and nothing is found. */
function expectLinear(make: (n: number) => string, scan: (text: string) => unknown[], n: number): void {
  const [small, large] = [make(n), make(8 * n)];
  let found: unknown[] = [];
  const w = [work(() => (found = scan(small))), work(() => (found = [...found, ...scan(large)]))];
  expect(found).toEqual([]);
  // (Text the cheap look drops entirely costs the readers nothing at all: 0 and 0.)
  expect(w[1]).toBeLessThanOrEqual(9 * w[0]);
  // And per character of input, reading stays within a bound (a trace costs a bounded amount).
  expect(w[1] / large.length).toBeLessThan(64);
}

const HEX = '0123456789abcdef';
const hostile: Array<[string, (n: number) => string]> = [
  ['dense `"mirra_" + ` concatenations', (n) => '"mirra_" + '.repeat(n)],
  ['adjacent literals full of prefixes and hex', (n) => `"mirra_${HEX.slice(0, 9)}" '${HEX.slice(3, 11)}' `.repeat(n)],
  ['a comma list of prefixes, joined', (n) => '[' + '"mirra_", '.repeat(n) + '"a"].join("")'],
  ['a comma list with no `]` after it', (n) => '["' + 'mirra_", "'.repeat(n)],
  ['long blank joins between short pieces', (n) => `'mirra_ab' +${' '.repeat(200)}\n`.repeat(n)],
  ['nested interpolations', (n) => `"mirra_#{'`.repeat(n)],
  ['escaped `rr` everywhere', (n) => '\\x72\\x72\\u0072\\u0072%72%72&#x72;&#114;&#114;'.repeat(n)],
  ['an escaped stem repeated with no key after it', (n) => '\\x6d\\x69\\x72\\x72\\x61\\x5f'.repeat(n)],
  ['upper-case stems and names', (n) => 'MIRRA_MIRRA_API_KEY=MIRRA_0 '.repeat(n)],
  ['quoted-printable soft breaks after stems', (n) => 'mirra_ab=\nmirra=5F=\n'.repeat(n)],
  ['character references after stems', (n) => 'mirra&#95;&#95;&lowbar;mirra&#x5f;'.repeat(n)],
  ['line continuations', (n) => '"mirra_ab\\\n'.repeat(n)],
  // A piece joins only if its quote closes again: the look for that quote must stay bounded too.
  ['joins into a literal that never closes (hex up to the line end)', (n) => `"mirra_ab" + "${'cd'.repeat(100)}\n`.repeat(n)],
  ['template joins closed only lines later', (n) => ('`mirra_ab` + `' + 'cd ef\n'.repeat(40)).repeat(n)],
  ['quotes after the key that open nothing', (n) => `x;\nmirra_ab"" "${'c'.repeat(50)}`.repeat(n)],
];

describe('hostile written forms: linear, no finding', () => {
  it.each(hostile)('%s (as text)', (_name, make) => {
    expectLinear(make, (t) => scanContent(t), 2000);
  });

  it.each(hostile)('%s (as bytes)', (_name, make) => {
    expectLinear(make, (t) => scanContent(Buffer.from(t)), 2000);
  });

  it('on one minified line of megabytes', () => {
    const line = '"mirra_" + \'ab\' + '.repeat(200_000);
    expect(scanContent(Buffer.from(line))).toEqual([]);
  });
});

describe('the ESLint rule on JS made of split stems and escaped stems', () => {
  const linter = new Linter();
  const lint = (code: string) =>
    linter.verify(code, [{ files: ['**/*.js'], plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } } }, rules: { 'mirra/no-hardcoded-api-key': 'error' } }], 'file.js');

  it.each([
    ['split stems joined with `+`', (n: number) => `const k = ${"'mi' + 'rra_' + ".repeat(n)}'';`],
    ['split stems in a joined list', (n: number) => `const k = [${"'mir', 'ra_', ".repeat(n)}''].join('');`],
    ['escaped stems', (n: number) => `const k = '${'\\x6d\\x69\\x72\\x72\\x61\\x5f'.repeat(n)}';`],
  ])('%s', (_name, make) => {
    expectLinear(make, (code) => lint(code).filter((m) => m.ruleId === 'mirra/no-hardcoded-api-key'), 300);
  });
});
