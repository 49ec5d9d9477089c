// Paths no scan reports on: the config's `ignorePaths` and the repository's `.mirrascanignore`
// (gitignore syntax, relative to the repository root). The file walker prunes them as it walks;
// the git sources (staged, commits, pushes) drop findings under them here.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ignore } from 'ignore';
import type { ScanResult } from '../finding.js';
import { findRoot } from './git/repo-root.js';

export const SCAN_IGNORE_FILE = '.mirrascanignore';

export interface IgnoredPathOptions {
  cwd: string;
  /** Patterns from the config file. */
  ignorePaths?: string[];
  /** Read `.mirrascanignore` at the repository root too (default true). */
  honourIgnoreFile?: boolean;
}

/** Removes findings and errors whose file the patterns leave out; returns the same result. */
export function dropIgnoredPaths(result: ScanResult, options: IgnoredPathOptions): ScanResult {
  if (result.findings.length === 0 && result.errors.length === 0) return result;
  const patterns = [...(options.ignorePaths ?? [])];
  if (options.honourIgnoreFile !== false) {
    try {
      patterns.push(fs.readFileSync(path.join(findRoot(options.cwd), SCAN_IGNORE_FILE), 'utf8'));
    } catch {
      // no ignore file
    }
  }
  if (patterns.length === 0) return result;
  // Loaded only when there is something to drop: a pre-commit hook with no findings never needs it.
  const ignore = createRequire(import.meta.url)('ignore') as () => Ignore;
  const rules = ignore().add(patterns);
  const ignored = (file: string) => {
    try {
      return file !== '' && rules.ignores(file);
    } catch {
      return false; // a path `ignore` cannot judge (absolute, `..`) is kept
    }
  };
  result.findings = result.findings.filter((f) => !ignored(f.file));
  if (result.unlisted) result.unlisted = result.unlisted.filter((u) => !ignored(u.file));
  // An object git could not read stays listed: the run is incomplete (exit 2), and says why.
  result.errors = result.errors.filter((e) => e.object !== undefined || !ignored(e.file));
  return result;
}
