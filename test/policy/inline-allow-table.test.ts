// The `mirra-scan:allow` marker, one table, three readers: `mirra-scan scan`, `mirra-scan staged` and
// the ESLint rule (ESLint 10: JavaScript, @eslint/json, @eslint/css, and @eslint/markdown for the
// other text formats) must give each line the same answer, and the answer the table expects. The
// meaning is the detector's one reading (src/detector/inline-allow.ts): in a comment that ends the
// key's line (or a string of its own that starts with the marker, for JSON), never inside the key's
// own string, a URL or a value that only mentions it, never before the key with code between, and
// never on a line longer than INLINE_ALLOW_MAX_LINE_BYTES.

import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import css from '@eslint/css';
import json from '@eslint/json';
import markdown from '@eslint/markdown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { clearConfigCache } from '../../src/config/index.js';
import { INLINE_ALLOW_MAX_LINE_BYTES, keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, TempRepo } from '../support/git-repo.js';

/** `K` stands for the row's key. */
const ROWS: Array<{ name: string; ext: string; text: string; allowed: boolean }> = [
  // JavaScript (the rule's own reading of literals and comments)
  { name: 'a line comment after the key', ext: 'js', text: "const k = 'K'; // mirra-scan:allow test fixture", allowed: true },
  { name: 'a block comment ending the line', ext: 'js', text: "const k = 'K'; /* mirra-scan:allow */", allowed: true },
  { name: 'a block comment, then closing punctuation', ext: 'js', text: "f('K' /* mirra-scan:allow */);", allowed: true },
  { name: 'a template literal, then the comment', ext: 'js', text: 'const k = `K`; // mirra-scan:allow', allowed: true },
  { name: 'an apostrophe inside a string before the comment', ext: 'js', text: `const k = "it's K"; // mirra-scan:allow`, allowed: true },
  { name: 'the key inside the comment that holds the marker', ext: 'js', text: '// old key K, revoked: mirra-scan:allow', allowed: true },
  { name: 'a string of its own starting with the marker', ext: 'js', text: "const a = 'K', note = 'mirra-scan:allow sample';", allowed: true },
  { name: "inside the key's own string", ext: 'js', text: "const k = 'K // mirra-scan:allow';", allowed: false },
  { name: "the key inside the marker's string", ext: 'js', text: "const k = 'mirra-scan:allow K';", allowed: false },
  { name: 'in a URL in the comment', ext: 'js', text: "const k = 'K'; // docs: https://example.test/mirra-scan:allow", allowed: false },
  { name: 'in a URL fragment in the same string', ext: 'js', text: "const u = 'https://example.test/?k=K#mirra-scan:allow';", allowed: false },
  { name: 'a comment before the key, code after it', ext: 'js', text: "/* mirra-scan:allow */ const k = 'K';", allowed: false },
  { name: 'a longer word', ext: 'js', text: "const k = 'K'; // not-mirra-scan:allowed", allowed: false },
  { name: 'on the line after the key', ext: 'js', text: "const k = 'K';\n// mirra-scan:allow", allowed: false },
  { name: 'on the line before the key', ext: 'js', text: "// mirra-scan:allow\nconst k = 'K';", allowed: false },
  { name: 'a private field is not a # comment', ext: 'js', text: "class A { #k = 'K mirra-scan:allow'; }", allowed: false },
  {
    name: `a line longer than ${INLINE_ALLOW_MAX_LINE_BYTES} bytes`,
    ext: 'js',
    text: `const k = 'K'; /* ${'x'.repeat(INLINE_ALLOW_MAX_LINE_BYTES)} */ // mirra-scan:allow`,
    allowed: false,
  },
  { name: 'CRLF line ends', ext: 'js', text: "const k = 'K'; // mirra-scan:allow\r\nconst x = 1;\r", allowed: true },
  // JSON (no comments): a string of its own at the line's end
  { name: 'JSON: a marker string after the value', ext: 'json', text: '{"apiKey": "K", "//": "mirra-scan:allow sample"}', allowed: true },
  { name: 'JSON: a value that mentions the marker', ext: 'json', text: '{"apiKey": "K", "note": "see mirra-scan:allow"}', allowed: false },
  { name: "JSON: in the key's own value", ext: 'json', text: '{"apiKey": "K mirra-scan:allow"}', allowed: false },
  // Markdown, CSS
  { name: 'Markdown: an HTML comment after the key', ext: 'md', text: 'Example: K <!-- mirra-scan:allow -->', allowed: true },
  { name: "Markdown: prose with an apostrophe", ext: 'md', text: "Don't paste K <!-- mirra-scan:allow -->", allowed: true },
  { name: 'Markdown: the comment before the key', ext: 'md', text: '<!-- mirra-scan:allow --> K', allowed: false },
  { name: 'Markdown: in a URL', ext: 'md', text: 'See https://example.test/#mirra-scan:allow for K', allowed: false },
  { name: 'CSS: a block comment after the declaration', ext: 'css', text: 'a { --k: "K"; } /* mirra-scan:allow */', allowed: true },
  // Other formats (the rule reads them through @eslint/markdown's language: the text is what counts)
  { name: 'Python: a # comment', ext: 'py', text: 'key = "K"  # mirra-scan:allow', allowed: true },
  { name: "Python: inside the key's string", ext: 'py', text: 'key = "K # mirra-scan:allow"', allowed: false },
  { name: "Python: an f-string's quote is a quote", ext: 'py', text: "key = f'K # mirra-scan:allow'", allowed: false },
  { name: 'YAML: a # comment', ext: 'yaml', text: 'key: K # mirra-scan:allow', allowed: true },
  { name: 'SQL: a -- comment', ext: 'sql', text: "SELECT 'K'; -- mirra-scan:allow", allowed: true },
  { name: 'INI: a ; comment with the marker first', ext: 'ini', text: 'key = K ; mirra-scan:allow', allowed: true },
  { name: 'shell: the marker after a word glued to #', ext: 'sh', text: 'KEY=K #mirra-scan:allow', allowed: true },
];

