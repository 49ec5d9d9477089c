// The config file: where it is found, what it holds, the errors a bad one gives, and its effect on
// the CLI (allowed keys, ignored paths, inline allow comments).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { clearConfigCache, loadConfig, loadConfigSync, type MirraScanConfig } from '../../src/config/index.js';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runCli, runJson, tempDir } from '../support/history-repo.js';

// Each test runs git and the CLI several times; a loaded machine must not turn that into a failure.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = tempDir('mirra-config-');
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, '.git')); // the search stops at a repository root
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const SHA = 'a'.repeat(64);

async function both(cwd: string, configPath?: string): Promise<[MirraScanConfig, MirraScanConfig]> {
  clearConfigCache();
  return [await loadConfig({ cwd, configPath }), loadConfigSync(cwd, configPath)];
}

async function errorOf(cwd: string, configPath?: string): Promise<[string, string]> {
  clearConfigCache();
  const a = await loadConfig({ cwd, configPath }).then(
    () => 'no error',
    (e: Error) => `${e.name}: ${e.message}`,
  );
  let b = 'no error';
  try {
    loadConfigSync(cwd, configPath);
  } catch (e) {
    b = `${(e as Error).name}: ${(e as Error).message}`;
  }
  return [a, b];
}

describe('finding the config', () => {
  it('gives the defaults when there is none', async () => {
    const [a, b] = await both(folder({}));
    for (const c of [a, b]) expect(c).toEqual({ ignorePaths: [], allowedKeys: [], envVar: 'MIRRA_API_KEY', verify: {}, inlineAllow: true, filepath: null });
  });

  it('reads .mirrascanrc.json at the repository root from a subfolder, the same sync and async', async () => {
    const dir = folder({
      '.mirrascanrc.json': JSON.stringify({
        ignorePaths: ['fixtures/'],
        allowedKeys: [{ keySha256: SHA, reason: 'documented sample key, revoked' }],
        envVar: 'APP_MIRRA_KEY',
        verify: { apiUrl: 'http://127.0.0.1:9999', timeoutMs: 2000, concurrency: 2, cache: false },
        inlineAllow: false,
      }),
      'src/deep/x.txt': '',
    });
    const [a, b] = await both(path.join(dir, 'src/deep'));
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      ignorePaths: ['fixtures/'],
      allowedKeys: [{ keySha256: SHA, reason: 'documented sample key, revoked' }],
      envVar: 'APP_MIRRA_KEY',
      verify: { apiUrl: 'http://127.0.0.1:9999', timeoutMs: 2000, concurrency: 2, cache: false },
      inlineAllow: false,
      filepath: path.join(dir, '.mirrascanrc.json'),
    });
  });

  it('reads "mirraScan" in package.json, and skips a package.json without it', async () => {
    const withProp = folder({ 'package.json': JSON.stringify({ name: 'x', mirraScan: { envVar: 'FROM_PACKAGE' } }) });
    expect((await both(withProp)).map((c) => c.envVar)).toEqual(['FROM_PACKAGE', 'FROM_PACKAGE']);
    const without = folder({ 'package.json': JSON.stringify({ name: 'x' }), '.mirrascanrc.yaml': 'envVar: FROM_YAML\n' });
    expect((await both(without)).map((c) => c.envVar)).toEqual(['FROM_YAML', 'FROM_YAML']);
  });

  it('reads JavaScript configs (.mjs, .cjs, .js in an ES module package), async and sync', async () => {
    const mjs = folder({ 'mirra-scan.config.mjs': 'export default { envVar: "FROM_MJS", ignorePaths: ["gen/"] };\n' });
    expect((await both(mjs)).map((c) => c.envVar)).toEqual(['FROM_MJS', 'FROM_MJS']);
    const cjs = folder({ 'mirra-scan.config.cjs': 'module.exports = { envVar: "FROM_CJS" };\n' });
    expect((await both(cjs)).map((c) => c.envVar)).toEqual(['FROM_CJS', 'FROM_CJS']);
    const esmJs = folder({ 'package.json': '{"type": "module"}', '.mirrascanrc.js': 'export default { envVar: "FROM_ESM_JS" };\n' });
    expect((await both(esmJs)).map((c) => c.envVar)).toEqual(['FROM_ESM_JS', 'FROM_ESM_JS']);
  });

  it('does not look above the repository root', async () => {
    const outer = folder({ '.mirrascanrc.json': JSON.stringify({ envVar: 'OUTER' }) });
    const inner = path.join(outer, 'inner');
    fs.mkdirSync(path.join(inner, '.git'), { recursive: true });
    expect((await both(inner)).map((c) => c.envVar)).toEqual(['MIRRA_API_KEY', 'MIRRA_API_KEY']);
  });

  it('--config names the file to use', async () => {
    const dir = folder({ 'ci/mirra.json': JSON.stringify({ envVar: 'NAMED' }), '.mirrascanrc.json': JSON.stringify({ envVar: 'SEARCHED' }) });
    expect((await both(dir, 'ci/mirra.json')).map((c) => c.envVar)).toEqual(['NAMED', 'NAMED']);
  });
});

