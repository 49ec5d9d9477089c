// `mirra-scan diff A..B`: the lines each commit of a range adds, one streamed `git log` for all of
// them, and each commit's message. A finding is `unpushed` when no remote-tracking branch has its
// commit yet, else `pushed`. A range that reaches the boundary of a shallow clone is refused: what
// it would report is wrong (the boundary commit shows its whole tree as added).

import { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { ScanFailure, UsageError } from '../../errors.js';
import { UNSHALLOW_ADVICE, scanCommitRange, touchesShallowBoundary } from '../../sources/git/commits.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { addProgressOption, commitProgress, withProgress } from '../progress.js';
import { finishRun, runPolicy } from '../run.js';

interface DiffOptions extends CommonOptions {
  ignore: boolean;
  progress: boolean;
}

/** A revision from the command line, refused when git could read it as an option. */
export function checkRevision(rev: string): string {
  if (!rev || rev.startsWith('-')) throw new UsageError(`not a revision range: ${JSON.stringify(rev)} (write it as A..B)`);
  return rev;
}

export function registerDiffCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('diff')
    .description('scan the lines each commit in a range adds, and its message, e.g. `diff main..HEAD` (merges: what their resolution adds)')
    .argument('<range...>', 'revision range(s), as git log takes them: A..B, A...B, ^A B')
    .option('--no-ignore', 'honour neither .mirrascanignore nor the config\'s ignorePaths');
  addProgressOption(cmd);
  addCommonOptions(cmd).action((ranges: string[], options: DiffOptions) =>
    run(async () => {
      const cwd = process.cwd();
      const revisions = ranges.map(checkRevision);
      const config = await loadConfig({ cwd, configPath: options.config });
      if (await touchesShallowBoundary(cwd, revisions)) {
        throw new ScanFailure(`diff: the range ${ranges.join(' ')} reaches the boundary of this shallow clone, so its history is incomplete; ${UNSHALLOW_ADVICE}`);
      }
      const policy = runPolicy(config, options, cwd);
      const result = await withProgress(options, (line) =>
        scanCommitRange({ cwd, revisions, place: 'auto', policy, onCommit: line ? commitProgress(line, cwd, revisions) : undefined }),
      );
      return finishRun(result, options, config, policy);
    }),
  );
}
