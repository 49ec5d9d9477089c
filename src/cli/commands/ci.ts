// `mirra-scan ci`: the commits a CI run is about (a push, a pull or merge request), found from the
// CI's environment, else `--since REF`. Says on stderr which range it scans, so the log shows it.
// Commit messages in the range are scanned too. When the range itself changes `.mirrascanignore` or
// a config file, a warning says that the changed file was honoured (a commit could hide its own key);
// `--no-ignore` honours neither `.mirrascanignore` nor `ignorePaths`.

import { Command } from 'commander';
import { inlineAllowFor, loadConfig } from '../../config/index.js';
import type { ScanResult } from '../../finding.js';
import { changedScanSettings, discoverCiRange } from '../../sources/git/ci-range.js';
import { scanCommitRange } from '../../sources/git/commits.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun } from '../run.js';

interface CiOptions extends CommonOptions {
  since?: string;
  ignore: boolean;
}

export function registerCiCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('ci')
    .description('scan the commits of this CI run (GitHub Actions, GitLab CI, Bitbucket Pipelines, Azure Pipelines, Jenkins, CircleCI, Buildkite: docs/ci), or REF..HEAD with --since')
    .option('--since <ref>', 'scan REF..HEAD (outside a recognised CI, or to override it)')
    .option('--no-ignore', 'honour neither .mirrascanignore nor the config\'s ignorePaths (for security-critical pipelines)');
  addCommonOptions(cmd).action((options: CiOptions) =>
    run(async () => {
      const cwd = process.cwd();
      const config = await loadConfig({ cwd, configPath: options.config });
      const range = await discoverCiRange({ cwd, env: process.env, since: options.since });
      process.stderr.write(`mirra-scan: ci: ${range.description}\n`);
      if (range.revisions.length && options.ignore) {
        const changed = await changedScanSettings(cwd, range.revisions);
        if (changed.length) {
          process.stderr.write(
            `mirra-scan: ci: warning: the scanned commits change ${changed.map((f) => f.replace(/[\x00-\x1f\x7f]/g, '?')).join(', ')}, and the checked-out version was honoured, so these commits can hide their own keys; run with --no-ignore in security-critical pipelines\n`,
          );
        }
      }
      const result: ScanResult = range.revisions.length
        ? await scanCommitRange({
            cwd,
            revisions: range.revisions,
            place: 'pushed',
            ignorePaths: options.ignore ? config.ignorePaths : [],
            honourIgnoreFile: options.ignore,
            inlineAllow: inlineAllowFor(options.inlineAllow, config),
          })
        : { findings: [], errors: [], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 } };
      return finishRun(result, options, config);
    }),
  );
}
