// A file as it is in a given revision, for policy inputs that must not come from the working tree
// (a security mode takes ignore files from the base of a range, not from the commits it reviews).

import { spawnSync } from 'node:child_process';

/** The file's text at `revision` (`git cat-file blob REV:PATH`), or null when it is not there. */
export function readFileAtRevision(cwd: string, revision: string, rel: string): string | null {
  if (revision.startsWith('-')) return null;
  const r = spawnSync('git', ['cat-file', 'blob', `${revision}:${rel}`], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : null;
}
