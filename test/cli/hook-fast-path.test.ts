// The hooks' fast path (src/cli/hook-fast-path.ts): the command lines installed hooks run
// (`staged`, `commit-msg FILE`, `pre-receive`, no flags) skip the full command line. It must give
// each command what commander would, pick only those exact calls, load none of the full CLI's code,
// and report exactly as the full CLI does (the same command with a flag that changes nothing takes
// the full path).

import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, test } from 'vitest';
import { registerCommitMsgCommand } from '../../src/cli/commands/commit-msg.js';
import { registerPreReceiveCommand } from '../../src/cli/commands/pre-receive.js';
import { registerStagedCommand } from '../../src/cli/commands/staged.js';
import { fastHookCall } from '../../src/cli/hook-call.js';
import { DEFAULT_OPTIONS } from '../../src/cli/hook-fast-path.js';
import { fakeKey } from '../support/fake-keys.js';
import { PROJECT_ROOT, TempRepo } from '../support/git-repo.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

function repo(): TempRepo {
  const r = new TempRepo({ prefix: 'mirra-fast-path-' });
  repos.push(r);
  r.write('README.md', 'hello\n').add('README.md');
  r.commit('first');
  return r;
}

/** A run's output, its duration left out (`scanned 1 file (86 B) in 11 ms`). */
const timeless = (r: { status: number | null; stdout: string; stderr: string }) => ({ ...r, stdout: r.stdout.replace(/ in \d+ ms/g, ' in N ms'), stderr: r.stderr.replace(/ in \d+ ms/g, ' in N ms') });

/** The options commander parses for `args`, without running the command. */
function commanderOptions(args: string[]): Record<string, unknown> {
  const program = new Command('mirra-scan').exitOverride();
  const noRun = async () => undefined;
  registerStagedCommand(program, noRun);
  registerCommitMsgCommand(program, noRun);
  registerPreReceiveCommand(program, noRun);
  program.parse(args, { from: 'user' });
  return program.commands.find((c) => c.name() === args[0])!.opts();
}

describe('the calls that take the fast path', () => {
  test('exactly the hooks\' own command lines', () => {
    expect(fastHookCall(['staged'])).toEqual({ command: 'staged' });
    expect(fastHookCall(['pre-receive'])).toEqual({ command: 'pre-receive' });
    expect(fastHookCall(['commit-msg', '/repo/.git/COMMIT_EDITMSG'])).toEqual({ command: 'commit-msg', file: '/repo/.git/COMMIT_EDITMSG' });
  });

  test('anything else goes to the full command line', () => {
    for (const args of [
      [],
      ['scan'],
      ['staged', '--format', 'json'],
      ['staged', '--verify'],
      ['--no-color', 'staged'],
      ['staged', 'extra'],
      ['pre-receive', '--timeout', '5'],
      ['commit-msg'],
      ['commit-msg', '--help'],
      ['commit-msg', ''],
      ['commit-msg', 'MSG', '--format', 'json'],
      ['pre-push', 'origin', 'url'],
    ]) {
      expect(fastHookCall(args), args.join(' ')).toBeUndefined();
    }
  });

  test('each command gets the options commander gives it when no flag is given', () => {
    expect(commanderOptions(['staged'])).toEqual(DEFAULT_OPTIONS);
    expect(commanderOptions(['commit-msg', 'MSG'])).toEqual(DEFAULT_OPTIONS);
    expect(commanderOptions(['pre-receive'])).toEqual(DEFAULT_OPTIONS);
  });
});

describe('the built fast path', () => {
  const cli = path.join(PROJECT_ROOT, 'dist/cli');

  test('holds none of the full command line: no command-line parser, no other command', () => {
    const bundle = fs.readFileSync(path.join(cli, 'hook-fast-path.js'), 'utf8');
    expect(bundle).not.toMatch(/node_modules\/commander\//);
    expect(bundle).not.toMatch(/src\/cli\/main\.js|src\/cli\/commands\/(scan|history|ci|install)\.js/);
    // The bin itself only picks the path and starts git: none of the scanner is in it.
    expect(fs.readFileSync(path.join(cli, 'mirra-scan.js'), 'utf8')).not.toMatch(/src\/detector\//);
  });

  test('reports a staged key exactly as the full command line does', () => {
    const r = repo();
    const key = fakeKey('script', 64, 3);
    r.write('src/app.ts', `export const k = "${key}";\n`).add('src/app.ts');
    const fast = r.mirraScan(['staged']);
    // `--format text` is the default: the same command, parsed by commander.
    const full = r.mirraScan(['staged', '--format', 'text']);
    expect(fast.status).toBe(1);
    expect(timeless(fast)).toEqual(timeless(full));
    expect(fast.stdout + fast.stderr).not.toContain(key);
    expect(fast.stdout).toContain('src/app.ts');
  });

  test('a commit message file: the same as the full command line, and a clean one passes', () => {
    const r = repo();
    const key = fakeKey('install', 64, 4);
    r.write('MSG', `add the client\n\nkey: ${key}\n`);
    const fast = r.mirraScan(['commit-msg', r.path('MSG')]);
    const full = r.mirraScan(['commit-msg', r.path('MSG'), '--format', 'text']);
    expect(fast.status).toBe(1);
    expect(timeless(fast)).toEqual(timeless(full));
    expect(fast.stdout + fast.stderr).not.toContain(key);
    r.write('MSG', 'add the client\n');
    expect(r.mirraScan(['commit-msg', r.path('MSG')])).toMatchObject({ status: 0, stdout: '' });
  });
});
