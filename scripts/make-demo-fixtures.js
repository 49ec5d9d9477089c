// Writes fixtures/demo-app/ (the small app `npm run demo` scans) and fixtures/demo-app.expected.json
// (where each planted key must be reported: file, line, column, keyType, encoding, keySha256 —
// never the key). Run once; the output is committed. Deterministic: keys come from fixed seeds
// (the same generator as test/support/fake-keys.ts), so tests can make them again.
//
// The app plants keys written in different ways, next to placeholders that must NOT be reported.
// Two files are left out of a default scan on purpose: `.env.local` (in the app's .gitignore, so it is
// not committed either: git would scan a tracked file whatever .gitignore says; the tests write the
// app, with it, into a temporary folder with writeDemoApp()) and `test/fixtures/keys.json` (in the app's .mirrascanignore).
//
// Usage: node scripts/make-demo-fixtures.js

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fakeKey } from './fake-keys.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEMO_DIR = path.join(ROOT, 'fixtures', 'demo-app');
export const EXPECTED_FILE = path.join(ROOT, 'fixtures', 'demo-app.expected.json');

/** The planted keys: what kind, how long, from which seed. Tests import this to make them again. */
export const DEMO_KEYS = {
  hardcodedFallback: { type: 'script', length: 77, seed: 4101 },
  dotEnv: { type: 'install', length: 86, seed: 4102 },
  dotEnvLocal: { type: 'test', length: 70, seed: 4103 },
  settingsJson: { type: 'test', length: 64, seed: 4104 },
  escapedInTs: { type: 'untyped', length: 96, seed: 4105 },
  inUrl: { type: 'script', length: 80, seed: 4106 },
  k8sSecret: { type: 'install', length: 100, seed: 4107 },
  windowsExport: { type: 'untyped', length: 128, seed: 4108 },
  readmePaste: { type: 'script', length: 70, seed: 4109 },
  allowedTestKey: { type: 'test', length: 72, seed: 4110 },
  testFixture: { type: 'install', length: 90, seed: 4111 },
};

export const demoKey = (name) => fakeKey(DEMO_KEYS[name].type, DEMO_KEYS[name].length, DEMO_KEYS[name].seed);

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The vendor documentation's own example key, a placeholder (built here, never written out). */
const DOC_EXAMPLE = 'mirra_script_' + 'a1b2c3d4e5f6' + '789abcdef0123456789abcdef0123456789abcdef0123456789';