describe('a bad config is a clear error naming the file and the field', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['a wrong type', { '.mirrascanrc.json': '{"ignorePaths": "fixtures/"}' }, 'config .mirrascanrc.json: ignorePaths: must be a list of paths, not "fixtures/"'],
    [
      'a key where its hash belongs, without echoing it',
      { '.mirrascanrc.json': JSON.stringify({ allowedKeys: [{ keySha256: SHA, reason: 'ok' }, { keySha256: fakeKey('script', 80, 5), reason: 'x' }] }) },
      "config .mirrascanrc.json: allowedKeys[1].keySha256: must be 64 lowercase hex characters (write the key's SHA-256, never the key itself)",
    ],
    ['a missing reason', { '.mirrascanrc.json': JSON.stringify({ allowedKeys: [{ keySha256: SHA }] }) }, 'config .mirrascanrc.json: allowedKeys[0].reason: is required: say why this key may stay'],
    ['a misspelt field', { '.mirrascanrc.json': '{"ignorePath": []}' }, 'config .mirrascanrc.json: ignorePath: unknown field (did you mean ignorePaths?); known fields: ignorePaths, allowedKeys, envVar, verify, inlineAllow'],
    ['a bad nested value', { '.mirrascanrc.yml': 'verify:\n  timeoutMs: -5\n' }, 'config .mirrascanrc.yml: verify.timeoutMs: must be a positive whole number, not number -5'],
    ['a bad env name', { 'package.json': JSON.stringify({ mirraScan: { envVar: 'MIRRA KEY' } }) }, 'config package.json: mirraScan.envVar: must be an environment variable name like MIRRA_API_KEY, not "MIRRA KEY"'],
    ['a key pasted as the env name, without echoing it', { '.mirrascanrc.json': JSON.stringify({ envVar: fakeKey('script', 80, 6) }) }, 'config .mirrascanrc.json: envVar: must be an environment variable name like MIRRA_API_KEY, not a long string'],
    ['not an object', { '.mirrascanrc.json': '[1, 2]' }, 'config .mirrascanrc.json: must be an object, not a list'],
  ];
  for (const [name, files, message] of cases) {
    it(name, async () => {
      expect(await errorOf(folder(files))).toEqual([`UsageError: ${message}`, `UsageError: ${message}`]);
    });
  }

  it('a file that does not parse', async () => {
    const [a, b] = await errorOf(folder({ '.mirrascanrc.json': '{"envVar": ' }));
    expect(a).toMatch(/^UsageError: config \.mirrascanrc\.json: not valid JSON: /);
    expect(b).toBe(a);
  });

  it('a --config file that is not there', async () => {
    expect(await errorOf(folder({}), 'nope.json')).toEqual(['UsageError: config nope.json: no such file', 'UsageError: config nope.json: no such file']);
  });

  it('the CLI exits 2 with that one line', () => {
    const dir = folder({ '.mirrascanrc.json': '{"inlineAllow": "no"}' });
    const r = runCli(['scan'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('mirra-scan: config .mirrascanrc.json: inlineAllow: must be true or false, not "no"\n');
  });
});

describe('the config in the CLI', () => {
  const allowed = fakeKey('test', 70);
  const reported = fakeKey('script', 80);
  const ignored = fakeKey('untyped', 68);
  const inline = fakeKey('install', 88);

  function project(config: object): HistoryRepo {
    const repo = HistoryRepo.init();
    dirs.push(repo.dir);
    repo.write('.mirrascanrc.json', JSON.stringify(config));
    repo.write('src/a.js', `const sample = '${allowed}';\nconst real = '${reported}';\nconst ok = '${inline}'; // mirra-scan:allow test fixture\n`);
    repo.write('generated/keys.txt', `${ignored}\n`);
    repo.commit('all');
    return repo;
  }

  const shas = (r: { findings: Array<{ keySha256: string }> }) => r.findings.map((f) => f.keySha256).sort();

  it('drops allowed keys and ignored paths, in scan and in history', () => {
    const repo = project({ allowedKeys: [{ keySha256: keySha256(allowed), reason: 'test key from the docs' }], ignorePaths: ['generated/'] });
    for (const cmd of [['scan'], ['history'], ['diff', 'HEAD']]) expect(shas(runJson(cmd, repo.dir))).toEqual([keySha256(reported)]);
  });

  it('inlineAllow: false reports keys on allow-commented lines', () => {
    const repo = project({ inlineAllow: false });
    const expected = [allowed, reported, inline, ignored].map(keySha256).sort();
    expect(shas(runJson(['scan'], repo.dir))).toEqual(expected);
    expect(shas(runJson(['history'], repo.dir))).toEqual(expected);
  });

  it('--no-inline-allow does the same without a config', () => {
    const repo = project({});
    expect(shas(runJson(['scan'], repo.dir))).not.toContain(keySha256(inline));
    expect(shas(runJson(['scan', '--no-inline-allow'], repo.dir))).toContain(keySha256(inline));
    expect(shas(runJson(['history', '--no-inline-allow'], repo.dir))).toContain(keySha256(inline));
  });
});

describe('verify.apiUrl', () => {
  it('takes https, and plain http only for loopback, as --api-url does', async () => {
    const ok = folder({ '.mirrascanrc.json': JSON.stringify({ verify: { apiUrl: 'http://127.0.0.1:8080' } }) });
    expect((await both(ok)).map((c) => c.verify.apiUrl)).toEqual(['http://127.0.0.1:8080', 'http://127.0.0.1:8080']);
    const [a] = await errorOf(folder({ '.mirrascanrc.json': JSON.stringify({ verify: { apiUrl: 'http://api.example.test' } }) }));
    expect(a).toMatch(/^UsageError: config \.mirrascanrc\.json: verify\.apiUrl: http:\/\/api\.example\.test uses plain http:\/\/ to a non-loopback host/);
  });
});
