// The hooks' fast path. Git runs a hook on every commit (and a server hook on every push), always
// with the same command line: `mirra-scan staged`, `mirra-scan commit-msg FILE`, `mirra-scan
// pre-receive`, no flags. Such a call runs its command here directly, without loading the full
// command line (commander, every command's options, help): the bin (./bin.ts) is built as one file
// holding this path, and only any other call loads ./main.ts. Each command is the same function the
// full CLI calls, with the options commander would give it (test/cli/hook-fast-path.test.ts checks
// both against commander), behind the same guards: masked output, one-line failures, exit code 2.

import type { CommonOptions } from './common-options.js';
import { commitMsg } from './commands/commit-msg.js';
import { preReceive } from './commands/pre-receive.js';
import { staged } from './commands/staged.js';
import type { FastHookCall } from './hook-call.js';
import { answerHookCheck } from './hook-check.js';
import { guardProcess, run } from './process-guard.js';

/** The options commander gives a scanning command when no flag is given. */
export const DEFAULT_OPTIONS: Readonly<CommonOptions> = Object.freeze({
  format: 'text',
  verify: false,
  cache: true,
  inlineAllow: true,
  reveal: false,
  color: true,
  verbose: false,
});

/** Runs a hook's call (see ./hook-call.ts) as the full CLI would. */
export async function runFastHook(call: FastHookCall): Promise<void> {
  guardProcess();
  await run(async () => {
    answerHookCheck(call.command);
    const options = { ...DEFAULT_OPTIONS };
    if (call.command === 'staged') return staged(options);
    if (call.command === 'commit-msg') return commitMsg(call.file, options);
    return preReceive(options);
  });
}
