// Attack class: a key typed on the command line comes back in what the CLI writes. Every byte the
// CLI writes goes through one masking (src/cli/output.ts): the argument parser's own errors, fatal
// errors, warnings and the report alike.

import { describe, expect, it } from 'vitest';
import { CLI, runProgram } from '../support/git-repo.js';
import { fakeKey } from '../support/fake-keys.js';
import { expectNoKey } from '../support/no-key.js';
import os from 'node:os';

const key = fakeKey('script', 90, 301);
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runProgram(process.execPath, [CLI, ...args], { cwd: os.tmpdir(), env: { ...process.env, MIRRA_API_URL: '', ...env } });

describe('the argument parser never echoes a key', () => {
  const attacks: Array<[string, string[]]> = [
    ['verify --api-key=<key> (unknown option with a value)', ['verify', `--api-key=${key}`]],
    ['scan --format <key> (a value outside the choices)', ['scan', '--format', key]],
    ['commit-msg --cleanup <key> (an unknown option)', ['commit-msg', '--cleanup', key]],
    ['scan --<key> (the key as an option name)', ['scan', `--${key}`]],
    ['verify -<key> (the key as short options)', ['verify', `-${key}`]],
    ['<key> as a command name', [`${key}x`, '--nope']],
  ];
  for (const [name, args] of attacks) {
    it(name, () => {
      const r = run(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).not.toBe('');
      expectNoKey(r.stdout + r.stderr, key);
    });
  }
});

describe('the report and warnings are masked too', () => {
  it('a key in stdin given to scan - never comes back in full without --reveal', () => {
    const r = runProgram(process.execPath, [CLI, 'scan', '-', '--format', 'json'], { cwd: os.tmpdir(), input: `k = "${key}"\n` });
    expect(r.status, r.stderr).toBe(1);
    expectNoKey(r.stdout + r.stderr, key);
  });

  it('the old debug switch prints no raw error object', () => {
    const r = run(['diff', `${key}..HEAD`], { MIRRA_SCAN_DEBUG: '1' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectNoKey(r.stdout + r.stderr, key);
  });
});
