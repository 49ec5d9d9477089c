// Attack: hiding a key behind the `mirra-scan:allow` marker where nobody marked it. The marker once
// counted anywhere on a key's line: inside the key's own string, in a URL, in a commit message, and
// on a minified line one marker hid every key (in the rule; within about 16 KiB in the CLI). What
// must hold (src/detector/inline-allow.ts): a marker counts only in a comment (or a marker string)
// that ends the key's own line; never inside the key's string or a URL; never in a commit or tag
// message; never on a line longer than INLINE_ALLOW_MAX_LINE_BYTES, so a marker on a line of
// megabytes hides nothing, in the CLI (content read in windows too) and the rule alike; and reading
// markers costs work linear in the text (counted, never timed).

import fs from 'node:fs';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { DETECTOR_WORK, INLINE_ALLOW_MAX_LINE_BYTES, keySha256, resetDetectorWork } from '../../src/detector/index.js';
import { findingsOf } from '../../src/fragments/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

const RULE = 'mirra/no-hardcoded-api-key';
const MiB = 1024 * 1024;

function lintJs(text: string, filename = 'bundle.min.js'): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(text, [{ files: ['**/*.js'], plugins: { mirra: plugin as never }, rules: { [RULE]: 'error' as const } }] as never, { filename });
  expect(messages.filter((m) => m.ruleId !== RULE)).toEqual([]);
  return messages;
}

const meta = { file: 'x.js', source: 'file' as const, commit: null };
const shas = (r: { stdout: string }) => (JSON.parse(r.stdout) as { findings: Array<{ keySha256: string; file: string }> }).findings.map((f) => f.keySha256);

/** A minified line of about `size` bytes (a long data string, cheap for a parser): a marker comment at its start or end, `keys` near its end. */
function minifiedLine(size: number, keys: string[], marker: 'start' | 'end'): string {
  const tail = keys.map((k, i) => `var k${i}="${k}";`).join('');
  const filler = `var d="${'ab'.repeat(Math.max(0, Math.ceil((size - tail.length) / 2)))}";`;
  return marker === 'start' ? `/* mirra-scan:allow */${filler}${tail}` : `${filler}${tail}// mirra-scan:allow`;
}

describe('a marker where nobody marked the key', () => {
  const key = fakeKey('script', 80, 6001);
  const lines = {
    ownString: `const k = '${key} // mirra-scan:allow';\n`,
    url: `const k = '${key}'; // https://example.test/mirra-scan:allow\n`,
    urlValue: `const u = 'https://example.test/?k=${key}#mirra-scan:allow';\n`,
    jsonValue: `{"apiKey": "${key}", "description": "see mirra-scan:allow"}\n`,
    before: `/* mirra-scan:allow */ const k = '${key}';\n`,
  };
  for (const [name, text] of Object.entries(lines)) {
    it(`${name}: the CLI's reading and the rule's both report the key`, () => {
      expect(findingsOf({ ...meta, content: Buffer.from(text) }).map((f) => f.keySha256)).toEqual([keySha256(key)]);
      expect(findingsOf({ ...meta, content: text })).toHaveLength(1);
      if (name !== 'jsonValue') expect(lintJs(text, 'a.js')).toHaveLength(1);
    });
  }
});