const keys = ROWS.map((_, i) => fakeKey('install', 80, 4100 + i));
const rowOfSha = new Map(keys.map((k, i) => [keySha256(k), i]));
const fileOf = (i: number) => `rows/${String(i).padStart(2, '0')}.${ROWS[i].ext}`;
const textOf = (i: number) => ROWS[i].text.replace(/\bK\b/, keys[i]) + '\n';

let repo: TempRepo;
const decisions = new Map<string, boolean[]>();

/** For each row, whether the CLI left its key out (allowed). */
function cliAllowed(args: string[]): boolean[] {
  const r = repo.mirraScan([...args, '--format', 'json'], { env: { GITHUB_ACTIONS: '', GITLAB_CI: '' } });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBeLessThan(2);
  const reported = new Set((JSON.parse(r.stdout) as { findings: Array<{ keySha256: string }> }).findings.map((f) => rowOfSha.get(f.keySha256)));
  return ROWS.map((_, i) => !reported.has(i));
}

const RULE = 'mirra/no-hardcoded-api-key';
const eslintConfig = [
  { files: ['**/*.js'], plugins: { mirra: plugin as never }, rules: { [RULE]: 'error' as const } },
  { files: ['**/*.json'], plugins: { mirra: plugin as never, json }, language: 'json/json', rules: { [RULE]: 'error' as const } },
  { files: ['**/*.css'], plugins: { mirra: plugin as never, css }, language: 'css/css', rules: { [RULE]: 'error' as const } },
  { files: ['**/*.{md,py,yaml,sql,ini,sh}'], plugins: { mirra: plugin as never, markdown }, language: 'markdown/commonmark', rules: { [RULE]: 'error' as const } },
];

/** How many times the rule reports the row's key in `text`. */
function ruleReports(i: number, text: string): number {
  clearConfigCache();
  const linter = new Linter({ cwd: repo.dir });
  const messages = linter.verify(text, eslintConfig as never, { filename: repo.path(fileOf(i)) });
  expect(messages.filter((m) => m.ruleId !== RULE), `${ROWS[i].name}: ${JSON.stringify(messages)}`).toEqual([]);
  return messages.length;
}

beforeAll(() => {
  repo = new TempRepo({ prefix: 'mirra-allow-table-' });
  repo.commitFiles({ 'README.md': '# app\n' }, 'start');
  ROWS.forEach((_, i) => repo.write(fileOf(i), textOf(i)));
  repo.git('add', '-A');
  decisions.set('staged', cliAllowed(['staged']));
  decisions.set('staged --no-inline-allow', cliAllowed(['staged', '--no-inline-allow']));
  repo.commit('rows');
  decisions.set('scan', cliAllowed(['scan']));
  decisions.set('scan --no-inline-allow', cliAllowed(['scan', '--no-inline-allow']));
  decisions.set('rule', ROWS.map((_, i) => ruleReports(i, textOf(i)) === 0));
  // The same text without the marker: the rule finds every row's key (so "allowed" is the marker's doing).
  decisions.set('rule without marker', ROWS.map((_, i) => ruleReports(i, textOf(i).replaceAll('mirra-scan:allow', 'mirra-scan:other')) === 0));
}, 120_000);

afterAll(() => repo?.cleanup());

describe('mirra-scan:allow: one decision per line, the same in the CLI and the rule', () => {
  it('the table runs against the built CLI', () => {
    expect(fs.existsSync(CLI), 'run `npm run build` first').toBe(true);
    expect(new Set(ROWS.map((r) => r.ext)).size).toBeGreaterThan(6);
    expect(path.extname(fileOf(0))).toBe('.js');
  });

  it('every key is found when the marker does not count', () => {
    for (const entry of ['staged --no-inline-allow', 'scan --no-inline-allow', 'rule without marker']) {
      expect(decisions.get(entry), entry).toEqual(ROWS.map(() => false));
    }
  });

  const expected = ROWS.map((r) => r.allowed);
  for (const entry of ['scan', 'staged', 'rule']) {
    it(`${entry}: each row as the table says`, () => {
      const got = decisions.get(entry)!;
      const wrong = ROWS.filter((_, i) => got[i] !== expected[i]).map((r) => `${r.name} (expected ${r.allowed ? 'allowed' : 'reported'})`);
      expect(wrong).toEqual([]);
    });
  }
});
