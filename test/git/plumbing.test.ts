// Git plumbing through simple-git (src/sources/git/plumbing.ts), in real repositories: the answer is
// git's stdout; any exit but 0 fails (simple-git alone would pass an exit without stderr as a
// success), with git's own first line; "no such thing" is null only through gitMaybe; and the
// GIT_* variables a hook runs with reach git (simple-git alone would drop them).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ScanFailure } from '../../src/errors.js';
import { assertGitRepository, gitAnswer, gitMaybe } from '../../src/sources/git/plumbing.js';
import { TempRepo, gitEnv } from '../support/git-repo.js';

const repo = new TempRepo({ prefix: 'mirra-plumbing-' });
const head = repo.commitFiles({ 'a.txt': 'a\n' }, 'first');
const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-plumbing-outside-')));
afterAll(() => {
  repo.cleanup();
  fs.rmSync(outside, { recursive: true, force: true });
});

// The process's own environment as a hook's would be: hermetic, plus what a test sets.
const saved = { ...process.env };
function useEnv(extra: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, gitEnv(extra));
}
afterEach(() => {
  for (const k of Object.keys(process.env)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('git plumbing', () => {
  it("answers with git's stdout", async () => {
    useEnv({});
    expect((await gitAnswer(repo.dir, ['rev-parse', 'HEAD'])).trim()).toBe(head);
    expect(await gitMaybe(repo.dir, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'])).toBe(`${head}\n`);
  });

  it('an exit of 1 without a word is "no such thing" for gitMaybe, and a failure for gitAnswer', async () => {
    useEnv({});
    expect(await gitMaybe(repo.dir, ['rev-parse', '-q', '--verify', 'MERGE_HEAD^{commit}'])).toBeNull();
    expect(await gitMaybe(repo.dir, ['config', '--get', 'no.such'])).toBeNull();
    await expect(gitAnswer(repo.dir, ['rev-parse', '-q', '--verify', 'MERGE_HEAD^{commit}'])).rejects.toThrow(/^git rev-parse MERGE_HEAD\^\{commit\} failed \(exit 1\)$/);
  });

  it("a git that fails with words fails with git's first line, for gitMaybe too", async () => {
    useEnv({});
    await expect(assertGitRepository(outside)).rejects.toThrow(/^git: not a git repository/);
    await expect(gitMaybe(repo.dir, ['rev-parse', 'no-such-revision'])).rejects.toThrow(/^git: ambiguous argument 'no-such-revision'/);
    const e = await gitAnswer(outside, ['rev-parse', '--git-dir']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ScanFailure);
    expect((e as Error).message.split('\n')).toHaveLength(1);
  });

  it('a git that cannot start is "cannot run git", in one line', async () => {
    useEnv({ PATH: outside });
    await expect(gitAnswer(repo.dir, ['rev-parse', '--git-dir'])).rejects.toThrow(new ScanFailure('cannot run git: spawn git ENOENT'));
  });

  it("passes on a hook's GIT_* variables: a temporary index, config given on git's command line", async () => {
    const index = path.join(outside, 'index.tmp');
    useEnv({ GIT_INDEX_FILE: index, GIT_CONFIG_PARAMETERS: "'mirrascan.probe'='from-the-hook'" });
    expect((await gitAnswer(repo.dir, ['rev-parse', '--git-path', 'index'])).trim()).toBe(index);
    expect((await gitAnswer(repo.dir, ['config', '--get', 'mirrascan.probe'])).trim()).toBe('from-the-hook');
  });
});
