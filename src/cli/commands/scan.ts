// `mirra-scan [scan] [PATH...]`: files and folders (default `.`).

import { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { scanFiles } from '../../sources/files/walk.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { addProgressOption, fileProgress, withProgress } from '../progress.js';
import { finishRun, runPolicy } from '../run.js';

interface ScanOptions extends CommonOptions {
  ignore: boolean;
  progress: boolean;
}

export function registerScanCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('scan', { isDefault: true })
    .description('scan files and folders (default: the current folder); `-` reads standard input')
    .argument('[paths...]', 'files and folders to scan')
    .option('--no-ignore', 'scan files that .gitignore, .mirrascanignore and the config\'s ignorePaths leave out');
  addProgressOption(cmd);
  addCommonOptions(cmd).action((paths: string[], options: ScanOptions) =>
    run(async () => {
      const config = await loadConfig({ cwd: process.cwd(), configPath: options.config });
      const policy = runPolicy(config, options);
      const result = await withProgress(options, (line) => scanFiles({ paths, cwd: process.cwd(), policy, onProgress: line ? fileProgress(line) : undefined }));
      return finishRun(result, options, config, policy);
    }),
  );
}
