// Attack class: a report with full keys (`--reveal --output FILE`) left readable by every user of
// the machine. It is written 0600, a file that was there before included.

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../support/git-repo.js';
import { fakeKey } from '../support/fake-keys.js';

const key = fakeKey('script', 90, 601);
const repo = new TempRepo({ prefix: 'mirra-attack-reveal-' });
afterAll(() => repo.cleanup());
repo.write('app.js', `const k = '${key}';\n`);
const mode = (rel: string) => fs.statSync(repo.path(rel)).mode & 0o777;

describe('--reveal --output FILE is private to its owner', () => {
  it('a new file is 0600 and holds the key', () => {
    const r = repo.mirraScan(['scan', 'app.js', '--reveal', '--format', 'json', '--output', 'report.json']);
    expect(r.status, r.stderr).toBe(1);
    expect(fs.readFileSync(repo.path('report.json'), 'utf8')).toContain(key);
    expect(mode('report.json')).toBe(0o600);
  });

  it('a file that was there, world-readable, becomes 0600', () => {
    repo.write('old.txt', 'previous report\n');
    fs.chmodSync(repo.path('old.txt'), 0o644);
    repo.mirraScan(['scan', 'app.js', '--reveal', '--output', 'old.txt']);
    expect(mode('old.txt')).toBe(0o600);
  });

  it('without --reveal the file holds no key', () => {
    repo.mirraScan(['scan', 'app.js', '--format', 'sarif', '--output', 'masked.sarif']);
    expect(fs.readFileSync(repo.path('masked.sarif'), 'utf8')).not.toContain(key.slice(13, 40));
  });
});
