// `mirra-scan diff A..B`: the lines each commit of a range adds, one streamed `git log` for all of
// them. A finding is `unpushed` when no remote-tracking branch has its commit yet, else `pushed`.

import { Command } from 'commander';
import { inlineAllowFor, loadConfig } from '../../config/index.js';
import { UsageError } from '../../errors.js';
import { scanCommitRange } from '../../sources/commits.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun } from '../run.js';

/** A revision from the command line, refused when git could read it as an option. */
export function checkRevision(rev: string): string {
  if (!rev || rev.startsWith('-')) throw new UsageError(`not a revision range: ${JSON.stringify(rev)} (write it as A..B)`);
  return rev;
}

export function registerDiffCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('diff')
    .description('scan the lines each commit in a range adds, e.g. `diff main..HEAD` (merges: what their resolution adds)')
    .argument('<range...>', 'revision range(s), as git log takes them: A..B, A...B, ^A B');
  addCommonOptions(cmd).action((ranges: string[], options: CommonOptions) =>
    run(async () => {
      const revisions = ranges.map(checkRevision);
      const config = await loadConfig({ cwd: process.cwd(), configPath: options.config });
      const result = await scanCommitRange({
        cwd: process.cwd(),
        revisions,
        place: 'auto',
        ignorePaths: config.ignorePaths,
        inlineAllow: inlineAllowFor(options.inlineAllow, config),
      });
      return finishRun(result, options);
    }),
  );
}
