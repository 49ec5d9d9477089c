// `mirra/no-hardcoded-api-key` on the languages ESLint 9 and 10 lint besides JavaScript: JSON and
// JSONC (@eslint/json), Markdown (@eslint/markdown) and CSS (@eslint/css). Each key is reported at
// the line and column where it is written, with the redacted key only; clean files give nothing.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import css from '@eslint/css';
import json from '@eslint/json';
import markdown from '@eslint/markdown';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { clearConfigCache } from '../../src/config/index.js';
import { redactKey } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { flatLinter } from '../support/linters.js';

const KEY = fakeKey('script', 77, 1601);
const OTHER = fakeKey('install', 80, 1602);
const RULE = 'mirra/no-hardcoded-api-key';

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-rule-langs-')));
fs.mkdirSync(path.join(dir, '.git')); // the config search stops here
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Lang = 'json/json' | 'json/jsonc' | 'markdown/commonmark' | 'markdown/gfm' | 'css/css';

const config = (language: Lang) => [
  {
    files: ['**/*.json', '**/*.md', '**/*.css'],
    plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } }, json, markdown, css },
    language,
    rules: { [RULE]: 'error' },
  },
];

function lint(version: 9 | 10, language: Lang, file: string, text: string) {
  clearConfigCache();
  const linter = flatLinter(version, dir);
  return linter.verify(text, config(language) as never, { filename: path.join(dir, file) });
}

/** Where ESLint shows each occurrence of `key` in `text`: 1-based line and column, end column past the last character. */
function placesOf(text: string, key: string) {
  const out: Array<{ line: number; column: number; endLine: number; endColumn: number }> = [];
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + key.length)) {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - (before.lastIndexOf('\n') + 1) + 1;
    out.push({ line, column, endLine: line, endColumn: column + key.length });
  }
  return out;
}

const cases: Array<{ name: string; language: Lang; file: string; text: string; clean: string }> = [
  {
    name: 'a key in a JSON value',
    language: 'json/json',
    file: 'settings.json',
    text: `{\n  "mirra": {\n    "apiKey": "${KEY}",\n    "other": ["x", "${OTHER}"]\n  }\n}\n`,
    clean: '{\n  "mirra": { "apiKey": "${MIRRA_API_KEY}", "sdk": "mirra-sdk" }\n}\n',
  },
  {
    name: 'a key in a JSONC value and comment',
    language: 'json/jsonc',
    file: 'tsconfig.json',
    text: `{\n  // old: ${KEY}\n  "k": "${OTHER}"\n}\n`,
    clean: '{\n  // mirra_ keys come from the environment\n  "k": 1\n}\n',
  },
  {
    name: 'a key in a Markdown paragraph and code block',
    language: 'markdown/commonmark',
    file: 'README.md',
    text: `# Setup\n\nPaste ${KEY} into the app.\n\n\`\`\`js\nconst mirra = new Mirra({ apiKey: '${OTHER}' });\n\`\`\`\n`,
    clean: '# Setup\n\nRead the key from `MIRRA_API_KEY` (mirra_script_…).\n\n```js\nconst mirra = new Mirra({ apiKey: process.env.MIRRA_API_KEY });\n```\n',
  },
  {
    name: 'a key in GitHub-flavoured Markdown (table and inline code)',
    language: 'markdown/gfm',
    file: 'docs.md',
    text: `| env | key |\n| --- | --- |\n| prod | \`${KEY}\` |\n`,
    clean: '| env | key |\n| --- | --- |\n| prod | `$MIRRA_API_KEY` |\n',
  },
  {
    name: 'a key in a CSS comment and string',
    language: 'css/css',
    file: 'app.css',
    text: `/* key: ${KEY} */\n.banner::after {\n  content: "${OTHER}";\n}\n`,
    clean: '/* mirra_ banner */\n.banner::after {\n  content: "mirra";\n}\n',
  },
];

describe.each([10, 9] as const)('ESLint %i', (version) => {
  describe.each(cases)('$name', ({ language, file, text, clean }) => {
    it('reports each key where it is written, redacted', () => {
      const messages = lint(version, language, file, text);
      expect(messages.every((m) => m.ruleId === RULE && m.messageId === 'hardcodedKey'), JSON.stringify(messages)).toBe(true);
      const expected = [...placesOf(text, KEY), ...placesOf(text, OTHER)].sort((a, b) => a.line - b.line || a.column - b.column);
      expect(messages.map(({ line, column, endLine, endColumn }) => ({ line, column, endLine, endColumn }))).toEqual(expected);
      const all = JSON.stringify(messages);
      expect(all).not.toContain(KEY);
      expect(all).not.toContain(OTHER);
      expect(all).toContain(redactKey(KEY));
    });

    it('says nothing on a clean file', () => {
      expect(lint(version, language, file, clean)).toEqual([]);
    });
  });

  it('finds a key that is the whole file, with CRLF line ends before it', () => {
    expect(lint(version, 'markdown/commonmark', 'key.md', KEY).map((m) => [m.line, m.column, m.endLine, m.endColumn])).toEqual([[1, 1, 1, KEY.length + 1]]);
    const crlf = `a\r\n\r\n${KEY}\r\n`;
    expect(lint(version, 'markdown/commonmark', 'crlf.md', crlf).map((m) => [m.line, m.column, m.endColumn])).toEqual([[3, 1, KEY.length + 1]]);
  });

  it('honours the inline allow marker on the key\'s line, as the CLI does', () => {
    const text = `Example: ${KEY} <!-- mirra-scan:allow -->\n\nReal: ${OTHER}\n`;
    expect(lint(version, 'markdown/commonmark', 'allow.md', text).map((m) => m.line)).toEqual([3]);
  });

  it('does not crash on a file that does not parse', () => {
    const messages = lint(version, 'json/json', 'broken.json', `{ "k": "${KEY}", `);
    expect(messages.every((m) => m.fatal)).toBe(true);
    expect(JSON.stringify(messages)).not.toContain(KEY);
  });
});

describe('the flat config docs/eslint.md gives for other languages', () => {
  it('finds keys in JSON, Markdown and CSS with mirra.configs.recommended', async () => {
    const { default: mirra } = await import('../../src/index.js');
    const documented = [
      { files: ['**/*.json'], plugins: { json }, language: 'json/json' },
      { files: ['**/*.jsonc', '.vscode/*.json', 'tsconfig*.json'], plugins: { json }, language: 'json/jsonc' },
      { files: ['**/*.md'], plugins: { markdown }, language: 'markdown/gfm' },
      { files: ['**/*.css'], plugins: { css }, language: 'css/css' },
      mirra.configs.recommended,
    ];
    const linter = flatLinter(10, dir);
    for (const [file, text] of [
      ['a.json', `{"k": "${KEY}"}`],
      ['tsconfig.json', `{\n  // ${KEY}\n}`],
      ['a.md', `Key: ${KEY}\n`],
      ['a.css', `/* ${KEY} */`],
    ]) {
      clearConfigCache();
      const messages = linter.verify(text, documented as never, { filename: path.join(dir, file) });
      expect(messages.map((m) => [m.ruleId, m.column]), file).toEqual([[RULE, text.indexOf(KEY) - text.lastIndexOf('\n', text.indexOf(KEY)) ]]);
    }
  });
});
