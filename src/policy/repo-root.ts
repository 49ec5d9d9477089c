// The folder that paths are made relative to, and where ignore files and the config are looked for:
// the repository root (the nearest folder with a `.git`, a folder or a linked worktree's file), else
// the folder itself. Synchronous and dependency-free, so the ESLint rule and the hooks can afford it.

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
