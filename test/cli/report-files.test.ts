// --output and --sarif-output: missing folders are created before the scan; a path that cannot be a
// file is refused before the scan, with one line and exit 2; one scan writes both reports.

import fs from 'node:fs';
import { afterAll, expect, test } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

const repo = new TempRepo({ prefix: 'mirra-report-files-' });
afterAll(() => repo.cleanup());

test('--output into folders that do not exist creates them; --sarif-output writes SARIF from the same scan', () => {
  const key = fakeKey('script');
  repo.write('src/a.js', `const k = '${key}';\n`);
  const r = repo.mirraScan(['scan', 'src', '--format', 'json', '--output', 'out/deep/report.json', '--sarif-output', 'out/sarif/scan.sarif']);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  const json = JSON.parse(repo.read('out/deep/report.json')) as { findings: Array<{ keySha256: string }> };
  const sarif = JSON.parse(repo.read('out/sarif/scan.sarif')) as { runs: Array<{ results: Array<{ partialFingerprints: Record<string, string> }> }> };
  expect(json.findings).toHaveLength(1);
  expect(sarif.runs[0].results).toHaveLength(1);
  expect(repo.read('out/deep/report.json') + repo.read('out/sarif/scan.sarif')).not.toContain(key);
});

test('an --output that cannot be a file is refused before the scan, in one line', () => {
  repo.write('afile.txt', 'x\n');
  fs.mkdirSync(repo.path('adir'), { recursive: true });
  for (const [output, why] of [['afile.txt/report.json', 'cannot create its folder'], ['adir', 'is a folder']]) {
    const r = repo.mirraScan(['scan', '.', '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(why);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  }
});