function build() {
  const K = Object.fromEntries(Object.keys(DEMO_KEYS).map((name) => [name, demoKey(name)]));
  const files = {};
  // Each planted key: the file, how it is written there, and which list it belongs to.
  const planted = [];
  const plant = (name, file, written, encoding, list = 'findings') => {
    planted.push({ name, file, written, encoding, list });
    return written;
  };

  files['package.json'] =
    JSON.stringify(
      {
        name: 'weather-bot',
        version: '1.4.0',
        private: true,
        type: 'module',
        scripts: { start: 'node src/index.js', test: 'node --test test/' },
        dependencies: { '@mirra-messenger/sdk': '^2.0.0' },
      },
      null,
      2,
    ) + '\n';

  files['.gitignore'] = ['node_modules/', 'dist/', '# local overrides, never committed', '.env.local', ''].join('\n');

  files['.mirrascanignore'] = ['# Fake keys for the unit tests; reviewed, not secrets.', 'test/fixtures/', ''].join('\n');

  files['.env.example'] = [
    '# Copy to .env and fill in. Keys: store.getmirra.app/developer/api-keys',
    'MIRRA_API_KEY=mirra_your_api_key_here',
    'MIRRA_TEST_KEY=mirra_test_****************',
    'MIRRA_API_URL=https://api.fxn.world',
    '',
  ].join('\n');

  files['.env'] = ['# committed by mistake', `MIRRA_API_KEY=${plant('dotEnv', '.env', K.dotEnv, 'plain')}`, 'MIRRA_API_URL=https://api.fxn.world', 'LOG_LEVEL=info', ''].join('\n');

  files['.env.local'] = ['# local override (gitignored)', `MIRRA_API_KEY=${plant('dotEnvLocal', '.env.local', K.dotEnvLocal, 'plain', 'gitignored')}`, ''].join('\n');

  files['README.md'] = [
    '# weather-bot',
    '',
    'A Mirra script that posts the morning forecast to a group.',
    '',
    '## Setup',
    '',
    '1. Create a key at store.getmirra.app/developer/api-keys (it looks like `mirra_a1b2c3d4e5f6789abcdef0123456789...`).',
    '2. Put it in `.env`: `MIRRA_API_KEY=mirra_your_api_key_here`.',
    `3. The docs show a script key like \`${DOC_EXAMPLE}\`; yours differs.`,
    '',
    'Never write the key in code: `new MirraSDK({ apiKey: process.env.MIRRA_API_KEY })`.',
    '',
    '## Troubleshooting',
    '',
    'A 401 means the key is wrong or revoked. This worked for me:',
    '',
    '```sh',
    `curl -H 'X-API-Key: ${plant('readmePaste', 'README.md', K.readmePaste, 'plain')}' https://api.fxn.world/api/sdk/v1/resources`,
    '```',
    '',
    'Keys in logs are masked as `mirra_script_xxxxxxxxxxxxxxxxxxxx` or `mirra_REDACTED`.',
    '',
  ].join('\n');

  files['src/index.js'] = [
    "import { MirraSDK } from '@mirra-messenger/sdk';",
    "import { forecast } from './weather.js';",
    '',
    '// TODO: remove the fallback before shipping',
    `const apiKey = process.env.MIRRA_API_KEY ?? '${plant('hardcodedFallback', 'src/index.js', K.hardcodedFallback, 'plain')}';`,
    'const mirra_client = new MirraSDK({ apiKey });',
    'const mirra_script_id = process.env.MIRRA_SCRIPT_ID;',
    '',
    'export async function run(group) {',
    '  const text = await forecast(group.city);',
    "  await mirra_client.messages.send({ group: group.id, text, script: mirra_script_id });",
    '}',
    '',
  ].join('\n');

  files['src/weather.js'] = [
    "const BASE = 'https://weather.example.test/v1';",
    '',
    'export async function forecast(city) {',
    '  const res = await fetch(`${BASE}/forecast?city=${encodeURIComponent(city)}`);',
    "  if (!res.ok) throw new Error(`forecast failed: ${res.status}`);",
    '  const { summary } = await res.json();',
    '  return summary;',
    '}',
    '',
  ].join('\n');

  files['src/config.ts'] = [
    "import { env } from 'node:process';",
    '',
    'export interface Config {',
    '  apiUrl: string;',
    '  apiKey: string;',
    '}',
    '',
    '// Escaped so that a grep for the key prefix does not find it (it does not help).',
    `const LEGACY_KEY = "${plant('escapedInTs', 'src/config.ts', K.escapedInTs.replaceAll('_', '\\u005f'), 'escape')}";`,
    '',
    'export function loadConfig(): Config {',
    "  return { apiUrl: env.MIRRA_API_URL ?? 'https://api.fxn.world', apiKey: env.MIRRA_API_KEY ?? LEGACY_KEY };",
    '}',
    '',
    '/** What a key looks like in logs. */',
    'export function mask(key: string): string {',
    "  return key.startsWith('mirra_') ? 'mirra_REDACTED' : key;",
    '}',
    '',
    '// Shapes used in tests: a template and two obvious dummies.',
    'export const keyFor = (name: string) => `mirra_${name}`;',
    "export const ZERO_KEY = 'mirra_" + '0'.repeat(64) + "';",
    "export const SEQUENCE_KEY = 'mirra_" + '0123456789abcdef'.repeat(4) + "';",
    '',
  ].join('\n');

  files['src/api.ts'] = [
    "import { loadConfig } from './config.js';",
    '',
    'const { apiUrl, apiKey } = loadConfig();',
    '',
    'export async function listResources(): Promise<unknown> {',
    "  const res = await fetch(`${apiUrl}/api/sdk/v1/resources`, { headers: { 'X-API-Key': apiKey } });",
    '  return (await res.json()).data;',
    '}',
    '',
    '// An old health-check link someone pasted, key and all.',
    `export const HEALTH_URL = '${'https://api.fxn.world/api/sdk/v1/resources?key=' + plant('inUrl', 'src/api.ts', K.inUrl.replaceAll('_', '%5F'), 'url')}&limit=1';`,
    '',
  ].join('\n');

  files['config/settings.json'] =
    JSON.stringify(
      {
        bot: { name: 'weather-bot', schedule: '0 7 * * *' },
        mirra: {
          apiUrl: 'https://api.fxn.world',
          apiKey: 'mirra_REDACTED',
          testKey: plant('settingsJson', 'config/settings.json', K.settingsJson, 'plain'),
        },
      },
      null,
      2,
    ) + '\n';

  const secretValue = plant('k8sSecret', 'deploy/k8s-secret.yaml', Buffer.from(K.k8sSecret).toString('base64'), 'base64');
  files['deploy/k8s-secret.yaml'] = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: weather-bot',
    'type: Opaque',
    'data:',
    '  # base64 is not encryption',
    `  MIRRA_API_KEY: ${secretValue}`,
    '  LOG_LEVEL: aW5mbw==',
    '',
  ].join('\n');

  // Exported from a Windows tool: UTF-16LE with a BOM and CRLF line ends.
  files['tools/export.reg'] = [
    'Windows Registry Editor Version 5.00',
    '',
    '[HKEY_CURRENT_USER\\Software\\WeatherBot]',
    `"ApiKey"="${plant('windowsExport', 'tools/export.reg', K.windowsExport, 'utf16')}"`,
    '"ApiUrl"="https://api.fxn.world"',
    '',
  ].join('\r\n');

  files['test/api.test.js'] = [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    '',
    "test('the client sends the key header', () => {",
    `  const key = '${plant('allowedTestKey', 'test/api.test.js', K.allowedTestKey, 'plain', 'inlineAllowed')}'; // mirra-scan:allow revoked sample key`,
    "  assert.equal(key.startsWith('mirra_test_'), true);",
    '});',
    '',
  ].join('\n');

  files['test/fixtures/keys.json'] = JSON.stringify({ revoked: [plant('testFixture', 'test/fixtures/keys.json', K.testFixture, 'plain', 'mirrascanignored')] }, null, 2) + '\n';

  return { files, planted, K };
}

