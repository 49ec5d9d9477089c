// What a hook prints (to stderr, text format only) after the findings when it stops a commit or a
// push: why it stopped, what to do, how to let a false positive through, and what --no-verify does
// and does not skip. The findings themselves are printed by finishRun like any other report.

import { API_KEYS_PAGE, DEFAULT_ENV_VAR, SCRIPTS_PAGE } from '../hints/index.js';
import { docsUrl } from '../version.js';
import type { CommonOptions } from './common-options.js';
import { EXIT_FINDINGS } from './exit-codes.js';

/** What was stopped: a commit (its staged content), a commit by its message, or a push. */
export type BlockedAction = 'commit' | 'commit-message' | 'push';

export interface BlockedContext {
  /** The message file, for `commit-message`. */
  messageFile?: string;
  /** The remote pushed to, for `push`. */
  remote?: string;
  /** The config's `envVar` (default MIRRA_API_KEY). */
  envVar?: string;
}

export function blockedMessage(action: BlockedAction, context: BlockedContext = {}): string {
  const keys = 'a Mirra API key';
  const env = context.envVar || DEFAULT_ENV_VAR;
  const rotate =
    `If a key was ever shared (pushed, pasted, sent, or committed anywhere), rotate it: revoke it and generate a new one at ` +
    `${API_KEYS_PAGE} (a script key: publish a new script version at ${SCRIPTS_PAGE}), then update whatever uses it.`;
  const allow =
    'Not a real key (a test fixture, an example)? End its line with a `mirra-scan:allow` comment, or allow its keySha256 ' +
    `in the mirra-scan config (${docsUrl('docs/config.md')}).`;
  // A marker never counts in a message: only the config can let a message's key through.
  const allowInMessage = `Not a real key? Allow its keySha256 in the mirra-scan config (${docsUrl('docs/config.md')}); a \`mirra-scan:allow\` marker does not count in a message.`;
  const useEnv = `load it at run time from the ${env} environment variable instead (for local work, a \`.env\` file that \`.gitignore\` covers: add \`.env\` to \`.gitignore\`)`;
  const lines: string[] = [];
  if (action === 'push') {
    const to = context.remote ? ` to ${context.remote}` : '';
    lines.push(
      `✖ mirra-scan stopped this push${to}: the commits about to be pushed add ${keys} (see above).`,
      '  Once pushed, a key is in the remote\'s history for everyone who can read it, and every clone keeps a copy.',
      '',
      'What to do:',
      `  1. Take the key out of those local commits before pushing: fix each commit (the "what to do" above names it), ${useEnv}.`,
      `  2. ${rotate}`,
      `  3. ${allow}`,
      '',
      '`git push --no-verify` skips this hook, but then the key is on the remote, and CI (mirra-scan ci) will still flag it there.',
    );
  } else if (action === 'commit-message') {
    const file = context.messageFile ?? '.git/COMMIT_EDITMSG';
    lines.push(
      `✖ mirra-scan stopped this commit: its message contains ${keys} (see above).`,
      '  A commit message is stored in the commit and pushed with it, just like the files.',
      '',
      'What to do:',
      `  1. Write the message again without the key. Git kept your message in ${file}: \`git commit -e -F ${shellQuote(file)}\` reopens it.`,
      `  2. ${rotate}`,
      `  3. ${allowInMessage}`,
      '',
      '`git commit --no-verify` skips this hook, but a key in a message stays in the commit for good.',
    );
  } else {
    lines.push(
      `✖ mirra-scan stopped this commit: it would add ${keys} (see above) to the repository.`,
      '  A committed key is copied into every clone and every push, and stays in the history after it is deleted from the file.',
      '',
      'What to do:',
      `  1. Take the key out of the file, ${useEnv}, then \`git add\` the file again and commit.`,
      `  2. ${rotate}`,
      `  3. ${allow}`,
      '',
      '`git commit --no-verify` skips this hook, but the pre-push hook (`mirra-scan install --pre-push`) and CI (mirra-scan ci)',
      'will still stop the key, and by then it is in your local history and must be rewritten out of it.',
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Prints the explanation after finishRun when it decided the run found keys (exit code 1, so keys that
 * allow lists dropped do not count) and the report is for a person (text format).
 */
export function printBlockedMessage(exitCode: number, options: Pick<CommonOptions, 'format'>, action: BlockedAction, context?: BlockedContext): void {
  if (exitCode !== EXIT_FINDINGS || options.format !== 'text') return;
  process.stderr.write('\n' + blockedMessage(action, context));
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
