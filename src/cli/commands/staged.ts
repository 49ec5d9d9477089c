// `mirra-scan staged`: the lines the next commit adds, read from the index (the pre-commit hook).

import { Command } from 'commander';
import { inlineAllowFor, loadConfig } from '../../config/index.js';
import { scanStaged } from '../../sources/git/staged.js';
import { printBlockedMessage } from '../blocked-message.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun } from '../run.js';

export function registerStagedCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('staged')
    .description('scan what the next commit adds: the staged lines (against HEAD, or everything for a first commit), read from the index');
  addCommonOptions(cmd).action((options: CommonOptions) =>
    run(async () => {
      const config = await loadConfig({ cwd: process.cwd(), configPath: options.config });
      const result = await scanStaged({ cwd: process.cwd(), ignorePaths: config.ignorePaths, inlineAllow: inlineAllowFor(options.inlineAllow, config) });
      const code = await finishRun(result, { ...options, hook: true }, config);
      printBlockedMessage(code, options, 'commit');
      return code;
    }),
  );
}
