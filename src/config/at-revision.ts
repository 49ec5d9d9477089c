// The config and the baseline as a given revision has them, for `ci`'s security mode: the commits
// under review must not choose the rules they are checked by, so those rules come from the base of
// the range (or from a file outside the repository, which no commit can change).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBaseline, type Baseline } from '../baseline/index.js';
import { CONFIG_SEARCH_PLACES, defaultConfig, loadConfig, type MirraScanConfig } from './index.js';
import { readBlobs } from '../sources/git/process.js';
import { findRoot } from '../policy/repo-root.js';

/** Where a rule file sits: outside the repository (trusted as it is), or inside it at `rel`. */
function placeOf(root: string, file: string): { outside: true } | { outside: false; rel: string } {
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { outside: true };
  return { outside: false, rel: rel.split(path.sep).join('/') };
}

/** Files as `revision` has them (null where it has none): one `git cat-file --batch`. */
async function filesAt(cwd: string, revision: string, rels: string[]): Promise<Array<Buffer | null>> {
  const out: Array<Buffer | null> = rels.map(() => null);
  if (rels.length) await readBlobs(cwd, rels.map((r) => `${revision}:${r}`), (i, data) => (out[i] = data));
  return out;
}

/**
 * The config a run from `cwd` would load, as `revision` has it (null: the range has no base, so no
 * config in the repository is trusted). `configPath` outside the repository is read as it is.
 */
export async function loadConfigAt(cwd: string, revision: string | null, configPath?: string): Promise<MirraScanConfig> {
  const root = findRoot(cwd);
  if (configPath) {
    const place = placeOf(root, path.resolve(cwd, configPath));
    if (place.outside) return loadConfig({ cwd, configPath });
    if (!revision) return defaultConfig();
    return fromFiles(cwd, revision, [place.rel], (dir) => ({ cwd: dir, configPath: path.join(dir, place.rel) }));
  }
  if (!revision) return defaultConfig();
  // Every place the search from `cwd` up to the root would look.
  const relCwd = path.relative(root, path.resolve(cwd)).split(path.sep).join('/');
  const dirs: string[] = [];
  for (let d = relCwd; ; d = path.posix.dirname(d)) {
    dirs.push(d === '.' ? '' : d);
    if (d === '' || d === '.') break;
  }
  const rels = dirs.flatMap((d) => CONFIG_SEARCH_PLACES.map((p) => (d ? `${d}/${p}` : p)));
  return fromFiles(cwd, revision, rels, (dir) => ({ cwd: path.join(dir, relCwd) }));
}

/** Writes the files `revision` has into a scratch copy of the repository's layout and loads the config there. */
async function fromFiles(
  cwd: string,
  revision: string,
  rels: string[],
  where: (scratch: string) => { cwd: string; configPath?: string },
): Promise<MirraScanConfig> {
  const contents = await filesAt(cwd, revision, rels);
  if (contents.every((c) => c === null)) return defaultConfig();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-scan-base-config-'));
  try {
    fs.mkdirSync(path.join(scratch, '.git')); // the search stops at the repository's root, as it would
    rels.forEach((rel, i) => {
      const data = contents[i];
      if (!data) return;
      fs.mkdirSync(path.dirname(path.join(scratch, rel)), { recursive: true });
      fs.writeFileSync(path.join(scratch, rel), data);
    });
    const { cwd: at, configPath } = where(scratch);
    fs.mkdirSync(at, { recursive: true });
    const config = await loadConfig({ cwd: at, configPath });
    if (config.filepath) config.filepath = `${revision.slice(0, 12)}:${path.relative(scratch, config.filepath).split(path.sep).join('/')}`;
    return config;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The baseline `file` as `revision` has it (empty where it has none, or when there is no base); a file outside the repository as it is. */
export async function readBaselineAt(cwd: string, revision: string | null, file: string, read: (file: string) => Baseline): Promise<Baseline> {
  const place = placeOf(findRoot(cwd), path.resolve(cwd, file));
  if (place.outside) return read(file);
  const [data] = revision ? await filesAt(cwd, revision, [place.rel]) : [null];
  if (!data || !revision) return { version: 1, entries: [] };
  return parseBaseline(data.toString('utf8'), `${revision.slice(0, 12)}:${place.rel}`);
}
