// `mirra-scan verify` run in-process through commander, against the test API on 127.0.0.1.

import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerVerifyCommand, type VerifyCommandIo } from '../../src/cli/commands/verify.js';
import { keySha256, redactKey } from '../../src/detector/redact.js';
import { UsageError } from '../../src/errors.js';
import { CACHE_FILE_NAME } from '../../src/verify/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { startMirraApiServer, type MirraApiServer } from '../support/mirra-api-server.js';

let api: MirraApiServer;
let cacheDir: string;
/** Calls to the fetch handed to the command, in this test (kept even when the run throws). */
let fetchCalls = 0;
beforeAll(async () => {
  api = await startMirraApiServer();
});
afterAll(async () => {
  await api.close();
});
beforeEach(async () => {
  fetchCalls = 0;
  cacheDir = await mkdtemp(path.join(os.tmpdir(), 'mirra-verify-cmd-'));
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

interface Run {
  stdout: string;
  exitCode: number | undefined;
}

async function run(args: string[], io: Partial<VerifyCommandIo> & { stdinText?: string } = {}): Promise<Run> {
  let stdout = '';
  let exitCode: number | undefined;
  const program = new Command().name('mirra-scan').exitOverride();
  // Like main.ts's `run`: the action's number is the exit code (errors are left to propagate here).
  const runAction = async (action: () => Promise<number>) => {
    exitCode = await action();
  };
  registerVerifyCommand(program, runAction, {
    stdin: io.stdinText === undefined ? Object.assign(Readable.from([]), { isTTY: true }) : Readable.from([io.stdinText]),
    stdout: { write: (t: string) => (stdout += t) },
    env: io.env ?? { MIRRA_SCAN_CACHE_DIR: cacheDir },
    cwd: io.cwd,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      fetchCalls++;
      return fetch(input, init);
    }) as typeof fetch,
  });
  await program.parseAsync(['verify', ...args], { from: 'user' });
  return { stdout, exitCode };
}

