// Attack: the ESLint rule on hostile Vue and Svelte components, where it reads the markup as well as
// the scripts: one huge attribute full of keys, and elements nested thousands deep, each with an
// attribute that holds a trace of a key. What must hold: every key is reported once, at its column;
// each character of the markup is handed to the detector once, however deep the nesting (the
// markup's leaves are scanned, never an element and then its children again); and the detector's
// work doubles, no more, when the input doubles (counted, never timed). Nesting deeper than a
// parser's walk can follow still gives the key (Vue: the template is read as text), or a parsing
// error ESLint shows (Svelte): never a crash, never a silent pass.

import { Linter } from 'eslint';
import * as vueParser from 'vue-eslint-parser';
import * as svelteParser from 'svelte-eslint-parser';
import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { MARKUP_WORK } from '../../rules/util/markup.js';
import { DETECTOR_WORK, resetDetectorWork } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';

type Kind = 'vue' | 'svelte';
const parsers = { vue: vueParser, svelte: svelteParser };

function lint(kind: Kind, text: string) {
  const linter = new Linter({ configType: 'flat' });
  const config = [
    {
      files: [`**/*.${kind}`],
      languageOptions: { parser: parsers[kind] },
      plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } } },
      rules: { 'mirra/no-hardcoded-api-key': 'error' },
    },
  ];
  resetDetectorWork();
  MARKUP_WORK.spans = 0;
  MARKUP_WORK.chars = 0;
  MARKUP_WORK.fallbacks = 0;
  const messages = linter.verify(text, config as never, { filename: `Hostile.${kind}` });
  return { messages, markup: { ...MARKUP_WORK }, work: { ...DETECTOR_WORK } };
}

const wrap = (kind: Kind, markup: string) => (kind === 'vue' ? `<template>${markup}</template>\n` : `${markup}\n`);

/** One attribute holding `n` distinct keys separated by spaces, on one line; and where each key starts. */
function hugeAttribute(kind: Kind, n: number) {
  const keys = Array.from({ length: n }, (_, i) => fakeKey('script', 70, 30_000 + i));
  const head = kind === 'vue' ? '<template><MirraProvider data-keys="' : '<MirraProvider data-keys="';
  let text = head;
  const starts: number[] = [];
  for (const k of keys) {
    starts.push(text.length);
    text += `${k} `;
  }
  text += kind === 'vue' ? '"></MirraProvider></template>\n' : '"></MirraProvider>\n';
  return { text, starts, keys };
}

/** `depth` nested elements, each with an attribute that holds a trace of a key (`mirra`), a key at the bottom. */
function deep(kind: Kind, depth: number) {
  const key = fakeKey('install', 72, 31_000);
  const markup = `${'<div title="mirra sdk">'.repeat(depth)}${key}${'</div>'.repeat(depth)}`;
  return { text: wrap(kind, markup), key };
}

describe.each(['vue', 'svelte'] as const)('%s', (kind) => {
  it('a huge attribute: every key at its column, its text handed to the detector once', () => {
    const { text, starts, keys } = hugeAttribute(kind, 2000);
    const { messages, markup } = lint(kind, text);
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    expect(messages.map((m) => m.column)).toEqual(starts.map((s) => s + 1));
    expect(markup.chars).toBeLessThanOrEqual(text.length);
    const all = JSON.stringify(messages);
    expect(keys.some((k) => all.includes(k))).toBe(false);
  });

  it("a huge attribute: the detector's work doubles, no more, when the attribute doubles", () => {
    const small = lint(kind, hugeAttribute(kind, 1000).text);
    const big = lint(kind, hugeAttribute(kind, 2000).text);
    expect(big.messages).toHaveLength(2000);
    expect(big.work.candidatesJudged).toBeLessThanOrEqual(2.2 * small.work.candidatesJudged);
    expect(big.work.charsMeasured).toBeLessThanOrEqual(2.2 * small.work.charsMeasured);
  });

  it('elements nested deep: the key at the bottom is reported once, each character scanned once', () => {
    const small = deep(kind, 250);
    const big = deep(kind, 500);
    const a = lint(kind, small.text);
    const b = lint(kind, big.text);
    expect(b.messages.filter((m) => m.fatal).map((m) => m.message)).toEqual([]);
    expect(b.messages.map((m) => m.column)).toEqual([big.text.indexOf(big.key) + 1]);
    expect(a.messages).toHaveLength(1);
    expect(b.markup.chars).toBeLessThanOrEqual(big.text.length);
    // Twice the elements, twice the markup handed over and judged: not the square.
    expect(b.markup.chars).toBeLessThanOrEqual(2.2 * a.markup.chars);
    expect(b.work.candidatesJudged).toBeLessThanOrEqual(2.2 * a.work.candidatesJudged);
  });

  it('nesting deeper than the parser can follow: the key is still reported, or the file fails to parse', () => {
    const { text, key } = deep(kind, 20_000);
    const { messages, markup } = lint(kind, text);
    const reported = messages.filter((m) => m.ruleId === 'mirra/no-hardcoded-api-key');
    const failed = messages.some((m) => m.fatal && /Parsing error/.test(m.message));
    if (kind === 'vue') {
      // vue-eslint-parser parses it, but its walk of the template runs out of stack: the rule reads
      // the template as text instead.
      expect(markup.fallbacks).toBe(1);
      expect(reported.map((m) => m.column)).toEqual([text.indexOf(key) + 1]);
    } else {
      // svelte-eslint-parser runs out of stack itself: ESLint shows a parsing error.
      expect(failed, JSON.stringify(messages).slice(0, 300)).toBe(true);
    }
    expect(JSON.stringify(messages)).not.toContain(key);
  });
});
