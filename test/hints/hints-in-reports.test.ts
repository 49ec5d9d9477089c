// Hints end to end: findings from every place and key type, verified against the test API on
// 127.0.0.1 (live, revoked, server error) or not at all, rendered as text, JSON and SARIF. Each
// output carries the hint fitted to its finding, and none carries a key.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256, redactKey } from '../../src/detector/redact.js';
import { SECRET, defaultOrigin, type Finding, type FindingPlace, type FindingSource, type KeyType, type ScanResult, type VerificationStatus } from '../../src/finding.js';
import { API_KEYS_PAGE, SCRIPTS_PAGE, buildHint, attachHints } from '../../src/hints/index.js';
import { render } from '../../src/report/index.js';
import { verifyFindings } from '../../src/verify/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { startMirraApiServer, type BehaviourName, type MirraApiServer } from '../support/mirra-api-server.js';

const PLACES: FindingPlace[] = ['working-tree', 'staged', 'unpushed', 'pushed'];
const TYPES: KeyType[] = ['script', 'install'];
const STATUSES: Array<{ status: VerificationStatus; behaviour?: BehaviourName }> = [
  { status: 'unchecked' },
  { status: 'live', behaviour: 'live' },
  { status: 'invalid', behaviour: 'revoked' },
  { status: 'unknown', behaviour: 'server-error' },
];
const SOURCE_OF: Record<FindingPlace, FindingSource> = { 'working-tree': 'file', staged: 'staged', unpushed: 'commit', pushed: 'commit' };
const SHA = 'fedcba9876543210fedcba9876543210fedcba98';

interface Case {
  place: FindingPlace;
  type: KeyType;
  status: VerificationStatus;
  key: string;
  finding: Finding;
}

function makeFinding(key: string, keyType: KeyType, place: FindingPlace, line: number): Finding {
  const f: Finding = {
    ruleId: 'mirra-api-key',
    keyType,
    file: `src/${place}.ts`,
    line,
    column: 7,
    endLine: line,
    endColumn: 7 + key.length,
    source: SOURCE_OF[place],
    origin: defaultOrigin(SOURCE_OF[place]),
    commit: place === 'unpushed' || place === 'pushed' ? SHA : null,
    encoding: 'plain',
    redacted: redactKey(key),
    keySha256: keySha256(key),
    verification: { status: 'unchecked' },
    hint: '',
    place,
    [SECRET]: key,
  };
  f.hint = buildHint(f);
  return f;
}

/** Phrases a hint for this case must hold, whatever the format. */
function expectedPhrases(c: Case): string[] {
  const phrases = [
    { 'working-tree': 'Take it out of src/working-tree.ts', staged: 'staged but was never committed', unpushed: '`git rebase -i fedcba987654^`', pushed: '`git filter-repo --replace-text <replacements-file>`' }[c.place],
    c.type === 'script' ? SCRIPTS_PAGE : API_KEYS_PAGE,
    { unchecked: 'Treat this key as live', live: 'URGENT: this key is live', invalid: 'This key is already dead', unknown: 'could not be checked' }[c.status],
  ];
  return phrases;
}

let api: MirraApiServer;
let cases: Case[];
let result: ScanResult;

beforeAll(async () => {
  api = await startMirraApiServer();
  cases = [];
  let line = 1;
  for (const place of PLACES) {
    for (const type of TYPES) {
      for (const { status, behaviour } of STATUSES) {
        const key = fakeKey(type);
        if (behaviour) api.setBehaviour(key, behaviour);
        cases.push({ place, type, status, key, finding: makeFinding(key, type, place, line++) });
      }
    }
  }
  await verifyFindings(
    cases.filter((c) => c.status !== 'unchecked').map((c) => c.finding),
    { apiUrl: api.url, cache: false, timeoutMs: 500 },
  );
  attachHints(cases.map((c) => c.finding)); // as the CLI does: once, after verification
  result = { findings: cases.map((c) => c.finding), errors: [], stats: { files: PLACES.length, bytes: 1000, skipped: 0, durationMs: 1 } };
});

afterAll(async () => {
  await api.close();
});

function expectNoKeys(output: string) {
  for (const c of cases) {
    expect(output).not.toContain(c.key);
    expect(output).not.toContain(c.key.replace(/^mirra_(script_|install_)/, ''));
  }
}

describe('hints in every output format', () => {
  it('verification gave each finding the status it was scripted for, and a hint to match', () => {
    for (const c of cases) {
      expect(c.finding.verification.status, `${c.place}/${c.type}/${c.status}`).toBe(c.status);
      expect(c.finding.hint).toBe(buildHint({ ...c.finding, verification: { status: c.status } }));
    }
    expect(api.requests()).toBe(cases.filter((c) => c.status !== 'unchecked').length);
  });

  it('text: each kind of advice once, naming its findings; --verbose: each finding shows its hint', () => {
    const text = render(result, 'text', { color: false });
    const verbose = render(result, 'text', { color: false, verbose: true });
    for (const c of cases) {
      expect(text.split(`: ${c.finding.hint}\n`)).toHaveLength(2); // said once
      expect(text).toMatch(new RegExp(`what to do for [^\\n]*${c.finding.file}:${c.finding.line}`));
      expect(verbose).toContain(`what to do: ${c.finding.hint}\n`);
      for (const phrase of expectedPhrases(c)) expect(c.finding.hint).toContain(phrase);
    }
    expect(text).toContain('verification: LIVE');
    expectNoKeys(text);
  });

  it('JSON: each finding carries its status and hint', () => {
    const json = render(result, 'json', {});
    const out = JSON.parse(json) as { findings: Array<{ keySha256: string; hint: string; verification: { status: string; detail?: string } }> };
    expect(out.findings).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const f = out.findings[i];
      expect(f.keySha256).toBe(keySha256(c.key));
      expect(f.verification.status).toBe(c.status);
      expect(f.hint).toBe(c.finding.hint);
      for (const phrase of expectedPhrases(c)) expect(f.hint).toContain(phrase);
    }
    expectNoKeys(json);
  });

  it('SARIF: each result carries the hint in its message and properties', () => {
    const sarif = render(result, 'sarif', {});
    const log = JSON.parse(sarif) as { runs: Array<{ results: Array<{ message: { text: string }; properties: { hint: string; verification: { status: string } } }> }> };
    const results = log.runs[0].results;
    expect(results).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      expect(results[i].message.text.endsWith(c.finding.hint)).toBe(true);
      expect(results[i].properties.hint).toBe(c.finding.hint);
      expect(results[i].properties.verification.status).toBe(c.status);
      for (const phrase of expectedPhrases(c)) expect(results[i].message.text).toContain(phrase);
    }
    expectNoKeys(sarif);
  });
});
