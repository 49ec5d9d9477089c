// The one loop that turns fragments into findings (src/fragments): where a fragment starts, what it
// says about its origin, UTF-16 bytes, the cap on findings per place, and the inline allow marker as
// the policy says.

import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { FINDINGS_KEPT_PER_CONTENT, type Finding } from '../../src/finding.js';
import { findingsOf, findingsOfStream, scanFragment, type FindingSink, type FragmentMeta } from '../../src/fragments/index.js';
import { policyFor } from '../../src/policy/index.js';
import { fakeKey } from '../support/fake-keys.js';

const META: FragmentMeta = { file: 'src/app.ts', source: 'file', commit: null };
const KEY = fakeKey('untyped', 70, 11);

const where = (fs: Finding[]) => fs.map((f) => ({ sha: f.keySha256, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }));

describe('findingsOf', () => {
  it('a fragment that starts further down its file: lines count from its line offset', () => {
    const content = `// added lines\nconst key = "${KEY}";\n`;
    const found = findingsOf({ ...META, content, lineOffset: 41 });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 43, endLine: 43, column: 14 });
    expect(findingsOf({ ...META, content })[0]).toMatchObject({ line: 2, column: 14 });
  });

  it("copies the fragment's origin onto each finding", () => {
    const [f] = findingsOf({
      file: '(tag message v1)',
      source: 'commit',
      origin: 'tag-message',
      tag: 'v1',
      commit: 'a'.repeat(40),
      place: 'pushed',
      author: 'A U Thor <a@example.test>',
      date: '2026-01-02T03:04:05Z',
      content: `release notes ${KEY}`,
    });
    expect(f).toMatchObject({ file: '(tag message v1)', source: 'commit', origin: 'tag-message', tag: 'v1', commit: 'a'.repeat(40), place: 'pushed', author: 'A U Thor <a@example.test>', date: '2026-01-02T03:04:05Z' });
    // Without an origin, the source's own.
    expect(findingsOf({ ...META, content: KEY })[0].origin).toBe('file');
  });

  it('a Buffer in UTF-16 (with a BOM, or little-endian without one) is read as text', () => {
    const text = `first line\n  token: '${KEY}'\n`;
    const utf8 = where(findingsOf({ ...META, content: Buffer.from(text) }));
    expect(utf8).toHaveLength(1);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(where(findingsOf({ ...META, content: le }))).toEqual(utf8);
    expect(where(findingsOf({ ...META, content: Buffer.from(text, 'utf16le') }))).toEqual(utf8);
    expect(where(findingsOf({ ...META, content: Buffer.from(text, 'utf16le'), lineOffset: 9 }))[0].line).toBe(utf8[0].line + 9);
  });

  it('keeps at most FINDINGS_KEPT_PER_CONTENT findings of one content and counts the rest', () => {
    const extra = 7;
    const lines = Array.from({ length: FINDINGS_KEPT_PER_CONTENT + extra }, (_, i) => `k${i} = "${fakeKey('untyped', 70, 100 + i)}"`);
    const found = findingsOf({ ...META, content: lines.join('\n') });
    expect(found).toHaveLength(FINDINGS_KEPT_PER_CONTENT);
    expect(found.unlisted).toBe(extra);
  });

  it('the inline allow marker as the policy says', () => {
    const content = `const key = "${KEY}"; // mirra-scan:allow\n`;
    const honoured = policyFor({ ignorePaths: [], allowedKeys: [], inlineAllow: true }, { cwd: os.tmpdir() });
    const refused = policyFor({ ignorePaths: [], allowedKeys: [], inlineAllow: true }, { cwd: os.tmpdir(), inlineAllow: false });
    expect(findingsOf({ ...META, content }, honoured)).toHaveLength(0);
    expect(findingsOf({ ...META, content }, refused)).toHaveLength(1);
  });
});

describe('findingsOfStream', () => {
  it('a streamed fragment gives what the whole content gives, and counts its bytes', () => {
    const content = Buffer.from(`${'filler line of text\n'.repeat(5000)}x = "${KEY}"\n${'more\n'.repeat(3000)}`);
    let reads = 0;
    const { findings, bytes } = findingsOfStream({
      ...META,
      lineOffset: 3,
      read: (buf, offset) => (reads++, content.copy(buf, 0, offset)),
      window: Buffer.alloc(16 * 1024),
    });
    expect(reads).toBeGreaterThan(2);
    expect(bytes).toBe(content.length);
    expect(where(findings)).toEqual(where(findingsOf({ ...META, lineOffset: 3, content })));
    expect(findings[0].line).toBe(5004);
  });
});

describe('scanFragment', () => {
  it('caps findings per place (commit and file) across the fragments of that place, and lists the rest as unlisted', () => {
    const sink: FindingSink = { findings: [] };
    const run = (n: number, seed: number) => Array.from({ length: n }, (_, i) => fakeKey('untyped', 70, seed + i)).join('\n');
    const commit = 'b'.repeat(40);
    // Two runs of added lines in one file of one commit: one place.
    scanFragment(sink, { ...META, commit, content: run(600, 1) });
    scanFragment(sink, { ...META, commit, content: run(600, 1000), lineOffset: 900 });
    // The same file in another commit is another place.
    scanFragment(sink, { ...META, commit: 'c'.repeat(40), content: run(3, 5000) });
    expect(sink.findings).toHaveLength(FINDINGS_KEPT_PER_CONTENT + 3);
    expect(sink.unlisted).toEqual([{ file: META.file, commit, count: 1200 - FINDINGS_KEPT_PER_CONTENT }]);
  });
});
