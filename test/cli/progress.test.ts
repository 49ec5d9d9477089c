// The progress line of scan, diff, ci, history and baseline: only on a terminal, never in CI or with
// --no-progress, only after about a second (a clock is injected here: nothing is timed), redrawn at
// most ten times a second, cleared before the report, and never a key or a name that holds one
// (masked before it is cut to fit). The end-to-end cases run the built CLI in a real pseudo-terminal
// (`script` from util-linux), with MIRRA_SCAN_PROGRESS_DELAY_MS=0 so the line shows at once.

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileProgress, ProgressLine, renderProgress, wantsProgress, type ProgressStream } from '../../src/cli/progress.js';
import { fakeKey } from '../support/fake-keys.js';
import { CLI, TempRepo, gitEnv } from '../support/git-repo.js';

const CLEAR = '\r\x1b[K';

function stream(isTTY: boolean | undefined, columns = 80): ProgressStream & { out: string[] } {
  const out: string[] = [];
  return { isTTY, columns, out, write: (s: string) => (out.push(s), true) };
}

describe('the progress line itself', () => {
  it('a walk that reads what it finds shows a count while it goes on, a bar once the total is known', () => {
    const s = stream(true);
    const line = new ProgressLine(s, () => 10_000, 0);
    const show = fileProgress(line);
    show({ read: 1200, found: 1200, walking: true });
    expect(s.out.at(-1)).toBe(CLEAR + 'mirra-scan: scanning files 1200 files');
    const later = new ProgressLine(s, () => 20_000, 0);
    fileProgress(later)({ read: 1500, found: 2000, walking: false });
    expect(s.out.at(-1)).toContain('1500/2000 files 75%');
  });

  it('shows only once the run has taken a second, at most ten times a second, and clears itself', () => {
    let now = 5000;
    const s = stream(true);
    const line = new ProgressLine(s, () => now);
    const state = { what: 'files', done: 3, total: 10, unit: 'files' };
    line.clear();
    expect(s.out).toEqual([]); // nothing drawn, nothing to clear
    now += 999;
    line.update(state);
    expect(s.out).toEqual([]);
    now += 1;
    line.update(state);
    expect(s.out).toHaveLength(1);
    expect(s.out[0].startsWith(CLEAR + 'mirra-scan: scanning files [')).toBe(true);
    expect(s.out[0]).toContain('3/10 files 30%');
    now += 50;
    line.update({ ...state, done: 4 });
    expect(s.out).toHaveLength(1);
    now += 50;
    line.update({ ...state, done: 5 });
    expect(s.out).toHaveLength(2);
    line.clear();
    line.clear();
    expect(s.out.slice(2)).toEqual([CLEAR]);
  });

  it('never shows a key, in a name or anywhere, and never a part of one cut to fit', () => {
    const key = fakeKey('script', 80, 8101);
    const body = key.slice('mirra_script_'.length);
    for (const columns of [30, 60, 80, 120, 300]) {
      for (const current of [`src/${key}/config.ts`, `${key}.json`, `deep/${'x'.repeat(200)}/${key}`]) {
        const text = renderProgress({ what: 'files', done: 1, total: 2, unit: 'files', current }, columns);
        expect(text.length).toBeLessThan(Math.max(columns, 21));
        for (let i = 0; i + 12 <= body.length; i++) expect(text, `${columns} ${current}`).not.toContain(body.slice(i, i + 12));
      }
    }
    expect(renderProgress({ what: 'files', done: 1, unit: 'files', current: `a/${key}` }, 200)).toContain('mirra_scr');
  });

  it('is wanted only on a terminal, without CI in the environment and without --no-progress', () => {
    expect(wantsProgress({}, stream(true), {})).toBe(true);
    expect(wantsProgress({ progress: true }, stream(true), { TERM: 'xterm' })).toBe(true);
    expect(wantsProgress({}, stream(false), {})).toBe(false);
    expect(wantsProgress({}, stream(undefined), {})).toBe(false);
    expect(wantsProgress({ progress: false }, stream(true), {})).toBe(false);
    for (const CI of ['true', '1', 'false', '']) expect(wantsProgress({}, stream(true), { CI })).toBe(false);
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasScript && process.env.CI !== 'true')('in a real terminal (script from util-linux)', () => {
  let repo: TempRepo;
  let base = '';
  const inFile = fakeKey('install', 80, 8201);
  const inName = fakeKey('test', 72, 8202);

  beforeAll(() => {
    expect(hasScript, 'util-linux `script` is needed for the pseudo-terminal tests').toBe(true);
    repo = new TempRepo({ prefix: 'mirra-progress-' });
    base = repo.commitFiles({ 'README.md': '# app\n' }, 'start');
    repo.commitFiles({ 'src/a.js': `export const k = '${inFile}';\n`, [`keys/${inName}.txt`]: 'nothing here\n', 'src/b.js': 'export {};\n' }, 'add');
  });
  afterAll(() => repo?.cleanup());

  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const e = gitEnv({ MIRRA_SCAN_PROGRESS_DELAY_MS: '0', GITHUB_ACTIONS: '', GITLAB_CI: '' });
    delete e.CI; // the test run's own CI=true must not reach the terminal cases
    return { ...e, ...extra };
  };
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  /** The CLI in a pseudo-terminal: what the terminal shows (stdout and stderr together). */
  function inTerminal(args: string[], extra?: NodeJS.ProcessEnv): string {
    const command = [process.execPath, CLI, ...args].map(quote).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: repo.dir, env: env(extra), encoding: 'utf8', input: '' });
    expect(r.status, r.stdout + r.stderr).toBeLessThan(2);
    return r.stdout;
  }
  const expectNoKey = (out: string) => {
    for (const k of [inFile, inName]) expect(out).not.toContain(k.slice(-20));
  };

  for (const [name, args, what] of [
    ['scan', ['scan'], 'files'],
    ['diff', ['diff', 'BASE..HEAD'], 'commits'],
    ['ci', ['ci', '--since', 'BASE'], 'commits'],
    ['history', ['history'], 'history'],
    ['baseline', ['baseline', '--output', '.b.json'], 'files'],
  ] as const) {
    it(`${name}: the line shows, and is cleared before anything after it`, () => {
      const out = inTerminal(args.map((a) => a.replace('BASE', base)));
      expect(out).toContain(`mirra-scan: scanning ${what}`);
      const draw = out.lastIndexOf('mirra-scan: scanning ');
      // The last thing drawn is cleared before the next output.
      expect(out.indexOf(CLEAR, draw)).toBeGreaterThan(draw);
      const after = out.slice(out.indexOf(CLEAR, draw) + CLEAR.length);
      expect(after).not.toContain('scanning');
      expect(after.trim().length).toBeGreaterThan(0);
      expectNoKey(out);
    });
  }

  it('never with --no-progress, never when CI is set', () => {
    expect(inTerminal(['scan', '--no-progress'])).not.toContain('scanning');
    expect(inTerminal(['diff', '--no-progress', `${base}..HEAD`])).not.toContain('scanning');
    expect(inTerminal(['scan'], { CI: 'true' })).not.toContain('scanning');
    expect(inTerminal(['history'], { CI: '1' })).not.toContain('scanning');
  });

  it('never when stderr is not a terminal', () => {
    for (const args of [['scan'], ['diff', `${base}..HEAD`], ['history']]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: repo.dir, env: env(), encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).not.toContain('scanning');
      expect(r.stderr + r.stdout).not.toContain('\x1b[K');
    }
  });
});
