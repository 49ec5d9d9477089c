// The folder that file names are made relative to: the repository root (the nearest folder with a
// `.git`), else the folder itself. Kept apart from the file walker so that light callers (the
// ESLint rule, the hooks) need not load it.

import fs from 'node:fs';
import path from 'node:path';

export function findRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; ) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(cwd);
    dir = up;
  }
}
