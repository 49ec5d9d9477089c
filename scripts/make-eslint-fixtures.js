// Writes the ESLint fixture project under fixtures/eslint/ (run once; the output is committed):
//   project/eslint.config.js   the flat config (ESLint 9 and 10)
//   project/.eslintrc.cjs      the eslintrc config (ESLint 8, and 9 with ESLINT_USE_FLAT_CONFIG=false)
//   project/src/               the sources every ESLint lints
//   expected-findings.json     where each key must be reported, from the markers below
// One set of sources beside both configs (the tests pick one with ESLINT_USE_FLAT_CONFIG), so every
// ESLint lints the very same files and must report the same findings. The keys are
// fake: random-looking hex from fixed seeds, never issued by Mirra. Needs `npm run build` first
// (every key is checked against the built detector).
//
// Usage: node scripts/make-eslint-fixtures.js

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectKeys } from '../dist/src/detector/index.js';
import { fakeKey } from './fake-keys.js';

const root = fileURLToPath(new URL('../fixtures/eslint/', import.meta.url));

/** A fake key from the shared generator, checked against the built detector. */
function checkedKey(type, length, seed) {
  const key = fakeKey(type, length, seed);
  const found = detectKeys(`"${key}"`);
  if (found.length !== 1 || found[0].key !== key) throw new Error(`seed ${seed} makes a key the detector rejects; pick another`);
  return key;
}

const S1 = checkedKey('script', 77, 301);
const S2 = checkedKey('script', 72, 302);
const I1 = checkedKey('install', 80, 303);
const I2 = checkedKey('install', 90, 304);
const T1 = checkedKey('test', 70, 305);
const U1 = checkedKey('untyped', 64, 306);
const U2 = checkedKey('untyped', 100, 307);
const body = (key) => key.slice(key.indexOf('_', 6) + 1 || 6);
const untypedBody = (key) => key.slice('mirra_'.length);

// `⟦` marks where ESLint must report a key: at the key itself, or where a composed expression starts.
const M = '⟦';

const sources = {
  'src/config.js': `// Settings for the demo client. Some of these should never have been written here.
export const API_BASE = 'https://api.fxn.world';

// Pasted straight in:
export const apiKey = '${M}${S1}';

/*
 * The old key, kept "for reference":
 *   ${M}${I1}
 */

export const header = \`X-API-Key: ${M}${U1}\`;

const PREFIX = 'mirra_script_';
export const composed = ${M}PREFIX +
  '${body(S2).slice(0, 30)}' +
  '${body(S2).slice(30)}';

export const escaped = 'Bearer ${M}mirra\\x5ftest_${body(T1)}';

// These are fine: the environment, a placeholder, a name, a truncated example.
export const fromEnv = process.env.MIRRA_API_KEY;
export const placeholder = 'mirra_script_<YOUR_KEY>';
export const MIRRA_API_KEY = 'MIRRA_API_KEY';
// Keys look like mirra_script_9f3c… (64 to 128 characters).
`,
  'src/client.ts': `import { request } from './request';

enum Keys {
  Prod = '${M}${I2}',
}

type StagingKey = '${M}${U2}';

const PARTS = ['mirra', 'script', '${body(S1)}'] as const;
const joined: string = ${M}PARTS.join('_');
const spread = ${M}['mirra_', 'script_', '${body(S1)}'].join('');

const concatenated = ${M}'mirra_install_'.concat(
  '${body(I1).slice(0, 33)}',
  '${body(I1).slice(33)}',
);

const raw = ${M}String.raw\`mirra_\${'${untypedBody(U1)}'}\`;

const encoded = Buffer.from('${M}${Buffer.from(S2).toString('base64').replace(/=+$/, '')}${Buffer.from(S2).toString('base64').match(/=*$/)[0]}', 'base64');

export function client(): Promise<unknown> {
  return request(process.env.MIRRA_API_KEY ?? '', { joined, spread, concatenated, raw, encoded, prod: Keys.Prod });
}

export type { StagingKey };
`,
  'src/request.ts': `// No key here: ordinary code the rule passes over.
export async function request(key: string, body: Record<string, unknown>): Promise<unknown> {
  const res = await fetch('https://api.fxn.world/api/sdk/v2/resources/call', {
    method: 'POST',
    headers: { 'X-API-Key': key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status === 401) throw new Error('the key is missing, invalid or revoked');
  return res.json();
}
`,
  'src/App.jsx': `import { MirraProvider } from './provider';

export function App({ children }) {
  return (
    <MirraProvider apiKey="${M}${S1}" fallback={${M}'mirra_' + '${untypedBody(U2)}'}>
      <p>
        Support: send ${M}${T1} to the test API.
      </p>
      {children}
    </MirraProvider>
  );
}
`,
  'src/Widget.tsx': `import type { ReactNode } from 'react';

interface Props<T> {
  item: T;
  render: (item: T) => ReactNode;
}

const KEY = '${M}${I1}' as const;
const prefix = 'mirra_test_';

export function Widget<T>({ item, render }: Props<T>) {
  return (
    <section data-key={KEY} data-other={${M}\`\${prefix}${body(T1)}\`}>
      {render(item)}
    </section>
  );
}
`,
};

const flatConfig = `// ESLint 9 and 10: the plugin's flat config, loaded by package name.
import tsParser from '@typescript-eslint/parser';
import mirra from 'eslint-plugin-mirra';

export default [
  { files: ['**/*.{js,jsx}'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tsParser } },
  mirra.configs.recommended,
];
`;

const legacyConfig = `// ESLint 8 (and 9 with ESLINT_USE_FLAT_CONFIG=false): the plugin's eslintrc config.
module.exports = {
  root: true,
  parserOptions: { ecmaVersion: 'latest', sourceType: 'module', ecmaFeatures: { jsx: true } },
  plugins: ['mirra'],
  extends: ['plugin:mirra/legacy-recommended'],
  overrides: [{ files: ['*.ts', '*.tsx'], parser: '@typescript-eslint/parser' }],
};
`;

/** The text without markers, and the 1-based line and column of each marker. */
function stripMarkers(text) {
  const expected = [];
  let out = '';
  let line = 1;
  let column = 1;
  for (const ch of text) {
    if (ch === M) {
      expected.push({ line, column });
      continue;
    }
    out += ch;
    if (ch === '\n') {
      line++;
      column = 1;
    } else column += ch.length;
  }
  return { text: out, expected };
}

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

fs.rmSync(root, { recursive: true, force: true });
const expected = [];
for (const [file, text] of Object.entries(sources)) {
  const stripped = stripMarkers(text);
  write(path.join(root, 'project', file), stripped.text);
  for (const at of stripped.expected) expected.push({ file, ruleId: 'mirra/no-hardcoded-api-key', ...at });
}
write(path.join(root, 'project', 'eslint.config.js'), flatConfig);
write(path.join(root, 'project', '.eslintrc.cjs'), legacyConfig);
write(path.join(root, 'expected-findings.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`fixtures/eslint: ${Object.keys(sources).length} sources in project/src, ${expected.length} expected findings`);
