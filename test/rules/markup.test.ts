// `mirra/no-hardcoded-api-key` on Vue single-file components (vue-eslint-parser) and Svelte
// components (svelte-eslint-parser), with the real parsers under ESLint 10 and 9 (flat config) and
// ESLint 8 (eslintrc): keys in template attributes, text, HTML comments, template expressions and the
// other blocks (`<style>`, custom blocks) are reported where they are written, each once, as the
// keys of `<script>` blocks are.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Linter as Linter8 } from 'eslint-v8';
import tsParser from '@typescript-eslint/parser';
import * as vueParser from 'vue-eslint-parser';
import * as svelteParser from 'svelte-eslint-parser';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { clearConfigCache } from '../../src/config/index.js';
import { redactKey } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { flatLinter } from '../support/linters.js';

const RULE = 'mirra/no-hardcoded-api-key';
const K = Array.from({ length: 9 }, (_, i) => fakeKey(i % 2 ? 'install' : 'script', 70 + i, 1700 + i));

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-rule-markup-')));
fs.mkdirSync(path.join(dir, '.git')); // the config search stops here
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Kind = 'vue' | 'svelte';
type Message = { ruleId: string | null; line: number; column: number; endLine?: number; endColumn?: number; message: string; fatal?: boolean; suggestions?: unknown[] };

const parsers = { vue: vueParser, svelte: svelteParser };

function lint(version: 8 | 9 | 10, kind: Kind, text: string, file = `Component.${kind}`): Message[] {
  clearConfigCache();
  const filename = path.join(dir, file);
  const parserOptions = { ecmaVersion: 2022, sourceType: 'module', parser: tsParser };
  if (version === 8) {
    const linter = new Linter8({ cwd: dir });
    linter.defineParser(`${kind}-eslint-parser`, parsers[kind] as never);
    linter.defineRule(RULE, rule as never);
    return linter.verify(text, { parser: `${kind}-eslint-parser`, parserOptions, rules: { [RULE]: 'error' } } as never, { filename }) as Message[];
  }
  const linter = flatLinter(version, dir);
  const config = [
    {
      files: [`**/*.${kind}`, '**/*.js'],
      plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } } },
      languageOptions: { parser: parsers[kind], parserOptions },
      rules: { [RULE]: 'error' },
    },
  ];
  return linter.verify(text, config as never, { filename }) as Message[];
}

/** Where ESLint shows `key` in `text` (its only occurrence): 1-based line and column, end column past the last character. */
function placeOf(text: string, key: string) {
  const at = text.indexOf(key);
  expect(at, 'the key is in the text').toBeGreaterThanOrEqual(0);
  expect(text.indexOf(key, at + 1), 'the key is in the text once').toBe(-1);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column, endLine: line, endColumn: column + key.length };
}

const places = (messages: Message[]) =>
  messages.map(({ line, column, endLine, endColumn }) => ({ line, column, endLine, endColumn })).sort((a, b) => a.line - b.line || a.column - b.column);

function expectReported(messages: Message[], text: string, keys: string[]): void {
  expect(messages.filter((m) => m.fatal), JSON.stringify(messages)).toEqual([]);
  expect(messages.every((m) => m.ruleId === RULE)).toBe(true);
  expect(places(messages)).toEqual(places(keys.map((k) => ({ ...placeOf(text, k), ruleId: RULE, message: '' }))));
  const all = JSON.stringify(messages);
  for (const k of keys) {
    expect(all).not.toContain(k);
    expect(all).toContain(redactKey(k));
  }
}

const VUE = `<template>
  <!-- the old key: ${K[0]} -->
  <MirraProvider api-key="${K[1]}" :fallback="'${K[2]}'" :label="\`key ${K[3]}\`">
    {{ '${K[4]}' }} Paste ${K[5]} here.
  </MirraProvider>
</template>

<script setup lang="ts">
// a script comment: ${K[6]}
const key: string = '${K[7]}';
</script>

<style>
.banner::after { content: "${K[8]}"; }
</style>
`;

const VUE_CLEAN = `<template>
  <!-- mirra_ keys come from the environment -->
  <MirraProvider :api-key="apiKey" label="mirra">{{ 'mirra_script' }} Paste your key here.</MirraProvider>
</template>
<script setup lang="ts">
const apiKey = import.meta.env.VITE_MIRRA_API_KEY;
</script>
`;

const SVELTE = `<script lang="ts">
  // a script comment: ${K[6]}
  const key: string = '${K[7]}';
  let b = 1;
</script>

<!-- the old key: ${K[0]} -->
<MirraProvider api-key="${K[1]}" fallback={'${K[2]}'} label="a{b}${K[3]}">
  {'${K[4]}'} Paste ${K[5]} here.
</MirraProvider>

<style>
  .banner::after { content: "${K[8]}"; }
</style>
`;

