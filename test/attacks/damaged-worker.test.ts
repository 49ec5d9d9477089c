// Attack class: the scan's worker thread (dist/cli/file-worker.cjs) missing from a damaged install, or
// throwing when loaded. A big walk and a big file are shared with it; what must hold: nothing goes
// unscanned because of it (this thread takes every folder and segment the worker never took, and the
// report is the one a sound install gives), and nothing of the worker's own error, a key in it
// included, is printed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, PROJECT_ROOT, runProgram } from '../support/git-repo.js';

const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-attack-worker-')));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const KEY = (i: number) => fakeKey('script', 70, 7300 + i);
const tree = path.join(temp, 'tree');
const big = path.join(temp, 'big.js');

beforeAll(() => {
  // 1,200 files in 60 folders (a walk that starts the worker), keys in a few, one in a folder named by a key.
  for (let d = 0; d < 60; d++) {
    for (let f = 0; f < 20; f++) {
      const dir = path.join(tree, `d${d}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `f${f}.js`), (d * 20 + f) % 97 === 0 ? `export const k = "${KEY(d * 20 + f)}";\n` : `export const v = ${f};\n`);
    }
  }
  fs.mkdirSync(path.join(tree, KEY(5000)));
  fs.writeFileSync(path.join(tree, KEY(5000), 'x.js'), `k = '${KEY(5001)}'\n`);
  // A file of 3 MiB scanned in segments of 256 KiB (MIRRA_SCAN_SEGMENTS below), keys near several cuts.
  const line = 'const filler = "a line of code without anything secret in it at all";\n';
  const parts: string[] = [];
  for (let k = 0; k < 12; k++) parts.push(line.repeat(Math.floor((256 * 1024) / line.length) - 1), `const key${k} = "${KEY(6000 + k)}";\n`);
  fs.writeFileSync(big, parts.join(''));
});

/** A copy of the built package's CLI whose worker script is `worker` (null: removed). */
function packageWithWorker(worker: string | null): string {
  const dir = fs.mkdtempSync(path.join(temp, 'pkg-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'dist/cli'), path.join(dir, 'dist/cli'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'eslint-plugin-mirra', version: '0.0.0', type: 'module' }));
  // The bundles' few runtime dependencies resolve from the project's node_modules.
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const script = path.join(dir, 'dist/cli/file-worker.cjs');
  if (worker === null) fs.rmSync(script);
  else fs.writeFileSync(script, worker);
  return path.join(dir, 'dist/cli/mirra-scan.js');
}

const env = { ...process.env, MIRRA_SCAN_THREADS: '2', MIRRA_SCAN_SEGMENTS: `${1024 * 1024},${256 * 1024}` };
const scan = (cli: string, target: string) => runProgram(process.execPath, [cli, 'scan', '--no-ignore', '--format', 'json', target], { cwd: temp, env });
const reportOf = (r: { stdout: string }) => {
  const j = JSON.parse(r.stdout) as { stats: { files: number; bytes: number }; findings: Array<{ file: string; line: number; column: number; keySha256: string }>; errors?: unknown[] };
  return { files: j.stats.files, bytes: j.stats.bytes, findings: j.findings.map((f) => [f.file, f.line, f.column, f.keySha256]), errors: j.errors ?? [] };
};

describe('a damaged worker script', () => {
  const damages: Array<[string, string | null]> = [
    ['missing', null],
    ['throwing when loaded, a key in its error', `throw new Error("worker broke: ${KEY(9000)}");\n`],
    ['not JavaScript', 'this is not { javascript\n'],
  ];

  test.each(damages)('%s: a big walk and a big file are reported as a sound install reports them', (_name, worker) => {
    const cli = packageWithWorker(worker);
    for (const target of [tree, big]) {
      const sound = scan(CLI, target);
      const damaged = scan(cli, target);
      expect(sound.status, sound.stderr).toBe(1);
      expect(damaged.status, damaged.stderr).toBe(1);
      const expected = reportOf(sound);
      expect(expected.findings.length).toBeGreaterThan(10);
      expect(reportOf(damaged)).toEqual(expected);
      expect(damaged.stderr).not.toMatch(/\n\s+at /);
      for (const k of [KEY(9000), KEY(5000), KEY(6003)]) {
        expect(damaged.stdout + damaged.stderr).not.toContain(k);
        expect(damaged.stdout + damaged.stderr).not.toContain(k.slice(-20));
      }
    }
  });
});
