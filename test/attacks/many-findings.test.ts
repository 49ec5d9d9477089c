// Attack: a file, a staged change or standard input holding more keys than any report should list
// (hundreds of thousands). It used to overflow the stack (a spread into `push`, RangeError past ~125k)
// and cost kilobytes a finding. Now the first FINDINGS_KEPT_PER_CONTENT of each file are kept, the
// rest are counted, and every report says how many it does not list; the exit code stays 1.

import { afterAll, describe, expect, it } from 'vitest';
import { FINDINGS_KEPT_PER_CONTENT } from '../../src/finding.js';
import { findingsOf, findingsOfStream } from '../../src/fragments/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, runProgram, TempRepo } from '../support/git-repo.js';

/** `n` distinct keys, one a line. */
function keyLines(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`k${i} = "${fakeKey('untyped', 70, i + 1)}"`);
  return lines.join('\n') + '\n';
}

const MANY = 130_000; // past the ~125,000 arguments a spread into `push` can take
const meta = { file: 'keys.txt', source: 'file' as const, commit: null };

describe('more keys in one place than are listed', () => {
  const content = Buffer.from(keyLines(MANY));

  it('content in memory: the first findings are kept, the rest counted', () => {
    const found = findingsOf({ ...meta, content });
    expect(found).toHaveLength(FINDINGS_KEPT_PER_CONTENT);
    expect(found.unlisted).toBe(MANY - FINDINGS_KEPT_PER_CONTENT);
    expect(found[0].line).toBe(1);
    expect(found.at(-1)?.line).toBe(FINDINGS_KEPT_PER_CONTENT);
  });

  it('content read in windows (a big file, standard input): the same, each key counted once', () => {
    const { findings, bytes } = findingsOfStream({ ...meta, read: (buf, offset) => content.copy(buf, 0, offset), window: Buffer.alloc(64 * 1024) });
    expect(bytes).toBe(content.length);
    expect(findings).toHaveLength(FINDINGS_KEPT_PER_CONTENT);
    expect(findings.unlisted).toBe(MANY - FINDINGS_KEPT_PER_CONTENT);
  });

  it('keys on lines with mirra-scan:allow are neither listed nor counted', () => {
    const allowed = Buffer.from(keyLines(3000).replace(/\n/g, ' // mirra-scan:allow\n') + keyLines(1500));
    const found = findingsOf({ ...meta, content: allowed });
    expect(found).toHaveLength(FINDINGS_KEPT_PER_CONTENT);
    expect(found.unlisted).toBe(500);
  });

  it('scan - : exit 1, and the JSON and text reports say how many keys are not listed', () => {
    const json = runProgram('node', [CLI, 'scan', '-', '--format', 'json'], { input: content });
    expect(json.stderr).toBe('');
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.findings).toHaveLength(FINDINGS_KEPT_PER_CONTENT);
    expect(report.unlisted).toEqual([{ file: '(stdin)', commit: null, count: MANY - FINDINGS_KEPT_PER_CONTENT }]);
    const text = runProgram('node', [CLI, 'scan', '-'], { input: content, env: { ...process.env, NO_COLOR: '1' } });
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(`(stdin): ${MANY - FINDINGS_KEPT_PER_CONTENT} more Mirra keys not listed`);
  });

  describe('staged', () => {
    const repo = new TempRepo({ prefix: 'mirra-many-' });
    afterAll(() => repo.cleanup());

    it('a staged file of 130,000 keys: exit 1, the rest counted', () => {
      repo.write('README.md', 'hello\n');
      repo.add('README.md');
      repo.commit('first');
      repo.write('keys.txt', content);
      repo.add('keys.txt');
      const r = repo.mirraScan(['staged', '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.findings).toHaveLength(FINDINGS_KEPT_PER_CONTENT);
      expect(report.unlisted).toEqual([{ file: 'keys.txt', commit: null, count: MANY - FINDINGS_KEPT_PER_CONTENT }]);
    });
  });
});
