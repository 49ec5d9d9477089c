// The commit-message source: the message as git will store it.

import { afterAll, describe, expect, test } from 'vitest';
import { messageAsCommitted } from '../../src/sources/git/message-file.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});

const SCISSORS = '# ------------------------ >8 ------------------------';

describe('messageAsCommitted', () => {
  test('cuts at the scissors line (the `git commit -v` diff), keeping line numbers', () => {
    expect(messageAsCommitted(`subject\n\nbody\n${SCISSORS}\n+added key`, 'scissors')).toBe('subject\n\nbody');
  });
  test('strip: comment lines become empty lines; whitespace and verbatim keep them', () => {
    const msg = 'subject\n# comment\n#42 issue';
    expect(messageAsCommitted(msg, 'strip')).toBe('subject\n\n');
    expect(messageAsCommitted(msg, 'whitespace')).toBe(msg);
    expect(messageAsCommitted(msg, 'verbatim')).toBe(msg);
    expect(messageAsCommitted('s\n; c', 'strip', ';')).toBe('s\n');
  });
});

describe('mirra-scan commit-msg', () => {
  function repoWithMessage(message: string): TempRepo {
    const r = new TempRepo({ prefix: 'mirra-msg-' });
    made.push(r);
    r.write('.git/COMMIT_EDITMSG', message);
    return r;
  }

  test('a key in the message: exit 1, reported as COMMIT_EDITMSG with its line, and the "stopped" text', () => {
    const r = repoWithMessage(`fix login\n\nkey was ${fakeKey('test')}\n# Please enter the commit message\n`);
    const out = r.mirraScan(['commit-msg', '.git/COMMIT_EDITMSG']);
    expect(out.status).toBe(1);
    expect(out.stdout).toContain('COMMIT_EDITMSG:3:');
    expect(out.stderr).toContain('its message contains a Mirra API key');
    expect(out.stderr).toContain('git commit -e -F .git/COMMIT_EDITMSG');
  });

  test('a key on a `#` line counts (git keeps it with -m) unless commit.cleanup=strip; below the scissors it never does', () => {
    const r = repoWithMessage(`#42 rotate ${fakeKey()}\n`);
    expect(r.mirraScan(['commit-msg', '.git/COMMIT_EDITMSG']).status).toBe(1);
    r.git('config', 'commit.cleanup', 'strip');
    expect(r.mirraScan(['commit-msg', '.git/COMMIT_EDITMSG']).status).toBe(0);
    expect(r.mirraScan(['commit-msg', '.git/COMMIT_EDITMSG', '--cleanup', 'whitespace']).status).toBe(1);
    r.write('.git/COMMIT_EDITMSG', `subject\n${SCISSORS}\n+const k = "${fakeKey()}";\n`);
    expect(r.mirraScan(['commit-msg', '.git/COMMIT_EDITMSG', '--cleanup', 'scissors']).status).toBe(0);
  });

  test('a clean message: exit 0; a missing file: exit 2 with one line', () => {
    const r = repoWithMessage('subject\n\nbody\n');
    expect(r.mirraScan(['commit-msg', '.git/COMMIT_EDITMSG']).status).toBe(0);
    const missing = r.mirraScan(['commit-msg', 'nope.txt']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringContaining('cannot read the commit message nope.txt')]);
  });
});
