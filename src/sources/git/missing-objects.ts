// Objects a repository lacks (a partial clone, a damaged one, a pruned loose object): `git log -p`
// stops at the first it cannot read, and the patches of every later commit would be lost with it.
// Here the scan goes on past each one: the commit git stopped in is printed again alone, without the
// path whose object is missing (that path is listed under `errors`, with its commit and object), and
// the rest of the range is printed from the next commit on. The result is marked incomplete, so the
// run still exits 2: what could not be read is listed, never passed over as clean.

import { ScanFailure } from '../../errors.js';
import { missingObjectOf, type PatchScan } from './patch-scan.js';
import { gitArgs, streamGit } from './process.js';

/**
 * Goes on with a range scan that git stopped with `failure` (a missing object): `order` lists the
 * range's commits as `git log` walks them; `argsFor(revisions, pathspecs)` gives the `git log`
 * arguments for some of them.
 */
export async function scanPastMissingObjects(
  scan: PatchScan,
  cwd: string,
  revisions: string[],
  argsFor: (revisions: string[], pathspecs: string[]) => string[],
): Promise<void> {
  let order: string[];
  try {
    order = await commitsOf(cwd, revisions);
  } catch (e) {
    // Not even the list of commits can be read (a commit object is missing): report what was read.
    scan.unreadable({ file: '', message: `the commits of the range could not be listed (${(e as Error).message}): the scan stopped there` });
    return;
  }
  let next = resumeAt(scan, order, 0, 0);
  while (next < order.length) {
    await scanCommitAlone(scan, cwd, order[next], argsFor);
    next++;
    if (next >= order.length) return;
    const reached = scan.commits.length;
    try {
      await scan.stream(argsFor(['--no-walk=unsorted', '--stdin'], []), order.slice(next).join('\n') + '\n');
      return;
    } catch (e) {
      if (!missingObjectOf(e)) throw e;
      next = resumeAt(scan, order, reached, next);
    }
  }
}

/**
 * After a git process stopped: drops what it printed of the last commit it reached (from
 * `scan.commits[reached]` on), and returns that commit's place in `order`, or `fallback` if it
 * reached none.
 */
function resumeAt(scan: PatchScan, order: string[], reached: number, fallback: number): number {
  if (scan.commits.length <= reached) return fallback;
  const last = scan.commits[scan.commits.length - 1];
  scan.truncate(last.mark);
  const at = order.indexOf(last.sha, fallback);
  return at >= 0 ? at : fallback;
}

/** Scans one commit; each time git stops at a missing object, lists it and tries again without its path. */
async function scanCommitAlone(scan: PatchScan, cwd: string, sha: string, argsFor: (revisions: string[], pathspecs: string[]) => string[]): Promise<void> {
  const left: string[] = [];
  for (;;) {
    const mark = scan.mark();
    try {
      await scan.stream(argsFor(['--no-walk', sha], left.map((p) => `:(exclude,literal,top)${p}`)));
      return;
    } catch (e) {
      const object = missingObjectOf(e);
      if (!object) throw e;
      scan.truncate(mark);
      const paths = (await pathsOfObject(cwd, sha, object)).filter((p) => !left.includes(p));
      if (paths.length === 0) {
        scan.unreadable({ file: '', commit: sha, object, message: `object ${object} is missing from the repository: this commit could not be scanned` });
        return;
      }
      for (const p of paths) {
        scan.unreadable({ file: p, commit: sha, object, message: `object ${object} is missing from the repository (a partial or damaged clone): this file was not scanned in this commit` });
        left.push(p);
      }
    }
  }
}

/** The range's commits in `git log` order: one `git rev-list`. */
async function commitsOf(cwd: string, revisions: string[]): Promise<string[]> {
  let out = '';
  await streamGit(cwd, gitArgs(['rev-list', ...revisions, '--']), (c) => (out += c.toString('latin1')));
  return out.split('\n').filter(Boolean);
}

/** The paths of `sha` (against each parent) whose old or new content is `object`, from the trees alone (`git diff-tree` reads no blob). */
async function pathsOfObject(cwd: string, sha: string, object: string): Promise<string[]> {
  let out = '';
  try {
    await streamGit(cwd, gitArgs(['diff-tree', '-r', '-c', '--root', '--no-renames', '--full-index', '--no-commit-id', '-z', sha]), (c) => (out += c.toString('utf8')));
  } catch (e) {
    if (e instanceof ScanFailure) return []; // a tree is missing: no path can be named
    throw e;
  }
  const paths = new Set<string>();
  const parts = out.split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i].startsWith(':') && parts[i].includes(object)) paths.add(parts[i + 1]);
  return [...paths];
}
