// `mirra-scan history`: every commit reachable from any ref, read blob by blob (src/sources/git/history.ts).
// The shared progress line (../progress.ts) on a terminal, never in CI. Commit
// messages and annotated tags' messages are scanned too. A shallow clone is refused: its history is
// incomplete, and its boundary commit would be blamed for every key in its tree.

import { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { ScanFailure } from '../../errors.js';
import { UNSHALLOW_ADVICE, shallowBoundary } from '../../sources/git/commits.js';
import { scanHistory } from '../../sources/git/history.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { addProgressOption, historyProgress, withProgress } from '../progress.js';
import { finishRun, runPolicy } from '../run.js';

interface HistoryOptions extends CommonOptions {
  progress: boolean;
  ignore: boolean;
}

export function registerHistoryCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('history')
    .description('scan every commit reachable from any ref (branches, tags, remotes, stash)')
    .option('--no-ignore', 'honour neither .mirrascanignore nor the config\'s ignorePaths');
  addProgressOption(cmd);
  addCommonOptions(cmd).action((options: HistoryOptions) =>
    run(async () => {
      const cwd = process.cwd();
      const config = await loadConfig({ cwd, configPath: options.config });
      if ((await shallowBoundary(cwd)).size > 0) {
        throw new ScanFailure(`history: this is a shallow clone, so its history is incomplete (older commits are missing); ${UNSHALLOW_ADVICE}`);
      }
      const policy = runPolicy(config, options, cwd);
      const result = await withProgress(options, (line) => scanHistory({ cwd, policy, onBlob: line ? historyProgress(line) : undefined }));
      return finishRun(result, options, config, policy);
    }),
  );
}
