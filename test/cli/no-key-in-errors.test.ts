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