/** 1-based line and column (UTF-16 code units) of `needle` in `text`. */
function locate(text, needle) {
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`${needle.slice(0, 12)}… must appear exactly once`);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const lines = needle.split('\n');
  const endLine = line + lines.length - 1;
  const endColumn = lines.length === 1 ? column + needle.length : lines[lines.length - 1].length + 1;
  return { line, column, endLine, endColumn };
}

/** Writes the whole demo app (the gitignored `.env.local` too) into `dir`: tests use a copy outside the checkout. */
export function writeDemoApp(dir) {
  const built = build();
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(built.files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, rel.endsWith('.reg') ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : text);
  }
  return built;
}

export function makeDemoFixtures() {
  const { files, planted, K } = writeDemoApp(DEMO_DIR);
  const lists = { findings: [], gitignored: [], mirrascanignored: [], inlineAllowed: [] };
  for (const p of planted) {
    lists[p.list].push({ file: p.file, ...locate(files[p.file], p.written), keyType: DEMO_KEYS[p.name].type, encoding: p.encoding, keySha256: sha256(K[p.name]) });
  }
  const order = (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  for (const list of Object.values(lists)) list.sort(order);
  const expected = {
    description:
      'Where `mirra-scan scan fixtures/demo-app` must report each planted key (never the key itself). `findings`: a default scan; ' +
      '`gitignored`: also with --no-ignore (the app .gitignore); `mirrascanignored`: also with --no-ignore (the app .mirrascanignore); ' +
      '`inlineAllowed`: also with --no-inline-allow. Paths are relative to fixtures/demo-app. Written by scripts/make-demo-fixtures.js.',
    ...lists,
  };
  fs.writeFileSync(EXPECTED_FILE, JSON.stringify(expected, null, 2) + '\n');
  return expected;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const e = makeDemoFixtures();
  console.log(`wrote ${path.relative(ROOT, DEMO_DIR)}/ and ${path.relative(ROOT, EXPECTED_FILE)}: ${e.findings.length} findings, ${e.gitignored.length + e.mirrascanignored.length} ignored, ${e.inlineAllowed.length} allowed inline`);
}
