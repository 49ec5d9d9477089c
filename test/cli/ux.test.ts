// The CLI as people use it: a mistyped command gets a suggestion, help says what a bare
// `mirra-scan [PATH]` does and the exit codes, colours follow --no-color / FORCE_COLOR / NO_COLOR,
// hooks are quiet when nothing is found, and `verify --fail-on unknown` tells "all dead" from
// "could not check".

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { colorWanted } from '../../src/report/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { hookedRepo, TempRepo } from '../support/git-repo.js';

const ANSI = /\x1b\[[0-9;]*m/;
let repo: TempRepo;
beforeAll(() => {
  repo = new TempRepo({ prefix: 'mirra-ux-' });
  repo.write('src/a.js', `const k = '${fakeKey('script')}';\n`);
});
afterAll(() => repo.cleanup());

describe('commands and help', () => {
  test.each([
    ['scna', 'scan'],
    ['stagd', 'staged'],
    ['hsitory', 'history'],
    ['verfy', 'verify'],
  ])('`mirra-scan %s` suggests `%s`, exit 2, one line', (typo, meant) => {
    const r = repo.mirraScan([typo]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`mirra-scan: unknown command "${typo}": did you mean \`${meant}\`? (a path to scan must exist; see mirra-scan --help)\n`);
  });

  test('a path that exists and looks like a command is scanned, not corrected', () => {
    repo.write('scna', 'nothing\n');
    expect(repo.mirraScan(['scna']).status).toBe(0);
  });

  test('--help: bare mirra-scan [PATH] scans, the exit codes, the docs URL', () => {
    const r = repo.mirraScan(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Bare `mirra-scan [PATH...]` is `mirra-scan scan [PATH...]`');
    expect(r.stdout).toMatch(/Exit codes:\n\s+0 {2}nothing found\n\s+1 {2}at least one Mirra key found[^\n]*\n\s+2 {2}the scan could not be done/);
    expect(r.stdout).toContain('https://github.com/');
  });
});

describe('colours', () => {
  test('colorWanted: --no-color, then FORCE_COLOR (0/false off), then NO_COLOR, then a terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorWanted(tty, {})).toBe(true);
    expect(colorWanted(pipe, {})).toBe(false);
    expect(colorWanted(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(tty, { NO_COLOR: '' })).toBe(true);
    expect(colorWanted(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colorWanted(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorWanted(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorWanted(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colorWanted(tty, { FORCE_COLOR: '1' }, false)).toBe(false);
  });

  test('the CLI: FORCE_COLOR colours a pipe, --no-color wins over it', () => {
    expect(repo.mirraScan(['scan', 'src'], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ANSI);
    expect(repo.mirraScan(['scan', 'src', '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
    expect(repo.mirraScan(['scan', 'src']).stdout).not.toMatch(ANSI);
  });
});

describe('hooks are quiet on success', () => {
  test('a clean commit prints nothing from mirra-scan; `git commit -q` prints nothing at all', () => {
    const { repo: hooked, install } = hookedRepo({ installArgs: ['--commit-msg'] });
    try {
      expect(install.status, install.stderr).toBe(0);
      hooked.add();
      hooked.commit('hooks');
      hooked.write('src/app.js', 'export const k = process.env.MIRRA_API_KEY;\n').add();
      const quiet = hooked.tryGit('commit', '-q', '-m', 'app');
      expect(quiet.status, quiet.stderr).toBe(0);
      expect(quiet.stdout + quiet.stderr).toBe('');
      const staged = hooked.mirraScan(['staged']);
      expect(staged.status).toBe(0);
      expect(staged.stdout + staged.stderr).toBe('');
    } finally {
      hooked.cleanup();
    }
  });

  test('a blocked commit says what to do once: no advice section before the block message', () => {
    const { repo: hooked } = hookedRepo();
    try {
      hooked.write('src/app.js', `export const k = '${fakeKey('install')}';\n`).add();
      const r = hooked.commitWithHooks('app');
      expect(r.status).not.toBe(0);
      const out = r.stdout + r.stderr;
      expect(out).toContain('mirra-scan stopped this commit');
      expect(out).not.toContain('what to do');
      expect(out.split('rotate it').length).toBe(2);
    } finally {
      hooked.cleanup();
    }
  });
});

describe('verify --fail-on unknown', () => {
  test('a key that could not be checked: exit 0 by default, exit 1 with --fail-on unknown', () => {
    const key = fakeKey('script');
    const args = ['verify', key, '--api-url', 'http://127.0.0.1:9', '--no-cache', '--timeout', '2000'];
    const plain = repo.mirraScan(args);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('unknown');
    const strict = repo.mirraScan([...args, '--fail-on', 'unknown']);
    expect(strict.status).toBe(1);
    expect(strict.stdout + strict.stderr).not.toContain(key);
    expect(repo.mirraScan([...args, '--fail-on', 'maybe']).status).toBe(2);
  });
});
