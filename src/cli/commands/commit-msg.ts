// `mirra-scan commit-msg FILE`: a key pasted into a commit message (the commit-msg hook).

import { Command, Option } from 'commander';
import { loadConfig } from '../../config/index.js';
import { CLEANUP_MODES, scanCommitMessage, type CleanupMode } from '../../sources/git/message-file.js';
import { printBlockedMessage } from '../blocked-message.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun, runPolicy } from '../run.js';

export interface CommitMsgOptions extends CommonOptions {
  name?: string;
  cleanup?: CleanupMode;
}

export function registerCommitMsgCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('commit-msg')
    .description('scan a commit message file (the commit-msg hook passes .git/COMMIT_EDITMSG)')
    .argument('<file>', 'the message file')
    .option('--name <name>', 'the file name findings show (default: the file\'s base name)')
    .addOption(
      new Option('--cleanup <mode>', 'how git will clean the message (default: commit.cleanup, else comment lines are kept and scanned)').choices(
        CLEANUP_MODES,
      ),
    );
  addCommonOptions(cmd).action((file: string, options: CommitMsgOptions) => run(() => commitMsg(file, options)));
}

/** The command itself, once its arguments are parsed (the hook's fast path calls it too: ../hook-fast-path.ts). */
export async function commitMsg(file: string, options: CommitMsgOptions): Promise<number> {
  const config = await loadConfig({ cwd: process.cwd(), configPath: options.config });
  const policy = runPolicy(config, options);
  const result = await scanCommitMessage({
    file,
    cwd: process.cwd(),
    name: options.name,
    cleanup: options.cleanup,
  });
  const code = await finishRun(result, { ...options, hook: true }, config, policy);
  printBlockedMessage(code, options, 'commit-message', { messageFile: file, envVar: config.envVar });
  return code;
}
