// Git never ignores a file it tracks: a `.gitignore` only keeps untracked files out. So the file
// walker must not skip a tracked file (or a folder holding one) because an ignore rule matches it,
// or a key committed with `git add -f` would go unseen.

import fs from 'node:fs';
import path from 'node:path';
import { displayName, mayHaveLostBytes } from '../file-names.js';
import type { TrackedPaths } from '../../policy/index.js';

export type { TrackedPaths };

/** The files git tracks under `root` (one `git ls-files` call), or null outside a repository or when git fails. */
export function readTrackedPaths(root: string): TrackedPaths | null {
  if (!fs.existsSync(path.join(root, '.git'))) return null;
  // node:child_process is loaded only here: a scan outside a repository never loads it.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const r = spawnSync('git', LS_FILES, { cwd: root, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 });
  return r.status === 0 && r.stdout ? trackedPathsOf(r.stdout) : null;
}

const LS_FILES = ['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached'];

/**
 * `readTrackedPaths`, with git run meanwhile: for a scan that will take a while (a big file), whose
 * findings then need no wait for git.
 */
export function readTrackedPathsSoon(root: string): Promise<TrackedPaths | null> {
  if (!fs.existsSync(path.join(root, '.git'))) return Promise.resolve(null);
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve) => {
    const child = spawn('git', LS_FILES, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.once('error', () => resolve(null));
    child.once('close', (code) => resolve(code === 0 ? trackedPathsOf(Buffer.concat(chunks)) : null));
  });
}

function trackedPathsOf(stdout: Buffer): TrackedPaths {
  const files = new Set<string>();
  const folders = new Set<string>();
  const text = stdout.toString('utf8');
  // Names that are not UTF-8 as the walk shows them (`\xNN`), so both sides name a file alike.
  const names = mayHaveLostBytes(text) ? splitBytes(stdout, 0).map(displayName) : text.split('\0');
  for (const name of names) {
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

function splitBytes(buf: Buffer, separator: number): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (let at = buf.indexOf(separator); at >= 0; at = buf.indexOf(separator, from)) {
    out.push(buf.subarray(from, at));
    from = at + 1;
  }
  out.push(buf.subarray(from));
  return out;
}
