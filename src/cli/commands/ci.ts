// `mirra-scan ci`: the commits a CI run is about (a push, a pull or merge request), found from the
// CI's environment, else `--since REF`. Says on stderr which range it scans, so the log shows it.
// Commit messages in the range are scanned too.
//
// The commits under review must not choose the rules they are checked by. Every change the range
// makes to a source of allow rules (a config file, package.json's "mirraScan", a `.mirrascanignore`,
// the baseline) is reported: a warning on stderr and in the text report, `allowRuleChanges` in JSON.
// The security mode, `--no-ignore --no-inline-allow`, goes further: no ignore rule and no inline
// marker counts, and the config and the baseline are read from the base of the range (a file outside
// the repository as it is), so nothing the range changes can hide a key.

import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_BASELINE_FILE, readBaseline } from '../../baseline/index.js';
import { allowRuleChanges } from '../../config/allow-rule-changes.js';
import { loadConfigAt, readBaselineAt } from '../../config/at-revision.js';
import { loadConfig } from '../../config/index.js';
import type { AllowRuleChange, ScanResult } from '../../finding.js';
import { findRoot } from '../../policy/index.js';
import { discoverCiRange } from '../../sources/git/ci-range.js';
import { scanCommitRange } from '../../sources/git/commits.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { addProgressOption, commitProgress, withProgress } from '../progress.js';
import { finishRun, runPolicy } from '../run.js';

interface CiOptions extends CommonOptions {
  since?: string;
  ignore: boolean;
  progress: boolean;
}

export function registerCiCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('ci')
    .description('scan the commits of this CI run (GitHub Actions, GitLab CI, Bitbucket Pipelines, Azure Pipelines, Jenkins, CircleCI, Buildkite: docs/ci), or REF..HEAD with --since')
    .option('--since <ref>', 'scan REF..HEAD (outside a recognised CI, or to override it)')
    .option('--no-ignore', 'honour neither .mirrascanignore nor the config\'s ignorePaths (for security-critical pipelines)');
  addProgressOption(cmd);
  addCommonOptions(cmd).action((options: CiOptions) =>
    run(async () => {
      const cwd = process.cwd();
      const security = !options.ignore && options.inlineAllow === false;
      // A bad config stops the run before anything else; in the security mode the base's config counts.
      const checkedOut = security ? null : await loadConfig({ cwd, configPath: options.config });
      const range = await discoverCiRange({ cwd, env: process.env, since: options.since });
      process.stderr.write(`mirra-scan: ci: ${range.description}\n`);
      const config = checkedOut ?? (await loadConfigAt(cwd, range.base, options.config));
      if (security) {
        const from = range.base ? `the base of the range (${range.base.slice(0, 12)})` : 'nowhere in the repository (the range has no base)';
        process.stderr.write(`mirra-scan: ci: security mode: no ignore rule or inline marker counts; the config and the baseline are read from ${from}, or from outside the repository\n`);
      }
      const baseline = security && options.baseline ? await readBaselineAt(cwd, range.base, options.baseline, readBaseline) : undefined;
      const changes = range.revisions.length ? await allowRuleChanges(cwd, range.revisions, baselinePaths(cwd, options.baseline)) : [];
      if (changes.length) process.stderr.write(allowRuleWarning(changes, security) + '\n');
      const policy = runPolicy(config, options, cwd, baseline);
      const result: ScanResult = range.revisions.length
        ? await withProgress(options, (line) =>
            scanCommitRange({ cwd, revisions: range.revisions, place: 'pushed', policy, onCommit: line ? commitProgress(line, cwd, range.revisions) : undefined }),
          )
        : { findings: [], errors: [], stats: { files: 0, bytes: 0, skipped: 0, durationMs: 0 } };
      if (changes.length) result.allowRuleChanges = changes;
      return finishRun(result, options, config, policy);
    }),
  );
}

/** The baselines a pipeline may pass, root-relative: the default file and `--baseline` when it is in the repository. */
function baselinePaths(cwd: string, baseline: string | undefined): string[] {
  const root = findRoot(cwd);
  const paths = [DEFAULT_BASELINE_FILE];
  if (baseline) {
    const rel = path.relative(root, path.resolve(cwd, baseline));
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) paths.push(rel.split(path.sep).join('/'));
  }
  return [...new Set(paths)];
}

/** The one-line warning about allow-rule changes (file names made printable). */
export function allowRuleWarning(changes: AllowRuleChange[], security: boolean): string {
  const list = changes.map((c) => `${c.file.replace(/[\x00-\x1f\x7f]/g, '?')} (${c.kind}, ${c.commit.slice(0, 12)})`).join(', ');
  const effect = security
    ? 'the security mode reads its rules from the base of the range, so these changes were not honoured'
    : 'the checked-out versions were honoured, so these commits can hide their own keys; run with --no-ignore --no-inline-allow in security-critical pipelines';
  return `mirra-scan: ci: warning: the scanned commits change where allow rules come from: ${list}; ${effect}`;
}
