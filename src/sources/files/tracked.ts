// Git never ignores a file it tracks: a `.gitignore` only keeps untracked files out. So the file
// walker must not skip a tracked file (or a folder holding one) because an ignore rule matches it,
// or a key committed with `git add -f` would go unseen.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TrackedPaths {
  /** Tracked files, relative to the repository root with `/`. */
  files: Set<string>;
  /** Every folder that holds a tracked file, the same way. */
  folders: Set<string>;
}

/** The files git tracks under `root` (one `git ls-files` call), or null outside a repository or when git fails. */
export function readTrackedPaths(root: string): TrackedPaths | null {
  if (!fs.existsSync(path.join(root, '.git'))) return null;
  const r = spawnSync('git', ['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached'], { cwd: root, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0 || !r.stdout) return null;
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const name of r.stdout.toString('utf8').split('\0')) {
    if (!name) continue;
    files.add(name);
    for (let slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
      const folder = name.slice(0, slash);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return { files, folders };
}