describe('a 1 MiB minified line', () => {
  const keys = Array.from({ length: 3 }, (_, i) => fakeKey('install', 80, 6100 + i));

  it('a marker at its start hides no key at its end (CLI in memory and in windows, and the rule)', () => {
    const line = minifiedLine(MiB, keys, 'start');
    expect(line.length).toBeGreaterThan(MiB - 100);
    resetDetectorWork();
    expect(findingsOf({ ...meta, content: Buffer.from(line + '\n') })).toHaveLength(3);
    // Content over 1 MiB is read in windows; twice as long, so the keys are past the first window.
    expect(findingsOf({ ...meta, content: Buffer.from(line + line.slice(22) + '\n') })).toHaveLength(6);
    expect(lintJs(line + '\n')).toHaveLength(3);
    expect(DETECTOR_WORK.charsMeasured).toBeLessThan(4 * line.length);
  });

  it('a marker at its end hides nothing either: the line is longer than a marker may cover', () => {
    const line = minifiedLine(MiB, keys, 'end');
    resetDetectorWork();
    expect(findingsOf({ ...meta, content: Buffer.from(line + '\n') })).toHaveLength(3);
    expect(findingsOf({ ...meta, content: line + '\n' })).toHaveLength(3);
    expect(lintJs(line + '\n')).toHaveLength(3);
    // The long line is never read for a marker at all.
    expect(DETECTOR_WORK.charsMeasured).toBeLessThan(20_000);
  });

  it('thousands of keys on one line, each asking about the marker: work grows with the line', () => {
    for (const n of [300, 1200]) {
      const many = Array.from({ length: n }, (_, i) => fakeKey('script', 72, 7000 + i));
      const line = minifiedLine(0, many, 'end') + '\n';
      resetDetectorWork();
      const found = findingsOf({ ...meta, content: Buffer.from(line) });
      expect(found.length + (found.unlisted ?? 0)).toBe(n);
      expect(lintJs(line)).toHaveLength(n);
      expect(DETECTOR_WORK.charsMeasured).toBeLessThan(line.length * 12);
    }
  });
});

describe('lines near the bound, in content read in windows', () => {
  it('a marker counts on a line up to the bound and not past it, wherever a window is cut', () => {
    // Lines of the bound's length give or take a few bytes, each a key and a marker; 3 MiB in all,
    // so the CLI reads it in several windows that start and end inside lines.
    const rows: Array<{ key: string; allowed: boolean }> = [];
    let text = '';
    for (let i = 0; text.length < 3 * MiB; i++) {
      const key = fakeKey('install', 80, 9000 + (i % 500));
      const width = INLINE_ALLOW_MAX_LINE_BYTES - 4 + (i % 9);
      const head = `const k${i} = '${key}'; // mirra-scan:allow `;
      const line = head + 'x'.repeat(Math.max(0, width - head.length));
      rows.push({ key, allowed: Buffer.byteLength(line) <= INLINE_ALLOW_MAX_LINE_BYTES });
      text += line + '\n';
    }
    expect(rows.some((r) => r.allowed) && rows.some((r) => !r.allowed)).toBe(true);
    const expected = rows.filter((r) => !r.allowed).length;
    resetDetectorWork();
    const cli = findingsOf({ ...meta, content: Buffer.from(text) });
    expect(cli.length + (cli.unlisted ?? 0)).toBe(expected);
    expect(lintJs(text, 'rows.js')).toHaveLength(expected);
    expect(DETECTOR_WORK.charsMeasured).toBeLessThan(6 * text.length);
  });
});

describe('a marker in a commit or tag message never counts', () => {
  let repo: TempRepo;
  const inCommit = fakeKey('script', 80, 6201);
  const inTag = fakeKey('install', 80, 6202);
  let base = '';

  beforeAll(() => {
    repo = new TempRepo({ prefix: 'mirra-allow-msg-' });
    base = repo.commitFiles({ 'README.md': '# app\n' }, 'start');
    repo.commitFiles({ 'a.txt': 'a\n' }, `add a\n\ntoken ${inCommit} // mirra-scan:allow`);
    repo.git('tag', '-a', 'v1', '-m', `release\n\n${inTag} # mirra-scan:allow`);
  });
  afterAll(() => repo?.cleanup());

  it('diff, ci and history report the keys in messages', () => {
    const env = { env: { GITHUB_ACTIONS: '', GITLAB_CI: '' } };
    expect(shas(repo.mirraScan(['diff', `${base}..HEAD`, '--format', 'json'], env))).toEqual([keySha256(inCommit)]);
    expect(shas(repo.mirraScan(['ci', '--since', base, '--format', 'json'], env))).toContain(keySha256(inCommit));
    expect(shas(repo.mirraScan(['history', '--format', 'json'], env)).sort()).toEqual([keySha256(inCommit), keySha256(inTag)].sort());
  });

  it('the commit-msg hook blocks a message whose key carries the marker', () => {
    const file = repo.path('.git/COMMIT_EDITMSG');
    fs.writeFileSync(file, `fix\n\n${inCommit} // mirra-scan:allow\n`);
    const r = repo.mirraScan(['commit-msg', '.git/COMMIT_EDITMSG']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('does not count in a message');
    expect(r.stdout + r.stderr).not.toContain(inCommit);
  });
});
