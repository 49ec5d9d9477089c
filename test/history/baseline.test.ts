// `mirra-scan baseline` and `--baseline FILE`: a round trip on a real repository; the file holds
// hashes only, in a stable order, and does not change when lines move.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatBaseline, parseBaseline } from '../../src/baseline/index.js';
import { keySha256 } from '../../src/detector/redact.js';
import { fakeKey } from '../support/fake-keys.js';
import { HistoryRepo, runCli, runJson } from '../support/history-repo.js';

// Each test runs git and the CLI several times; a loaded machine must not turn that into a failure.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const inTree = fakeKey('script', 80);
const inHistory = fakeKey('test', 70);
const later = fakeKey('install', 90);
let repo: HistoryRepo;
let historyCommit: string;

beforeAll(() => {
  repo = HistoryRepo.init();
  repo.write('src/app.js', `// app\nconst k = '${inTree}';\nexport default k;\n`).commit('tree key');
  repo.write('old.txt', `${inHistory}\n`);
  historyCommit = repo.commit('history key');
  repo.remove('old.txt').commit('removed');
});

afterAll(() => {
  fs.rmSync(repo.dir, { recursive: true, force: true });
});

const file = () => path.join(repo.dir, '.mirra-scan-baseline.json');

describe('baseline round trip', () => {
  it('records every key in the files and the history, by hash only', () => {
    const r = runCli(['baseline'], repo.dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/baseline \.mirra-scan-baseline\.json: 2 entries, 2 distinct keys \(files and history\)/);
    const text = fs.readFileSync(file(), 'utf8');
    expect(text).not.toContain('mirra_');
    const b = parseBaseline(text, 'x');
    expect(b.entries).toEqual(
      [
        { keySha256: keySha256(inHistory), file: 'old.txt', commit: historyCommit },
        { keySha256: keySha256(inTree), file: 'src/app.js', commit: repo.git('rev-list', '--max-parents=0', 'HEAD') },
      ].sort((x, y) => (x.keySha256 < y.keySha256 ? -1 : 1)),
    );
    expect(text).toBe(formatBaseline(b));
    // One entry per line, so two branches that each add keys merge cleanly.
    expect(text.split('\n').filter((l) => l.includes('"keySha256"'))).toHaveLength(2);
  });

  it('--baseline leaves known keys out of every scan command', () => {
    for (const cmd of [['scan'], ['history'], ['diff', 'HEAD']]) {
      const r = runJson([...cmd, '--baseline', '.mirra-scan-baseline.json'], repo.dir);
      expect(r.status, cmd.join(' ')).toBe(0);
      expect(r.findings).toEqual([]);
    }
  });

  it('does not change when lines move, and still knows a key that moved to another file', () => {
    const before = fs.readFileSync(file(), 'utf8');
    repo.write('src/app.js', `// app\n\n\n// moved down\nexport default k;\nconst k = '${inTree}';\n`).commit('move the line');
    repo.write('src/copy.js', `const again = '${inTree}';\n`);
    const r = runJson(['scan', '--baseline', '.mirra-scan-baseline.json'], repo.dir);
    expect(r.status).toBe(0);
    fs.rmSync(path.join(repo.dir, 'src/copy.js'));
    expect(runCli(['baseline'], repo.dir).status).toBe(0);
    expect(fs.readFileSync(file(), 'utf8')).toBe(before);
  });

  it('reports a key that is not in the baseline', () => {
    repo.write('src/new.js', `const k = '${later}';\n`);
    const r = runJson(['scan', '--baseline', '.mirra-scan-baseline.json'], repo.dir);
    expect(r.status).toBe(1);
    expect(r.findings.map((f) => f.keySha256)).toEqual([keySha256(later)]);
    fs.rmSync(path.join(repo.dir, 'src/new.js'));
  });

  it('--output writes elsewhere; a missing or broken baseline is a clear error', () => {
    expect(runCli(['baseline', '--output', 'other.json'], repo.dir).status).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'other.json'), 'utf8')).toBe(fs.readFileSync(file(), 'utf8'));
    const missing = runCli(['scan', '--baseline', 'nope.json'], repo.dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('mirra-scan: baseline nope.json: no such file (make one with `mirra-scan baseline`)\n');
    fs.writeFileSync(path.join(repo.dir, 'bad.json'), JSON.stringify({ version: 1, entries: [{ keySha256: 'xyz', file: 'a', commit: null }] }));
    const bad = runCli(['history', '--baseline', 'bad.json'], repo.dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('mirra-scan: baseline bad.json: entries[0].keySha256: must be 64 lowercase hex characters\n');
  });
});
