// `mirra-scan staged`: the lines the next commit adds, read from the index (the pre-commit hook).

import { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { scanStaged } from '../../sources/git/staged.js';
import { printBlockedMessage } from '../blocked-message.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun, runPolicy } from '../run.js';

export function registerStagedCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('staged')
    .description('scan what the next commit adds: the staged lines (against HEAD, or everything for a first commit), read from the index');
  addCommonOptions(cmd).action((options: CommonOptions) => run(() => staged(options)));
}

/** The command itself, once its options are parsed (the hook's fast path calls it too: ../hook-fast-path.ts). */
export async function staged(options: CommonOptions): Promise<number> {
  const config = await loadConfig({ cwd: process.cwd(), configPath: options.config });
  const policy = runPolicy(config, options);
  const result = await scanStaged({ cwd: process.cwd(), policy });
  const code = await finishRun(result, { ...options, hook: true }, config, policy);
  printBlockedMessage(code, options, 'commit', { envVar: config.envVar });
  return code;
}
