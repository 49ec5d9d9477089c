// Attack: code whose `const` concatenations, rooted in a trace of a key, make the ESLint rule's
// string folding blow up: 5,000 chained consts (quadratic: every one composed the whole chain),
// a chain that doubles at every step (exponential: 25 levels ran out of memory), and a
// `require('mirra-sdk')` that made every unrelated concatenation be folded. An editor runs the rule
// on every keystroke: it must never hang. Shown by counting the composer's work (the longest text it
// composed, the runs it made), never by timing; `npm run bench:adversarial` times the same files
// against ESLint without the rule.

import { Linter } from 'eslint';
import { beforeEach, describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { BINDING_END_KEPT, COMPOSE_WORK } from '../../rules/util/compose.js';
import { fakeKey } from '../support/fake-keys.js';

function lint(code: string): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify(code, [{ plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } } }, rules: { 'mirra/no-hardcoded-api-key': 'error' } }]);
}

/** Enough for a key spanning two references, each kept to its two ends. */
const LONGEST_NEEDED = 4 * BINDING_END_KEPT + 16;

describe("the rule's string folding on hostile code", () => {
  beforeEach(() => {
    COMPOSE_WORK.longestComposed = 0;
    COMPOSE_WORK.partsMade = 0;
  });

  it('5,000 chained consts: each composition stays short, the work grows with the code', () => {
    const lines = ['const c0 = "mirra_";'];
    for (let i = 1; i < 5000; i++) lines.push(`const c${i} = c${i - 1} + "ab";`);
    const code = lines.join('\n');
    expect(lint(code).filter((m) => m.fatal)).toEqual([]);
    expect(COMPOSE_WORK.longestComposed).toBeLessThanOrEqual(LONGEST_NEEDED);
    expect(COMPOSE_WORK.partsMade).toBeLessThan(5000 * 8);
  });

  it('a chain that doubles 25 times: no blow-up', () => {
    const lines = ['const d0 = "mirra_";'];
    for (let i = 1; i <= 25; i++) lines.push(`const d${i} = d${i - 1} + d${i - 1};`);
    expect(lint(lines.join('\n')).filter((m) => m.fatal)).toEqual([]);
    expect(COMPOSE_WORK.longestComposed).toBeLessThanOrEqual(LONGEST_NEEDED);
    expect(COMPOSE_WORK.partsMade).toBeLessThan(25 * 16);
  });

  it("require('mirra-sdk') does not make unrelated concatenations be folded", () => {
    const lines = ["const sdk = require('mirra-sdk');", 'const base = "https://example.test/";'];
    for (let i = 0; i < 500; i++) lines.push(`const u${i} = base + "item/" + ${i} + sdk.name;`);
    expect(lint(lines.join('\n'))).toEqual([]);
    expect(COMPOSE_WORK.partsMade).toBe(0);
  });

  it('a key split across the end of a long chain is still found', () => {
    const key = fakeKey('untyped', 70, 3);
    const lines = ['const c0 = "filler ";'];
    for (let i = 1; i < 2000; i++) lines.push(`const c${i} = c${i - 1} + "filler ";`);
    lines.push(`const start = c1999 + "${key.slice(0, 30)}";`, `module.exports = start + "${key.slice(30)}";`);
    const messages = lint(lines.join('\n'));
    expect(messages.map((m) => m.messageId)).toEqual(['composedKey']);
    expect(COMPOSE_WORK.longestComposed).toBeLessThanOrEqual(LONGEST_NEEDED);
  });

  it('a key split across the start of a long chain is still found', () => {
    const key = fakeKey('script', 80, 4);
    const lines = [`const head = "${key.slice(0, 40)}";`, `const c0 = head + "${key.slice(40)}" + " tail";`];
    for (let i = 1; i < 2000; i++) lines.push(`const c${i} = c${i - 1} + " tail";`);
    lines.push('module.exports = c1999;');
    const messages = lint(lines.join('\n'));
    expect(messages.map((m) => m.messageId)).toEqual(['composedKey']);
  });
});
