// Attack: a big file is scanned in segments by two threads (src/sources/files/segments.ts). What
// must hold: no key is lost or found twice where the file is cut, whatever the bytes there (one
// line of 64+ MiB with no delimiter to cut after, keys right at the cuts); a file that grows, shrinks
// or is rewritten while its segments are read, or whose segment cannot be read, is reported as an
// error, never passed as clean and never a crash.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describe as describeError } from '../../src/sources/files/read-file.js';
import { joinSegments, planSegments, scanClaimedSegments, SEGMENT_BYTES } from '../../src/sources/files/segments.js';
import { fakeKey } from '../support/fake-keys.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(root, 'dist/cli/mirra-scan.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-segment-attacks-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const META = { file: 'big.bin', source: 'file' as const, commit: null, place: 'working-tree' as const };
const WINDOW = 64 * 1024;
const SEGMENT = 32 * 1024;

function scan(file: string, threads: number, segments = ''): { status: number | null; stdout: string; stderr: string; findings: Array<Record<string, unknown>> } {
  const r = spawnSync(process.execPath, [CLI, 'scan', '--no-ignore', '--format', 'json', file], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, MIRRA_SCAN_THREADS: String(threads), MIRRA_SCAN_SEGMENTS: segments },
    maxBuffer: 64 * 1024 * 1024,
  });
  const findings = r.status === 0 || r.status === 1 ? (JSON.parse(r.stdout) as { findings: Array<Record<string, unknown>> }).findings : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, findings };
}

const places = (fs: Array<Record<string, unknown>>) => fs.map((f) => [f.line, f.column, f.endLine, f.endColumn, f.keySha256].join(' '));

describe('hostile bytes where a big file is cut', () => {
  it('one line of 66 MiB with no delimiter and no newline: the keys before and after it are found once, at their columns', () => {
    const file = path.join(dir, 'one-line.bin');
    const [head, tail] = [fakeKey('script', 90, 41), fakeKey('install', 100, 42)];
    const run = Buffer.alloc(66 * 1024 * 1024, 'a0b1c2d3e4f5');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(`"${head}" `), run, Buffer.from(` "${tail}"\n`)]));
    const segments = `${64 * 1024 * 1024},${SEGMENT_BYTES}`; // split (the default segment size) from 64 MiB
    const one = scan(file, 1, segments);
    const two = scan(file, 2, segments);
    expect(two.status).toBe(1);
    expect(places(two.findings)).toEqual(places(one.findings));
    expect(two.findings.map((f) => [f.line, f.column])).toEqual([
      [1, 2],
      [1, head.length + 3 + run.length + 3], // after `"head" `, the run and ` "`
    ]);
  });

  it('a key at, across, just before or just after every nominal cut of a 40 MiB file: each found once, where one thread finds it', () => {
    const file = path.join(dir, 'at-cuts.js');
    const text = Buffer.alloc(40 * 1024 * 1024, 'var x=f(a,b);');
    const offsets = [-200, -77, -40, -1, 0, 1, 3, 400]; // where the key's quote starts, from the nominal cut
    let planted = 0;
    for (let at = SEGMENT_BYTES, k = 0; at < text.length - SEGMENT_BYTES; at += SEGMENT_BYTES, k++) {
      text.write(`"${fakeKey('script', 72 + k, at)}"`, at + offsets[k % offsets.length]);
      planted++;
    }
    fs.writeFileSync(file, text);
    const segments = `${16 * 1024 * 1024},${SEGMENT_BYTES}`; // split at the default segment size
    const one = scan(file, 1, segments);
    const two = scan(file, 2, segments);
    expect(planted).toBe(offsets.length);
    expect(one.findings).toHaveLength(planted);
    expect(places(two.findings)).toEqual(places(one.findings));
  });
});

describe('a file that changes or fails while its segments are read', () => {
  function bigFile(name: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.alloc(20 * SEGMENT, `line of text ${fakeKey('script', 80, 43)}\n`));
    return file;
  }

  /** Plans `file`, then scans every segment with `readSync` (which may change the file), and joins them. */
  function scanWhile(file: string, readSync: typeof fs.readSync): ReturnType<typeof joinSegments> {
    const fd = fs.openSync(file, 'r');
    const plan = planSegments(fd, SEGMENT);
    fs.closeSync(fd);
    expect(plan.starts.length).toBeGreaterThan(10);
    const claim = new Int32Array(new SharedArrayBuffer(4));
    const outcomes = scanClaimedSegments(file, META, plan, claim, Buffer.alloc(WINDOW), {}, describeError, readSync);
    return joinSegments(file, plan, outcomes);
  }

  /** fs.readSync, with `act` run once, before the read of the `nth` call. */
  function readingThen(nth: number, act: () => void): typeof fs.readSync {
    let calls = 0;
    return ((fd: number, buf: Buffer, off: number, len: number, pos: number) => {
      if (++calls === nth) act();
      return fs.readSync(fd, buf, off, len, pos);
    }) as typeof fs.readSync;
  }

  it('unchanged, the same reads give findings (the check below is not an error every time)', () => {
    const file = bigFile('calm.log');
    const joined = scanWhile(file, fs.readSync);
    expect('findings' in joined && joined.findings.length).toBe(1000);
  });

  it('grows while read: an error, not the findings of the part read', () => {
    const file = bigFile('grows.log');
    expect(scanWhile(file, readingThen(3, () => fs.appendFileSync(file, 'more\n')))).toEqual({ error: expect.stringMatching(/^changed while it was read/) });
  });

  it('shrinks while read (a segment finds its bytes gone): an error', () => {
    const file = bigFile('shrinks.log');
    expect(scanWhile(file, readingThen(3, () => fs.truncateSync(file, 5 * SEGMENT)))).toEqual({ error: expect.stringMatching(/^changed while it was read \(it shrank\)/) });
  });

  it('rewritten at the same size while read: an error', () => {
    const file = bigFile('rewritten.log');
    const rewrite = () => {
      const t = new Date(Date.now() + 5000);
      fs.writeFileSync(file, Buffer.alloc(20 * SEGMENT, 'clean text, no key here at all\n'));
      fs.utimesSync(file, t, t);
    };
    expect(scanWhile(file, readingThen(2, rewrite))).toEqual({ error: 'changed while it was read' });
  });

  it('a segment whose read fails (EIO): the file is listed as unreadable, not as clean', () => {
    const file = bigFile('eio.log');
    let calls = 0;
    const failing = ((fd: number, buf: Buffer, off: number, len: number, pos: number) => {
      if (++calls === 7) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
      return fs.readSync(fd, buf, off, len, pos);
    }) as typeof fs.readSync;
    expect(scanWhile(file, failing)).toEqual({ error: 'cannot read (EIO)' });
  });
});
