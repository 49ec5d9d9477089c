// Attack class: a key in a file's path, glued into a word of it (`cfg_mirra_script_<hex>/app.js`)
// so that the detector does not count it as a key of its own. The path is shown masked in every
// format and in the baseline written to disk; --reveal shows it as it is.

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../support/git-repo.js';
import { fakeKey } from '../support/fake-keys.js';
import { expectNoKey } from '../support/no-key.js';

const inPath = fakeKey('script', 90, 501);
const inFile = fakeKey('untyped', 80, 502);
const repo = new TempRepo({ prefix: 'mirra-attack-paths-' });
afterAll(() => repo.cleanup());
repo.write(`cfg_${inPath}/app.js`, `const k = '${inFile}';\n`);
repo.write(`notes/v2${inPath}x.txt`, `key ${inFile}\n`);

describe('a key glued into a path is masked', () => {
  for (const format of ['text', 'json', 'sarif', 'github']) {
    it(`scan --format ${format}`, () => {
      const r = repo.mirraScan(['scan', '--format', format]);
      expect(r.status, r.stderr).toBe(1);
      expectNoKey(r.stdout + r.stderr, inPath);
      expect(r.stdout).toMatch(/cfg_mirra_script_[0-9a-f]{4}…[0-9a-f]{4}/);
    });
  }

  it('staged and history', () => {
    repo.add();
    expectNoKey(repo.mirraScan(['staged', '--format', 'json']).stdout, inPath);
    repo.commit('add');
    expectNoKey(repo.mirraScan(['history', '--format', 'json']).stdout, inPath);
  });

  it('the baseline file written to disk', () => {
    const r = repo.mirraScan(['baseline', '--output', 'base.json']);
    expect(r.status, r.stderr).toBe(0);
    expectNoKey(fs.readFileSync(repo.path('base.json'), 'utf8'), inPath, 'the baseline');
  });

  it('--reveal shows the path as it is', () => {
    expect(repo.mirraScan(['scan', '--format', 'json', '--reveal']).stdout).toContain(`cfg_${inPath}/app.js`);
  });
});
