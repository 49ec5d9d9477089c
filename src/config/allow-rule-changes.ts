// Where allow rules come from, and what a range of commits changes there. A commit under review can
// try to hide its own key by changing them: a key's hash added to `allowedKeys` (a config file, or
// "mirraScan" in package.json), a path added to `ignorePaths` or a `.mirrascanignore`, a baseline that
// learns the key. `ci` lists every such change (a warning in text, `allowRuleChanges` in JSON); its
// security mode (`--no-ignore --no-inline-allow`) reads these rules from the base of the range instead.

import path from 'node:path';
import { CONFIG_SEARCH_PLACES, PACKAGE_PROP } from './index.js';
import type { AllowRuleChange } from '../finding.js';
import { gitArgs, readBlobs, streamGit } from '../sources/git/process.js';
import { SCAN_IGNORE_FILE } from '../policy/index.js';

export type { AllowRuleChange } from '../finding.js';

/**
 * Every change `revisions` make to a source of allow rules: config files, package.json's "mirraScan"
 * (only when that field changes), `.mirrascanignore` files, and `baselines` (root-relative paths).
 * One `git log --name-only`, then one `git cat-file --batch` for the package.json files it names.
 */
export async function allowRuleChanges(cwd: string, revisions: string[], baselines: string[]): Promise<AllowRuleChange[]> {
  const configPlaces = CONFIG_SEARCH_PLACES.filter((p) => p !== 'package.json');
  const pathspecs = [
    ...[SCAN_IGNORE_FILE, 'package.json', ...configPlaces].map((p) => `:(glob)**/${p}`),
    ...baselines.map((b) => `:(literal)${b}`),
  ];
  let out = '';
  await streamGit(cwd, gitArgs(['log', '--format=%x01%H %P', '--name-only', '--no-renames', '--cc', '-z', ...revisions, '--', ...pathspecs]), (c) => {
    out += c.toString('utf8');
  });
  const changes: AllowRuleChange[] = [];
  const packages: Array<{ file: string; commit: string; parent: string | null }> = [];
  for (const chunk of out.split('\x01').slice(1)) {
    const [head, ...rest] = chunk.split('\0');
    const [commit, parent = null] = head.trim().split(' ');
    for (const raw of rest) {
      const file = raw.replace(/^\n/, '');
      if (!file) continue;
      const base = path.posix.basename(file);
      if (baselines.includes(file)) changes.push({ file, commit, kind: 'baseline' });
      else if (base === 'package.json') packages.push({ file, commit, parent });
      else changes.push({ file, commit, kind: base === SCAN_IGNORE_FILE ? 'ignore file' : 'config' });
    }
  }
  if (packages.length) {
    const fields = await packageFields(cwd, packages.flatMap((p) => [`${p.commit}:${p.file}`, p.parent ? `${p.parent}:${p.file}` : '']));
    packages.forEach((p, i) => {
      if (fields[2 * i] !== fields[2 * i + 1]) changes.push({ file: p.file, commit: p.commit, kind: `package.json "${PACKAGE_PROP}"` });
    });
  }
  // By file (a stable sort: each file's commits stay in `git log` order, newest first).
  return changes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The "mirraScan" field of each `REV:PATH` (as JSON text; '' where the file or field is missing or not JSON). */
async function packageFields(cwd: string, objects: string[]): Promise<string[]> {
  const fields: string[] = objects.map(() => '');
  const asked = objects.map((o, i) => ({ o, i })).filter((x) => x.o !== '');
  await readBlobs(cwd, asked.map((x) => x.o), (index, data) => {
    if (!data) return;
    try {
      const field = (JSON.parse(data.toString('utf8')) as Record<string, unknown>)[PACKAGE_PROP];
      fields[asked[index].i] = field === undefined ? '' : JSON.stringify(field);
    } catch {
      fields[asked[index].i] = data.toString('utf8').includes(`"${PACKAGE_PROP}"`) ? '(unreadable)' : '';
    }
  });
  return fields;
}
