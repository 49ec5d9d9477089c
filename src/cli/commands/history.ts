// `mirra-scan history`: every commit reachable from any ref, read blob by blob (src/sources/git/history.ts).
// A progress line on stderr when stderr is a terminal and this is not CI; silent otherwise. Commit
// messages and annotated tags' messages are scanned too. A shallow clone is refused: its history is
// incomplete, and its boundary commit would be blamed for every key in its tree.

import { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { ScanFailure } from '../../errors.js';
import { UNSHALLOW_ADVICE, shallowBoundary } from '../../sources/git/commits.js';
import { scanHistory } from '../../sources/git/history.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun, runPolicy } from '../run.js';

interface HistoryOptions extends CommonOptions {
  progress: boolean;
  ignore: boolean;
}

export function registerHistoryCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('history')
    .description('scan every commit reachable from any ref (branches, tags, remotes, stash)')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--no-ignore', 'honour neither .mirrascanignore nor the config\'s ignorePaths');
  addCommonOptions(cmd).action((options: HistoryOptions) =>
    run(async () => {
      const cwd = process.cwd();
      const config = await loadConfig({ cwd, configPath: options.config });
      if ((await shallowBoundary(cwd)).size > 0) {
        throw new ScanFailure(`history: this is a shallow clone, so its history is incomplete (older commits are missing); ${UNSHALLOW_ADVICE}`);
      }
      const show = options.progress && process.stderr.isTTY === true && !process.env.CI;
      const progress = show ? new ProgressLine(process.stderr) : null;
      const policy = runPolicy(config, options, cwd);
      let result;
      try {
        result = await scanHistory({
          cwd,
          policy,
          onBlob: progress ? (read, listed, complete) => progress.tick(read, listed, complete) : undefined,
        });
      } finally {
        progress?.clear(); // before anything else is printed on the terminal
      }
      return finishRun(result, options, config, policy);
    }),
  );
}

/**
 * `scanning history [#####.....] 1234/5000 blobs 24%`, redrawn at most ten times a second. The
 * total grows while git is still listing the blobs (shown as `1234/5000+`).
 */
export class ProgressLine {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  tick(read: number, listed: number, complete: boolean): void {
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const total = Math.max(listed, read, 1);
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - 45));
    const filled = Math.round((read / total) * width);
    const pct = Math.floor((read / total) * 100);
    this.stream.write(`\r\x1b[Kscanning history [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${read}/${total}${complete ? '' : '+'} blobs ${pct}%`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