describe('mirra-scan verify', () => {
  it('takes the API URL from the config file when no flag or MIRRA_API_URL names one', async () => {
    const key = fakeKey('script');
    api.setBehaviour(key, 'live');
    const project = await mkdtemp(path.join(os.tmpdir(), 'mirra-verify-config-'));
    try {
      await writeFile(path.join(project, '.mirrascanrc.json'), JSON.stringify({ verify: { apiUrl: api.url, cache: false } }));
      const r = await run([key], { cwd: project });
      expect(r.exitCode).toBe(1);
      expect(api.requests(key)).toBe(1);
      expect(r.stdout).toMatch(/live/);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('checks keys given as arguments; text output shows redacted keys and statuses; exit 1 when one is live', async () => {
    const live = fakeKey('script');
    const dead = fakeKey('untyped');
    api.setBehaviour(live, 'live');
    api.setBehaviour(dead, 'revoked');
    const r = await run([live, dead, '--api-url', api.url, '--no-cache']);
    expect(r.exitCode).toBe(1);
    expect(fetchCalls).toBe(2);
    expect(r.stdout).toContain(redactKey(live));
    expect(r.stdout).toMatch(new RegExp(`${escape(redactKey(live))}\\s+script\\s+live\\s+accepted`));
    expect(r.stdout).toMatch(new RegExp(`${escape(redactKey(dead))}\\s+untyped\\s+invalid\\s+rejected`));
    expect(r.stdout).toContain('2 keys: 1 live, 1 invalid, 0 unknown');
    expect(r.stdout).toContain('revoke them now');
    expect(r.stdout).not.toContain(live);
    expect(r.stdout).not.toContain(dead);
  });

  it('--format json gives { tool, results } with hashes, never a key; exit 0 when none is live', async () => {
    const dead = fakeKey('install');
    const flaky = fakeKey('test');
    api.setBehaviour(dead, 'revoked');
    api.setBehaviour(flaky, 'server-error');
    const r = await run([dead, flaky, dead, '--api-url', api.url, '--format', 'json', '--no-cache']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.tool).toEqual({ name: 'mirra-scan', version: expect.any(String) });
    expect(out.results).toEqual([
      { redacted: redactKey(dead), keySha256: keySha256(dead), keyType: 'install', verification: { status: 'invalid', detail: expect.stringContaining('401') } },
      { redacted: redactKey(flaky), keySha256: keySha256(flaky), keyType: 'test', verification: { status: 'unknown', detail: 'server error (HTTP 500)' } },
    ]);
    expect(api.requests(dead)).toBe(1);
    expect(r.stdout).not.toContain(dead);
  });

  it('reads one key a line from stdin when no key is given, skipping blanks and comments', async () => {
    const a = fakeKey();
    const b = fakeKey('script');
    api.setBehaviour(a, 'revoked');
    api.setBehaviour(b, 'revoked');
    const r = await run(['--api-url', api.url, '--no-cache', '--format', 'json'], { stdinText: `# keys from the leak\n${a}\r\n\n  ${b}  \n` });
    expect(JSON.parse(r.stdout).results.map((x: { keySha256: string }) => x.keySha256)).toEqual([keySha256(a), keySha256(b)]);
  });

  it('takes the API URL from MIRRA_API_URL', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    const r = await run([key, '--no-cache'], { env: { MIRRA_API_URL: api.url, MIRRA_SCAN_CACHE_DIR: cacheDir } });
    expect(r.exitCode).toBe(1);
    expect(api.requests(key)).toBe(1);
  });

  it('a string that is not a key is a usage error naming its position, not its text', async () => {
    const key = fakeKey();
    const notKey = 'mirra_' + 'zz'.repeat(40);
    const error = await run([key, notKey, '--api-url', api.url, '--no-cache']).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^argument 2 is not a Mirra key/);
    expect((error as Error).message).not.toContain(notKey);
    expect(api.requests(key)).toBe(0);
  });

  it('a bad stdin line is named by its line number', async () => {
    const error = await run(['--api-url', api.url, '--no-cache'], { stdinText: `${fakeKey()}\nhello\n` }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^stdin line 2 is not a Mirra key/);
  });

  it('no keys at all (stdin a terminal) is a usage error', async () => {
    await expect(run(['--api-url', api.url])).rejects.toThrow(UsageError);
  });

  it('refuses plain http to a non-loopback host before any request', async () => {
    await expect(run([fakeKey(), '--api-url', 'http://api.fxn.world', '--no-cache'])).rejects.toThrow(/non-loopback/);
    await expect(run(['--api-url', 'http://203.0.113.5'], { stdinText: fakeKey() + '\n' })).rejects.toThrow(UsageError);
    expect(fetchCalls).toBe(0);
  });

  it('bad --timeout, --concurrency and --format are usage errors', async () => {
    const key = fakeKey();
    await expect(run([key, '--api-url', api.url, '--timeout', 'soon'])).rejects.toThrow(/--timeout/);
    await expect(run([key, '--api-url', api.url, '--concurrency', '0'])).rejects.toThrow(/--concurrency/);
    await expect(run([key, '--api-url', api.url, '--format', 'sarif'])).rejects.toThrow(/--format/);
    expect(api.requests(key)).toBe(0);
  });

  it('caches by default in the cache folder, and --no-cache leaves it alone', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'revoked');
    await run([key, '--api-url', api.url, '--no-cache']);
    expect(await readdir(cacheDir)).toEqual([]);
    await run([key, '--api-url', api.url]);
    await run([key, '--api-url', api.url]);
    expect(api.requests(key)).toBe(2);
    const text = await readFile(path.join(cacheDir, CACHE_FILE_NAME), 'utf8');
    expect(text).toContain(keySha256(key));
    expect(text).not.toContain(key);
  });

  it('--output writes the report to a file', async () => {
    const key = fakeKey();
    api.setBehaviour(key, 'live');
    const file = path.join(cacheDir, 'report.json');
    const r = await run([key, '--api-url', api.url, '--no-cache', '--format', 'json', '--output', file]);
    expect(r.stdout).toBe('');
    expect(JSON.parse(await readFile(file, 'utf8')).results[0].verification.status).toBe('live');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
