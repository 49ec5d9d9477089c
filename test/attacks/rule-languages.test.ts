// Attack: the ESLint rule on a non-JavaScript file (@eslint/json), where it reads the file's whole
// text: one minified JSON line holding thousands of keys, with no line break at its end. ESLint's
// text source code finds a place on the last line by searching the rest of the text, so one lookup
// per key would make the rule quadratic in an editor. What must hold: every key is reported at its
// exact column, the places are looked up once per line (not once per key), and the detector's work
// grows with the text (counted, never timed).

import { Linter } from 'eslint';
import json from '@eslint/json';
import { describe, expect, it } from 'vitest';
import rule, { WHOLE_TEXT_WORK } from '../../rules/no-hardcoded-api-key.js';
import { DETECTOR_WORK, resetDetectorWork } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';

function lintJson(text: string): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  const config = [{ files: ['**/*.json'], language: 'json/json', plugins: { json, mirra: { rules: { 'no-hardcoded-api-key': rule } } }, rules: { 'mirra/no-hardcoded-api-key': 'error' } }];
  return linter.verify(text, config as never, { filename: 'keys.json' });
}

/** `[{"k":"<key>"},…]` on one line: `n` distinct keys, and where each starts. */
function minified(n: number): { text: string; starts: number[]; keys: string[] } {
  const keys = Array.from({ length: n }, (_, i) => fakeKey('script', 70, 20_000 + i));
  let text = '[';
  const starts: number[] = [];
  keys.forEach((k, i) => {
    text += `${i ? ',' : ''}{"k":"`;
    starts.push(text.length);
    text += `${k}"}`;
  });
  return { text: `${text}]`, starts, keys };
}

function run(n: number) {
  const { text, starts, keys } = minified(n);
  resetDetectorWork();
  WHOLE_TEXT_WORK.locLookups = 0;
  const messages = lintJson(text);
  return { messages, starts, keys, text, lookups: WHOLE_TEXT_WORK.locLookups, work: { ...DETECTOR_WORK } };
}

describe('the rule on one minified JSON line full of keys', () => {
  it('reports every key at its column, with one place lookup for the whole line', () => {
    const { messages, starts, keys, lookups } = run(2000);
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(messages.map((m) => m.column)).toEqual(starts.map((s) => s + 1));
    expect(messages.every((m) => m.line === 1 && m.endLine === 1)).toBe(true);
    expect(lookups).toBe(1);
    const all = JSON.stringify(messages);
    expect(keys.some((k) => all.includes(k))).toBe(false);
  });

  it("the detector's work doubles, no more, when the line doubles", () => {
    const small = run(1500);
    const big = run(3000);
    expect(big.messages).toHaveLength(3000);
    expect(big.lookups).toBe(1);
    expect(big.work.candidatesJudged).toBeLessThanOrEqual(2.2 * small.work.candidatesJudged);
    expect(big.work.charsMeasured).toBeLessThanOrEqual(2.2 * small.work.charsMeasured);
    // Looking at the line for columns and allow markers stays within a few passes over it.
    expect(big.work.charsMeasured).toBeLessThanOrEqual(4 * big.text.length);
  });
});