const SVELTE_CLEAN = `<script lang="ts">
  import { env } from '$env/dynamic/public';
</script>
<!-- mirra_ keys come from the environment -->
<MirraProvider api-key={env.PUBLIC_MIRRA_API_KEY} label="mirra">{'mirra_script'} Paste your key here.</MirraProvider>
`;

const components = [
  { kind: 'vue' as const, text: VUE, clean: VUE_CLEAN },
  { kind: 'svelte' as const, text: SVELTE, clean: SVELTE_CLEAN },
];

describe.each([10, 9, 8] as const)('ESLint %i', (version) => {
  describe.each(components)('$kind', ({ kind, text, clean }) => {
    it('reports each key of the markup, the scripts and the style once, where it is written', () => {
      expectReported(lint(version, kind, text), text, K);
    });

    it('says nothing on a clean component', () => {
      expect(lint(version, kind, clean)).toEqual([]);
    });

    it('suggests the environment variable in a script only, never in the markup', () => {
      const messages = lint(version, kind, text);
      const scriptKey = placeOf(text, K[7]);
      for (const m of messages) {
        const inScript = m.line === scriptKey.line && m.column === scriptKey.column;
        expect(m.suggestions?.length ?? 0, `line ${m.line}`).toBe(inScript ? 1 : 0);
      }
    });

    it('honours the inline allow marker in an HTML comment on the key\'s line', () => {
      const lines = `<p title="${K[0]}"></p> <!-- mirra-scan:allow -->\n<p title="${K[1]}"></p>\n`;
      const allowed = kind === 'vue' ? `<template>\n${lines}</template>\n` : lines;
      expect(lint(version, kind, allowed).map((m) => m.line)).toEqual([kind === 'vue' ? 3 : 2]);
    });
  });
});

describe('markup as people write it', () => {
  it('reads a key written with character references in a Vue attribute and in Svelte text', () => {
    const encoded = [...K[0]].map((c) => `&#${c.codePointAt(0)};`).join('');
    for (const [kind, text] of [
      ['vue', `<template><MirraProvider api-key="${encoded}" /></template>\n`],
      ['svelte', `<p>${encoded}</p>\n`],
    ] as const) {
      const messages = lint(10, kind, text);
      expect(messages.map((m) => [m.line, m.column, m.endColumn]), kind).toEqual([[1, text.indexOf('&') + 1, text.indexOf('&') + encoded.length + 1]]);
      expect(messages[0].message).toContain('character references');
    }
  });

  it('reads a Vue template in another language (pug) and custom blocks as text', () => {
    const text = `<template lang="pug">\nMirraProvider(api-key="${K[0]}")\n</template>\n<i18n>{ "en": { "key": "${K[1]}" } }</i18n>\n<script>\nexport default {};\n</script>\n`;
    expectReported(lint(10, 'vue', text), text, [K[0], K[1]]);
  });

  it('reads HTML comments between the blocks of a Vue file, with a template or without one', () => {
    const withTemplate = `<!-- ${K[0]} -->\n<template><p>x</p></template>\n<!-- ${K[1]} -->\n<script>\nexport default {};\n</script>\n`;
    expectReported(lint(10, 'vue', withTemplate), withTemplate, [K[0], K[1]]);
    const scriptOnly = `<!-- ${K[2]} -->\n<script>\nexport default {};\n</script>\n`;
    expectReported(lint(10, 'vue', scriptOnly), scriptOnly, [K[2]]);
  });

  it('reads a Vue directive whose expression does not parse', () => {
    const text = `<template><MirraProvider :api-key="${K[0]} +" /></template>\n`;
    const messages = lint(10, 'vue', text);
    expect(places(messages)).toEqual(places([{ ...placeOf(text, K[0]), ruleId: RULE, message: '' }]));
  });

  it('reports a key in a plain .js file parsed by vue-eslint-parser once', () => {
    const text = `export const key = '${K[0]}';\n`;
    expectReported(lint(10, 'vue', text, 'key.js'), text, [K[0]]);
  });
});

describe('the flat config docs/eslint.md gives for Vue and Svelte', () => {
  it('finds keys in the markup with mirra.configs.recommended', async () => {
    const { default: mirra } = await import('../../src/index.js');
    const { default: vue } = await import('vue-eslint-parser');
    const { default: svelte } = await import('svelte-eslint-parser');
    const documented = [
      { files: ['**/*.vue'], languageOptions: { parser: vue } },
      { files: ['**/*.svelte'], languageOptions: { parser: svelte } },
      mirra.configs.recommended,
    ];
    const linter = flatLinter(10, dir);
    for (const [file, text] of [
      ['App.vue', `<template>\n  <MirraProvider api-key="${K[0]}" />\n</template>\n`],
      ['App.svelte', `<MirraProvider api-key="${K[0]}" />\n`],
    ]) {
      clearConfigCache();
      const messages = linter.verify(text, documented as never, { filename: path.join(dir, file) });
      expect(messages.map((m) => [m.ruleId, m.line, m.column]), file).toEqual([[RULE, placeOf(text, K[0]).line, placeOf(text, K[0]).column]]);
    }
  });
});
