// Attack class: a key in what git records about a commit (the author's or committer's name or
// e-mail, a tagger, a ref name) comes back in the commit scans' reports. Every format of every
// commit scan is masked, and so is the range `ci` says it scans.

import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../support/git-repo.js';
import { fakeKey } from '../support/fake-keys.js';
import { expectNoKey } from '../support/no-key.js';

const inName = fakeKey('script', 90, 401);
const inMail = fakeKey('install', 90, 402);
const inCommitter = fakeKey('untyped', 80, 403);
const inTagger = fakeKey('test', 80, 404);
const inRef = fakeKey('script', 88, 405);
const inFile = fakeKey('script', 90, 406);
const inTagName = fakeKey('untyped', 70, 407);
const secrets = [inName, inMail, inCommitter, inTagger, inRef, inTagName];

const repo = new TempRepo({ prefix: 'mirra-attack-names-' });
afterAll(() => repo.cleanup());
const base = repo.commitFiles({ 'README.md': 'hello\n' }, 'start');
repo.git('branch', `cfg_${inRef}`);
const identity = {
  GIT_AUTHOR_NAME: `dev ${inName}`,
  GIT_AUTHOR_EMAIL: `${inMail}@example.com`,
  GIT_COMMITTER_NAME: `ci-${inCommitter}`,
  GIT_COMMITTER_EMAIL: `bot+${inCommitter}@example.com`,
};
repo.write('app.js', `const k = '${inFile}';\n`);
repo.add('app.js');
repo.gitWith(['commit', '-q', '--no-verify', '-m', 'add app'], { env: identity });
const top = repo.head()!;
repo.gitWith(['tag', '-a', 'v1', '-m', 'release'], { env: { GIT_COMMITTER_NAME: `rel ${inTagger}`, GIT_COMMITTER_EMAIL: `${inTagger}@example.com` } });
// A tag whose name holds a key and whose message holds another: the finding is named `(tag message NAME)`.
repo.git('tag', '-a', `rel_${inTagName}`, '-m', `release key ${inFile}`);

const expectMasked = (r: { status: number | null; stdout: string; stderr: string }) => {
  expect(r.status, r.stderr).toBe(1);
  for (const s of secrets) expectNoKey(r.stdout + r.stderr, s);
};

describe('commit metadata never carries a key out', () => {
  for (const format of ['text', 'json', 'github', 'sarif']) {
    it(`history --format ${format}`, () => expectMasked(repo.mirraScan(['history', '--format', format])));
    it(`diff --format ${format}`, () => expectMasked(repo.mirraScan(['diff', `${base}..${top}`, '--format', format])));
    it(`ci --since <ref named with a key> --format ${format}`, () =>
      expectMasked(repo.mirraScan(['ci', '--since', `cfg_${inRef}`, '--format', format], { env: { GITHUB_ACTIONS: '', GITLAB_CI: '', CI: '' } })));
    it(`pre-push --format ${format}`, () =>
      expectMasked(repo.mirraScan(['pre-push', 'origin', 'url', '--format', format], { input: `refs/heads/main ${top} refs/heads/main ${base}\n` })));
  }

  it('--reveal still shows the author as git has it', () => {
    const r = repo.mirraScan(['diff', `${base}..${top}`, '--format', 'json', '--reveal']);
    expect(r.stdout).toContain(inName);
  });
});
