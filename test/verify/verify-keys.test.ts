// verifyKeys / verifyFindings end to end against the test API on 127.0.0.1: one request per
// distinct key, bounded concurrency, every status lands on the findings.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySha256, redactKey } from '../../src/detector/redact.js';
import { UsageError } from '../../src/errors.js';
import { SECRET, type Finding, type FindingPlace, type FindingSource, type KeyType } from '../../src/finding.js';
import { attachHints, buildHint } from '../../src/hints/index.js';
import { verifyFindings, verifyKeys } from '../../src/verify/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { startMirraApiServer, type MirraApiServer } from '../support/mirra-api-server.js';

let api: MirraApiServer;
beforeAll(async () => {
  api = await startMirraApiServer();
});
afterAll(async () => {
  await api.close();
});

function finding(key: string, keyType: KeyType, extra: { source?: FindingSource; place?: FindingPlace; line?: number } = {}): Finding {
  const f: Finding = {
    ruleId: 'mirra-api-key',
    keyType,
    file: 'src/config.ts',
    line: extra.line ?? 1,
    column: 1,
    endLine: extra.line ?? 1,
    endColumn: key.length + 1,
    source: extra.source ?? 'file',
    origin: extra.source ?? 'file',
    commit: null,
    encoding: 'plain',
    redacted: redactKey(key),
    keySha256: keySha256(key),
    verification: { status: 'unchecked' },
    hint: '',
    place: extra.place,
    [SECRET]: key,
  };
  f.hint = buildHint(f);
  return f;
}

describe('verifyKeys', () => {
  it('returns each status by key hash, in input order', async () => {
    const live = fakeKey('script');
    const dead = fakeKey('install');
    const broken = fakeKey('test');
    api.setBehaviour(live, 'live');
    api.setBehaviour(dead, 'revoked');
    api.setBehaviour(broken, 'server-error');
    const results = await verifyKeys([live, dead, broken], { apiUrl: api.url, cache: false, timeoutMs: 500 });
    expect([...results.keys()]).toEqual([keySha256(live), keySha256(dead), keySha256(broken)]);
    expect(results.get(keySha256(live))?.status).toBe('live');
    expect(results.get(keySha256(dead))?.status).toBe('invalid');
    expect(results.get(keySha256(broken))?.status).toBe('unknown');
    expect(JSON.stringify([...results])).not.toContain(live);
  });

  it('checks a repeated key once', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    const results = await verifyKeys([key, key, key], { apiUrl: api.url, cache: false });
    expect(results.size).toBe(1);
    expect(api.requests(key)).toBe(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const keys = Array.from({ length: 8 }, () => fakeKey());
    for (const k of keys) api.setBehaviour(k, { kind: 'slow', delayMs: 40 });
    let inFlight = 0;
    let most = 0;
    const countingFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        const res = await fetch(input, init);
        await res.arrayBuffer();
        return new Response(null, { status: res.status });
      } finally {
        inFlight--;
      }
    }) as typeof fetch;
    const results = await verifyKeys(keys, { apiUrl: api.url, cache: false, concurrency: 2, fetch: countingFetch });
    expect([...results.values()].every((v) => v.status === 'live')).toBe(true);
    expect(most).toBe(2);
  });

  it('sends nothing when there are no keys, but still checks the URL', async () => {
    const before = api.requests();
    expect((await verifyKeys([], { apiUrl: api.url, cache: false })).size).toBe(0);
    expect(api.requests()).toBe(before);
    await expect(verifyKeys([], { apiUrl: 'http://10.0.0.1' })).rejects.toThrow(UsageError);
  });

  it('refuses nonsense options as usage errors', async () => {
    await expect(verifyKeys([fakeKey()], { apiUrl: api.url, cache: false, timeoutMs: 0 })).rejects.toThrow(UsageError);
    await expect(verifyKeys([fakeKey()], { apiUrl: api.url, cache: false, concurrency: 1.5 })).rejects.toThrow(UsageError);
    await expect(verifyKeys([fakeKey()], { apiUrl: api.url, cache: false, concurrency: 1000 })).rejects.toThrow(UsageError);
  });
});

describe('verifyFindings', () => {
  it('100 findings of the same key make one request, and all get the status', async () => {
    const key = fakeKey('script');
    api.setBehaviour(key, 'live');
    const findings = Array.from({ length: 100 }, (_, i) => finding(key, 'script', { line: i + 1 }));
    await verifyFindings(findings, { apiUrl: api.url, cache: false });
    expect(api.requests(key)).toBe(1);
    expect(findings.every((f) => f.verification.status === 'live')).toBe(true);
  });

  it('sets each finding its own key status; hints, attached afterwards in one place, follow it', async () => {
    const live = fakeKey();
    const dead = fakeKey('install');
    api.setBehaviour(live, 'live');
    api.setBehaviour(dead, 'revoked');
    const a = finding(live, 'untyped', { source: 'commit' });
    const b = finding(dead, 'install', { source: 'staged' });
    await verifyFindings([a, b], { apiUrl: api.url, cache: false });
    expect(a.verification.status).toBe('live');
    expect(b.verification.status).toBe('invalid');
    expect(a.hint).not.toMatch(/^URGENT/); // verification sets the status only
    attachHints([a, b]);
    expect(a.hint).toBe(buildHint(a));
    expect(a.hint).toMatch(/^URGENT/);
    expect(b.hint).toMatch(/already dead/);
    expect(api.requests(live)).toBe(1);
  });

  it('marks findings unknown when the API cannot be reached', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'drop');
    const f = finding(key, 'untyped');
    await verifyFindings([f], { apiUrl: api.url, cache: false });
    expect(f.verification.status).toBe('unknown');
    expect(f.verification.detail).toMatch(/network error/);
    expect(f.verification.detail).not.toContain(key);
  });
});
