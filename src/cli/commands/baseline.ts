// `mirra-scan baseline [--output FILE]`: records every key found today, in the files and in the
// whole history, by keySha256 (never the key), so that `--baseline FILE` reports only new ones.

import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { DEFAULT_BASELINE_FILE, baselineFromFindings, writeBaseline } from '../../baseline/index.js';
import { loadConfig } from '../../config/index.js';
import { findRoot, policyFor } from '../../policy/index.js';
import { scanFiles } from '../../sources/files/walk.js';
import { scanHistory } from '../../sources/git/history.js';
import { addProgressOption, fileProgress, historyProgress, withProgress } from '../progress.js';
import { maskSecretsInNames } from '../run.js';

interface BaselineOptions {
  output: string;
  config?: string;
  inlineAllow: boolean;
  progress: boolean;
}

export function registerBaselineCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program.command('baseline');
  addProgressOption(cmd)
    .description(`record every key found today (files and whole history) so later scans report only new ones (default file ${DEFAULT_BASELINE_FILE})`)
    .option('-o, --output <file>', 'where to write the baseline', DEFAULT_BASELINE_FILE)
    .option('--config <file>', 'use this config file instead of searching for one')
    .option('--no-inline-allow', 'record keys on `mirra-scan:allow` lines too')
    .action((options: BaselineOptions) =>
      run(async () => {
        const cwd = process.cwd();
        const config = await loadConfig({ cwd, configPath: options.config });
        const policy = policyFor(config, { cwd, inlineAllow: options.inlineAllow });
        const inRepo = fs.existsSync(path.join(findRoot(cwd), '.git'));
        const { files, history } = await withProgress(options, async (line) => ({
          files: await scanFiles({ paths: [], cwd, policy, onProgress: line ? fileProgress(line) : undefined }),
          history: inRepo ? await scanHistory({ cwd, policy, onBlob: line ? historyProgress(line) : undefined }) : null,
        }));
        const all = { findings: [...files.findings, ...(history?.findings ?? [])], errors: [], stats: files.stats };
        maskSecretsInNames(all); // the baseline file is written to disk: no full key in it, even in a path
        policy.dropAllowedKeys(all);
        const baseline = baselineFromFindings(all.findings);
        // The baseline file itself holds only hashes; it is written where asked, relative to here.
        writeBaseline(path.resolve(cwd, options.output), baseline);
        const keys = new Set(baseline.entries.map((e) => e.keySha256)).size;
        process.stderr.write(
          `mirra-scan: baseline ${options.output}: ${baseline.entries.length} entr${baseline.entries.length === 1 ? 'y' : 'ies'}, ${keys} distinct key${keys === 1 ? '' : 's'} (files${history ? ' and history' : ' only: not a git repository'})\n`,
        );
        return 0;
      }),
    );
}
