// Golden files, one per output format: the same findings (one of each origin, with verification,
// an encoding, a snippet, commit metadata, an error and an unlisted count) rendered and compared byte
// for byte with test/report/golden/<format>. A change to a format shows up as a diff of its file.
// After an intended change: UPDATE_GOLDEN=1 npx vitest run test/report, then review the diff.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keySha256, redactKey } from '../../src/detector/index.js';
import { SECRET, type Finding, type FindingOrigin, type ScanResult } from '../../src/finding.js';
import { attachHints } from '../../src/hints/index.js';
import { render, REPORT_FORMATS, type ReportFormat } from '../../src/report/index.js';
import { fakeKey } from '../support/fake-keys.js';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const FILE_OF: Record<ReportFormat, string> = { text: 'text.txt', json: 'json.json', sarif: 'sarif.json', github: 'github.txt' };

function finding(i: number, origin: FindingOrigin, extra: Partial<Finding> = {}): Finding {
  const key = fakeKey(['script', 'install', 'test', 'untyped'][i % 4] as 'script', 72, 7000 + i);
  const f: Finding = {
    ruleId: 'mirra-api-key',
    keyType: (['script', 'install', 'test', 'untyped'] as const)[i % 4],
    file: `src/file${i}.ts`,
    line: i + 1,
    column: 7,
    endLine: i + 1,
    endColumn: 7 + key.length,
    source: origin === 'file' || origin === 'stdin' ? 'file' : origin === 'staged' || origin === 'merge' ? 'staged' : 'commit',
    origin,
    commit: null,
    encoding: 'plain',
    redacted: redactKey(key),
    keySha256: keySha256(key),
    verification: { status: 'unchecked' },
    hint: '',
    snippet: { text: `const k = '${redactKey(key)}';`, markerStart: 11, markerLength: redactKey(key).length },
    [SECRET]: key,
    ...extra,
  };
  return f;
}

function fixture(): ScanResult {
  const commit = '1234567890abcdef1234567890abcdef12345678';
  const findings = [
    finding(0, 'file'),
    finding(1, 'file', { file: '.env', tracked: true, encoding: 'base64', verification: { status: 'live' } }),
    finding(2, 'stdin', { file: '(stdin)', snippet: undefined }),
    finding(3, 'staged', { place: 'staged', verification: { status: 'invalid', detail: 'HTTP 401' } }),
    finding(4, 'merge', { place: 'staged', mergedCommit: commit }),
    finding(5, 'commit', { commit, place: 'pushed', author: 'Ada <ada@example.test>', date: '2024-01-02T03:04:05+00:00' }),
    finding(6, 'push', { commit, place: 'unpushed', verification: { status: 'unknown', detail: 'timed out' } }),
    finding(7, 'commit-message', { file: '(commit message)', commit, place: 'pushed' }),
    finding(8, 'tag-message', { file: '(tag message v1.0)', tag: 'v1.0', commit, place: 'pushed' }),
    finding(9, 'commit-message', { file: 'COMMIT_EDITMSG', place: 'staged' }),
    finding(10, 'file', { file: 'docs/setup.md' }),
  ];
  attachHints(findings, { envVar: 'MIRRA_API_KEY' });
  return {
    findings,
    errors: [{ file: 'bin/blob.dat', message: 'not readable (EACCES)' }],
    stats: { files: 12, bytes: 34567, skipped: 1, durationMs: 89 },
    unlisted: [{ file: 'src/many.ts', commit: null, count: 5 }],
  };
}

describe('golden files: each reporter prints exactly what its file holds', () => {
  const result = fixture();
  for (const format of REPORT_FORMATS) {
    it(format, () => {
      const out = render(result, format, { color: false });
      const file = path.join(GOLDEN, FILE_OF[format]);
      if (process.env.UPDATE_GOLDEN === '1') {
        fs.mkdirSync(GOLDEN, { recursive: true });
        fs.writeFileSync(file, out);
      }
      expect(fs.existsSync(file), `${file} is missing: UPDATE_GOLDEN=1 npx vitest run test/report`).toBe(true);
      expect(out).toBe(fs.readFileSync(file, 'utf8'));
      for (const f of result.findings) expect(out).not.toContain(f[SECRET]);
    });
  }
});
