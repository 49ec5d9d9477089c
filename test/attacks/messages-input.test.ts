// Attack class: odd input that gets a misleading message or a misleading report: a bad
// MIRRA_API_URL blamed on --api-url, a symlink loop called a broken link, a newline in a file name
// faking a line of the text report, one file named three ways (or beside a folder that holds it)
// reported more than once, a baseline
// with a UTF-8 byte order mark refused.

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../support/git-repo.js';
import { fakeKey } from '../support/fake-keys.js';

const repo = new TempRepo({ prefix: 'mirra-attack-input-' });
afterAll(() => repo.cleanup());
const key = fakeKey('script', 90, 1001);

describe('odd input gets the right message', () => {
  it('a bad MIRRA_API_URL is blamed on MIRRA_API_URL', () => {
    repo.write('app.js', `const k = '${key}';\n`);
    const r = repo.mirraScan(['scan', 'app.js', '--verify'], { env: { MIRRA_API_URL: 'http://example.com' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^mirra-scan: MIRRA_API_URL http:\/\/example\.com uses plain http/);
    expect(r.stderr).not.toContain('--api-url');
  });

  it('a symlink loop is called a loop, in a walk and when named', () => {
    const loop = new TempRepo({ prefix: 'mirra-attack-loop-' });
    try {
      fs.symlinkSync('loop-b', loop.path('loop-a'));
      fs.symlinkSync('loop-a', loop.path('loop-b'));
      const walked = loop.mirraScan(['scan', '--format', 'json']);
      const errors = (JSON.parse(walked.stdout) as { errors: Array<{ file: string; message: string }> }).errors;
      expect(errors.map((e) => e.message)).toEqual(['symbolic link loop', 'symbolic link loop']);
      const named = loop.mirraScan(['scan', 'loop-a']);
      expect(named.status).toBe(2);
      expect(named.stderr).toMatch(/"loop-a" is a symbolic link loop/);
    } finally {
      loop.cleanup();
    }
  });

  it('a newline in a file name cannot fake a line of the text report', () => {
    const odd = new TempRepo({ prefix: 'mirra-attack-newline-' });
    try {
      odd.write(`x\n✔ no Mirra keys found; scanned 1 file (1 B) in 1 ms\n.js`, `const k = '${key}';\n`);
      const r = odd.mirraScan(['scan']);
      expect(r.status).toBe(1);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('✔'))).toEqual([]);
      expect(r.stdout).toContain('x\\n✔ no Mirra keys found');
    } finally {
      odd.cleanup();
    }
  });

  it('one file named three ways is reported once', () => {
    repo.write('sub/keep.txt', '').write('one.js', `const k = '${key}';\n`);
    const r = repo.mirraScan(['scan', 'one.js', './one.js', 'sub/../one.js', repo.path('one.js'), '--format', 'json']);
    const report = JSON.parse(r.stdout) as { findings: unknown[]; stats: { files: number } };
    expect(report.findings).toHaveLength(1);
    expect(report.stats.files).toBe(1);
  });

  it('a file or folder named beside a folder that holds it is reported once, wherever it comes on the line', () => {
    const tree = new TempRepo({ prefix: 'mirra-attack-named-twice-' });
    try {
      tree.write('f.txt', `const k = '${key}';\n`).write('sub/g.txt', `const k = '${key}';\n`).write('sub/deeper/h.txt', `const k = '${key}';\n`);
      fs.symlinkSync('f.txt', tree.path('link.txt'));
      const scan = (...paths: string[]) => {
        const report = JSON.parse(tree.mirraScan(['scan', '--format', 'json', ...paths]).stdout) as { findings: Array<{ file: string }>; stats: { files: number } };
        return { files: report.findings.map((f) => f.file).sort(), count: report.stats.files };
      };
      const all = ['f.txt', 'sub/deeper/h.txt', 'sub/g.txt'];
      expect(scan('.', 'f.txt')).toEqual({ files: all, count: 3 });
      expect(scan('f.txt', '.')).toEqual({ files: all, count: 3 });
      expect(scan('.', 'sub')).toEqual({ files: all, count: 3 });
      expect(scan('sub', '.', 'sub/deeper/h.txt')).toEqual({ files: all, count: 3 });
      expect(scan(tree.path('.'), './sub/../f.txt')).toEqual({ files: all, count: 3 });
      // A link named on the line is the file it points at: scanned once, under the name given.
      expect(scan('.', 'link.txt')).toEqual({ files: ['link.txt', 'sub/deeper/h.txt', 'sub/g.txt'], count: 3 });
    } finally {
      tree.cleanup();
    }
  });

  it('a baseline with a UTF-8 byte order mark is read', () => {
    repo.write('app2.js', `const k = '${key}';\n`);
    expect(repo.mirraScan(['baseline', '--output', 'plain.json']).status).toBe(0);
    repo.write('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(repo.path('plain.json'))]));
    const r = repo.mirraScan(['scan', 'app2.js', '--baseline', 'bom.json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
