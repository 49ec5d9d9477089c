// `--output FILE` and `--sarif-output FILE` are checked before the scan runs: their missing folders
// are created, and a path that cannot be a file (an existing folder, a parent that is a file) is a
// usage error at once, not an error after a long scan.

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

export function prepareReportFile(flag: string, file: string): void {
  if (!file) throw new UsageError(`${flag}: no file name given`);
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`${flag} ${file}: cannot create its folder ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`${flag} ${file}: is a folder; give a file name`);
}
