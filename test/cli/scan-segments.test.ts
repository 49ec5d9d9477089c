// A big file scanned by this thread and a worker at once (src/sources/files/segments.ts), through the
// built CLI: the report is the one a single thread gives (MIRRA_SCAN_THREADS=1), for a file named on
// the command line and for big files met in a walk. MIRRA_SCAN_SEGMENTS makes segments small, so a
// few MB hold hundreds of cuts, and (`,workers`) leaves them all to the worker, or lets both threads
// take them as they come.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'dist/cli/mirra-scan.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-scan-segments-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SEGMENT = 16 * 1024;
const SMALL_SEGMENTS = `${4 * SEGMENT},${SEGMENT}`;

interface Report {
  findings: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; keySha256: string; encoding: string; hint: string }>;
  unlisted?: Array<{ file: string; count: number }>;
  errors: unknown[];
  stats: { files: number; bytes: number; skipped: number };
}

function scan(args: string[], env: Record<string, string>, cwd = dir): Report {
  const r = spawnSync(process.execPath, [CLI, 'scan', '--no-ignore', '--format', 'json', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.status);
  return JSON.parse(r.stdout) as Report;
}

const places = (r: Report) => r.findings.map((f) => [f.file, f.line, f.column, f.endLine, f.endColumn, f.keySha256, f.encoding].join(' '));

/** Minified code in long lines, `n` bytes, with a key near every `every` bytes (some right at multiples of it). */
function bundle(n: number, every: number, seed: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < n; i++) {
    const code = `function f${i}(a,b){return a.map(x=>x*b)};var v${i}="${'ab'.repeat((i * 37) % 300)}";`.repeat(20) + (i % 9 === 0 ? '\n' : '');
    parts.push(code);
    size += code.length;
    if (size > (parts.length % 3) * 7 + every * Math.floor(size / every) - 40) {
      const key = fakeKey('script', 72 + (i % 50), seed * 100000 + i);
      parts.push(i % 4 === 0 ? `"${key}"` : i % 4 === 1 ? `\n${key}\n` : i % 4 === 2 ? `'${key.slice(0, 30)}' + '${key.slice(30)}',` : ` ${key.replaceAll('_', '%5F')} `);
    }
  }
  return parts.join('');
}

describe('a big file in segments, through the CLI with a worker', () => {
  it('named on the command line: the findings, their places and order are one thread’s', () => {
    fs.writeFileSync(path.join(dir, 'big.min.js'), bundle(3_000_000, SEGMENT, 1));
    const one = scan(['big.min.js'], { MIRRA_SCAN_THREADS: '1', MIRRA_SCAN_SEGMENTS: SMALL_SEGMENTS });
    expect(one.findings.length).toBeGreaterThan(100);
    for (const segments of [SMALL_SEGMENTS, `${SMALL_SEGMENTS},workers`]) {
      const two = scan(['big.min.js'], { MIRRA_SCAN_THREADS: '2', MIRRA_SCAN_SEGMENTS: segments });
      expect(places(two)).toEqual(places(one));
      expect(two.unlisted).toEqual(one.unlisted);
      expect(two.stats).toMatchObject({ files: 1, bytes: one.stats.bytes, skipped: 0 });
    }
  });

  it('met in a walk (with small files, and a UTF-16 file): the same report as one thread', () => {
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'lib'), { recursive: true });
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(tree, 'lib', `m${i}.js`), `export const a${i} = 1;\n${i % 5 === 0 ? `const k = "${fakeKey('test', 70, 900 + i)}";\n` : ''}`);
    fs.writeFileSync(path.join(tree, 'lib', 'vendor.min.js'), bundle(1_500_000, SEGMENT, 2));
    fs.writeFileSync(path.join(tree, 'notes.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bundle(700_000, SEGMENT, 3), 'utf16le')]));
    const one = scan(['tree'], { MIRRA_SCAN_THREADS: '1', MIRRA_SCAN_SEGMENTS: SMALL_SEGMENTS });
    const two = scan(['tree'], { MIRRA_SCAN_THREADS: '2', MIRRA_SCAN_SEGMENTS: `${SMALL_SEGMENTS},workers` });
    expect(new Set(one.findings.map((f) => f.file))).toEqual(new Set(['tree/lib/m0.js', 'tree/lib/m5.js', 'tree/lib/m10.js', 'tree/lib/m15.js', 'tree/lib/vendor.min.js', 'tree/notes.txt']));
    expect(places(two)).toEqual(places(one));
    expect({ ...two.stats, durationMs: 0 }).toEqual({ ...one.stats, durationMs: 0 });
  });

  it('in a git repository: the hint of a key in a tracked big file says it is committed, as one thread says (git lists the files while the segments are scanned)', () => {
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    const git = (...args: string[]) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'tracked.min.js'), bundle(600_000, SEGMENT, 4));
    fs.writeFileSync(path.join(repo, 'untracked.min.js'), bundle(600_000, SEGMENT, 5));
    git('add', 'tracked.min.js');
    const args = ['tracked.min.js', 'untracked.min.js'];
    const one = scan(args, { MIRRA_SCAN_THREADS: '1', MIRRA_SCAN_SEGMENTS: SMALL_SEGMENTS }, repo);
    const two = scan(args, { MIRRA_SCAN_THREADS: '2', MIRRA_SCAN_SEGMENTS: SMALL_SEGMENTS }, repo);
    const hintOf = (r: Report, file: string) => new Set(r.findings.filter((f) => f.file === file).map((f) => f.hint));
    expect(hintOf(one, 'tracked.min.js')).not.toEqual(hintOf(one, 'untracked.min.js'));
    expect(two.findings.map((f) => [f.file, f.keySha256, f.hint])).toEqual(one.findings.map((f) => [f.file, f.keySha256, f.hint]));
  });
});
