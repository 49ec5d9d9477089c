// `mirra-scan [scan] [PATH...]`: files and folders (default `.`).

import { Command } from 'commander';
import { scanFiles } from '../../sources/files.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun } from '../run.js';

interface ScanOptions extends CommonOptions {
  ignore: boolean;
}

export function registerScanCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('scan', { isDefault: true })
    .description('scan files and folders (default: the current folder); `-` reads standard input')
    .argument('[paths...]', 'files and folders to scan')
    .option('--no-ignore', 'scan files that .gitignore and .mirrascanignore leave out');
  addCommonOptions(cmd).action((paths: string[], options: ScanOptions) =>
    run(async () => {
      const result = await scanFiles({
        paths,
        cwd: process.cwd(),
        honourIgnoreFiles: options.ignore,
        inlineAllow: options.inlineAllow,
      });
      return finishRun(result, options);
    }),
  );
}
