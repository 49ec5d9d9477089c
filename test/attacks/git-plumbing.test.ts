// Attack class: git's plumbing questions (src/sources/git/plumbing.ts, through simple-git) carry a key
// out, or let a failing git pass. git's error text can hold a key (a bad config value, a revision),
// and simple-git adds its own ways out: its errors wrap git's stderr, and DEBUG=simple-git* logs every
// call's output. What must hold: what the CLI and the programmatic API say is masked like every other
// message; a git that fails or cannot run ends a hook with exit code 2 (blocked), never a pass.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MirraScanError, scanCommits } from '../../src/scanner/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo, gitEnv } from '../support/git-repo.js';
import { expectNoKey } from '../support/no-key.js';

const key = fakeKey('script', 90, 3301);
const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

/** A repository with two commits whose config then holds the key as a value git refuses: every git call fails, naming it. */
function brokenRepo(): { repo: TempRepo; head: string } {
  const repo = new TempRepo({ prefix: 'mirra-attack-plumbing-' });
  repos.push(repo);
  repo.commitFiles({ 'a.txt': 'a\n' }, 'first');
  const head = repo.commitFiles({ 'b.txt': 'b\n' }, 'second');
  fs.appendFileSync(repo.path('.git', 'config'), `[core]\n\tbigFileThreshold = ${key}\n`);
  expect(repo.tryGit('rev-parse', 'HEAD').stderr, 'git itself names the key').toContain(key);
  return { repo, head };
}

describe("git's error text through the plumbing client", () => {
  it('mirra-scan history: exit 2, one line, the key masked', () => {
    const { repo } = brokenRepo();
    const r = repo.mirraScan(['history']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^mirra-scan: git: bad numeric config value 'mirra_script_/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectNoKey(r.stdout + r.stderr, key);
  });

  it("DEBUG=* (simple-git's debug log of git's output) shows no key either", () => {
    const { repo } = brokenRepo();
    const r = repo.mirraScan(['history'], { env: gitEnv({ DEBUG: '*' }) });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('simple-git');
    expectNoKey(r.stdout + r.stderr, key);
  });

  it('the programmatic API throws a MirraScanError with the key masked', async () => {
    const { repo, head } = brokenRepo();
    const e = await scanCommits(`${head}~1..${head}`, { cwd: repo.dir }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MirraScanError);
    expect((e as Error).message).toMatch(/bad numeric config value/);
    expectNoKey((e as Error).message, key);
  });
});

describe('a failing git fails the hook closed', () => {
  it('pre-push with a git that fails: exit 2, the key masked', () => {
    const { repo, head } = brokenRepo();
    const r = repo.mirraScan(['pre-push', 'origin', 'url'], { input: `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n` });
    expect(r.status, r.stderr).toBe(2);
    expectNoKey(r.stdout + r.stderr, key);
  });

  it('pre-push where git cannot run at all: exit 2, "cannot run git"', () => {
    const repo = new TempRepo({ prefix: 'mirra-attack-plumbing-' });
    repos.push(repo);
    const head = repo.commitFiles({ 'a.txt': 'a\n' }, 'first');
    const noGit = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-attack-nogit-')));
    try {
      const r = repo.mirraScan(['pre-push', 'origin', 'url'], { input: `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`, env: gitEnv({ PATH: noGit }) });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/cannot run git: spawn git ENOENT/);
    } finally {
      fs.rmSync(noGit, { recursive: true, force: true });
    }
  });
});
