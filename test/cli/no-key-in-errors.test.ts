// A key reaches error messages through what people type and what files hold: a mistyped path, a
// revision, a URL, a config file git cannot parse. None of them may print it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'dist/cli/mirra-scan.js');
const key = fakeKey('script', 77);
const body = key.slice('mirra_script_'.length);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-errors-'));
spawnSync('git', ['init', '-q'], { cwd: dir });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, MIRRA_API_URL: undefined } });
}

/** Exit 2, one line on stderr, and no part of the key long enough to matter. */
function expectCleanFailure(r: ReturnType<typeof run>) {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr + r.stdout).not.toContain(body.slice(0, 16));
  expect(r.stderr + r.stdout).not.toContain(body.slice(-16));
}

describe('error messages never carry a key', () => {
  it('a path that does not exist', () => {
    const r = run(['scan', key]);
    expectCleanFailure(r);
    expect(r.stderr).toMatch(/no such file or folder: "mirra_script_[0-9a-f]{4}…[0-9a-f]{4}"/);
  });

  it('a revision git does not know', () => {
    expectCleanFailure(run(['diff', `${key}..HEAD`]));
  });

  it('an --api-url that is not a URL', () => {
    expectCleanFailure(run(['scan', '--verify', '--api-url', key]));
  });

  it('a package.json that is not valid JSON, with a key in it', () => {
    // With a "mirraScan" key it is our config file (without one, a broken package.json is not ours to read).
    fs.writeFileSync(path.join(dir, 'package.json'), `{\n "name": "x",\n "config": { "apiKey": "${key}" }\n "mirraScan": {}\n}\n`);
    try {
      const r = run(['staged']);
      expectCleanFailure(r);
      expect(r.stderr).toMatch(/^mirra-scan: config package\.json: not valid JSON: /);
    } finally {
      fs.rmSync(path.join(dir, 'package.json'));
    }
  });

  it('a config file that is not valid JSON, with a key in it', () => {
    fs.writeFileSync(path.join(dir, '.mirrascanrc.json'), `{ "allowedKeys": [\n  "${key}"\n`);
    try {
      const r = run(['scan']);
      expectCleanFailure(r);
      expect(r.stderr).toMatch(/config \.mirrascanrc\.json: not valid JSON/);
    } finally {
      fs.rmSync(path.join(dir, '.mirrascanrc.json'));
    }
  });
});

describe('a key in a file name is redacted wherever the path is printed', () => {
  const named = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-named-'));
  afterAll(() => fs.rmSync(named, { recursive: true, force: true }));
  const inside = fakeKey('untyped', 78);
  const git = (...args: string[]) => spawnSync('git', args, { cwd: named, encoding: 'utf8' });
  git('init', '-q');
  fs.mkdirSync(path.join(named, 'conf'));
  fs.writeFileSync(path.join(named, 'conf', `${key}.json`), `{ "apiKey": "${inside}" }\n`);
  fs.symlinkSync('nowhere', path.join(named, `broken-${key}`));
  fs.writeFileSync(path.join(named, 'mirra_client.ts'), `export const k = '${inside}';\n`);
  const redactedName = /conf\/mirra_script_[0-9a-f]{4}…[0-9a-f]{4}\.json/;
  const runIn = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: named, encoding: 'utf8', env: { ...process.env, MIRRA_API_URL: undefined } });
  const expectNoKey = (text: string) => {
    expect(text).not.toContain(body.slice(0, 16));
    expect(text).not.toContain(body.slice(-16));
  };

  for (const format of ['text', 'json', 'sarif', 'github']) {
    it(`scan --format ${format}`, () => {
      const r = runIn(['scan', '--format', format]);
      expect(r.status, r.stderr).toBe(1);
      expectNoKey(r.stdout + r.stderr);
      expect(r.stdout).toMatch(redactedName);
      expect(r.stdout).toContain('mirra_client.ts'); // a name that only starts like a key is left alone
    });
  }

  it('scan --format json: the finding and the skipped link name the redacted paths', () => {
    const report = JSON.parse(runIn(['scan', '--format', 'json']).stdout) as { findings: Array<{ file: string }>; errors: Array<{ file: string }> };
    expect(report.findings.map((f) => f.file).sort()).toEqual([expect.stringMatching(new RegExp(`^${redactedName.source}$`)), 'mirra_client.ts']);
    expect(report.errors.map((e) => e.file)).toEqual([expect.stringMatching(/^broken-mirra_script_[0-9a-f]{4}…[0-9a-f]{4}$/)]);
  });

  it('staged', () => {
    git('add', '-A');
    const r = runIn(['staged', '--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    expectNoKey(r.stdout + r.stderr);
    expect(r.stdout).toMatch(redactedName);
  });

  it('baseline: the file written to disk', () => {
    const r = runIn(['baseline', '--output', 'base.json']);
    expect(r.status, r.stderr).toBe(0);
    const written = fs.readFileSync(path.join(named, 'base.json'), 'utf8');
    expectNoKey(written);
    expect(written).toMatch(redactedName);
  });

  it('--reveal shows the path as it is', () => {
    const r = runIn(['scan', 'conf', '--format', 'json', '--reveal']);
    expect(r.stdout).toContain(`conf/${key}.json`);
  });
});
