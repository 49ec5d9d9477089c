// "Is this path ignored here?": the one engine behind every entry point. Three families of rules,
// each in gitignore syntax:
// - the config's `ignorePaths`, relative to the root;
// - `.mirrascanignore` files, at the root and in any folder below it (each relative to its folder);
// - `.gitignore` files, the same way, but only for files git does not track: a `.gitignore` keeps
//   untracked files out of a walk, and never hides a tracked file, the index or a commit.
// In each family of files the deepest file with an opinion decides, as in git.

import { createRequire } from 'node:module';
import type { Ignore } from 'ignore';

export const SCAN_IGNORE_FILE = '.mirrascanignore';
export const GIT_IGNORE_FILE = '.gitignore';

/** Reads an ignore file by its root-relative path (`sub/.mirrascanignore`); null when there is none. */
export type IgnoreFileReader = (relFile: string) => string | null;

/** Tracked files and the folders that hold them, root-relative with `/`: `.gitignore` never hides them. */
export interface TrackedPaths {
  files: Set<string>;
  folders: Set<string>;
}

export interface PathRulesOptions {
  /** The config's `ignorePaths`. */
  patterns: string[];
  /** Honour ignore files at all (`--no-ignore` sets false; the patterns still apply). */
  honourIgnoreFiles: boolean;
  /** Honour `.gitignore` too (a walk of the working tree); then `tracked` says what it cannot hide. */
  gitignore: boolean;
  tracked?: TrackedPaths | null;
  read: IgnoreFileReader;
  /** A walk of a folder named on the command line: ignore files above it do not apply. */
  floor?: string;
  /**
   * The folder on disk `read` reads ignore files from (`read` is the working tree's reader there), when
   * it is: then another thread can rebuild these rules from `toData()`. Unset for any other reader.
   */
  readsFrom?: string;
}

/**
 * Rules as plain data, for a worker thread that walks part of the same tree: the options (no reader:
 * the thread reads further ignore files from `readsFrom` itself) and the text of every ignore file
 * read so far, by folder.
 */
export interface PathRulesData {
  options: Omit<PathRulesOptions, 'read'>;
  loaded: Array<[relDir: string, git: string | null, scan: string | null]>;
}

type Family = 'git' | 'scan';

// Loaded on first use: a pre-commit hook whose scan finds nothing never needs it.
let makeIgnore: (() => Ignore) | undefined;
const newIgnore = (): Ignore => (makeIgnore ??= createRequire(import.meta.url)('ignore') as () => Ignore)();

export class PathRules {
  private readonly byDir = new Map<string, { git: Ignore | null; scan: Ignore | null }>();
  /** The texts behind `byDir`, kept for `toData()` (only when another thread could need them). */
  private readonly texts: PathRulesData['loaded'] | null;
  private top: Ignore | null = null;

  constructor(private readonly options: PathRulesOptions) {
    this.texts = options.readsFrom !== undefined && options.honourIgnoreFiles ? [] : null;
  }

  /** These rules as data another thread rebuilds them from (`fromData`); null when they read ignore files from elsewhere than a folder on disk. */
  toData(): PathRulesData | null {
    if (this.options.honourIgnoreFiles && this.texts === null) return null;
    const { patterns, honourIgnoreFiles, gitignore, tracked, floor, readsFrom } = this.options;
    return { options: { patterns, honourIgnoreFiles, gitignore, tracked, floor, readsFrom }, loaded: this.texts ?? [] };
  }

  /** The rules `toData()` described, reading further ignore files with `read` (the working tree's reader under `data.options.readsFrom`). */
  static fromData(data: PathRulesData, read: IgnoreFileReader): PathRules {
    const rules = new PathRules({ ...data.options, read });
    for (const [relDir, git, scan] of data.loaded) rules.remember(relDir, git, scan);
    return rules;
  }

  /** The same rules for a walk of `floor` named on the command line: only ignore files inside it count. */
  from(floor: string): PathRules {
    return new PathRules({ ...this.options, patterns: [], floor });
  }

  /** Whether any rule can apply (with `--no-ignore` and no patterns, nothing is checked). */
  get active(): boolean {
    return this.options.honourIgnoreFiles || this.options.patterns.length > 0;
  }

  /** The ignore file names a walk must look for in each folder. */
  get fileNames(): string[] {
    if (!this.options.honourIgnoreFiles) return [];
    return this.options.gitignore ? [GIT_IGNORE_FILE, SCAN_IGNORE_FILE] : [SCAN_IGNORE_FILE];
  }

  /** Loads the ignore files of every folder from the root down to `relDir`. */
  loadAncestors(relDir: string): void {
    this.load('');
    if (relDir === '' || relDir.startsWith('..')) return;
    const parts = relDir.split('/');
    for (let i = 1; i <= parts.length; i++) this.load(parts.slice(0, i).join('/'));
  }

  /** Reads the ignore files of one folder (once); a walk calls it only for folders that hold one. */
  load(relDir: string): void {
    const o = this.options;
    if (!o.honourIgnoreFiles || this.byDir.has(relDir)) return;
    if (o.floor !== undefined && !(relDir === o.floor || relDir.startsWith(o.floor + '/'))) return;
    this.remember(relDir, o.gitignore ? this.read(relDir, GIT_IGNORE_FILE) : null, this.read(relDir, SCAN_IGNORE_FILE));
  }

  private read(relDir: string, name: string): string | null {
    return this.options.read(relDir === '' ? name : `${relDir}/${name}`);
  }

  private remember(relDir: string, git: string | null, scan: string | null): void {
    this.byDir.set(relDir, { git: git === null ? null : newIgnore().add(git), scan: scan === null ? null : newIgnore().add(scan) });
    this.texts?.push([relDir, git, scan]);
  }

  /** For rules already loaded (a walk loads them folder by folder as it goes). */
  ignores(rel: string, isDir: boolean): boolean {
    if (rel === '' || rel.startsWith('..')) return false;
    const o = this.options;
    const suffix = isDir ? '/' : '';
    if (o.patterns.length > 0 && (this.top ??= newIgnore().add(o.patterns)).ignores(rel + suffix)) return true;
    if (!o.honourIgnoreFiles) return false;
    if (this.deepestSays(rel, suffix, 'scan')) return true;
    if (!o.gitignore) return false;
    const tracked = o.tracked && (isDir ? o.tracked.folders.has(rel) : o.tracked.files.has(rel));
    return !tracked && this.deepestSays(rel, suffix, 'git');
  }

  /** For one file met outside a walk (a finding in the index or a commit): loads what it needs first. */
  ignoresFile(rel: string): boolean {
    if (rel === '' || rel.startsWith('..') || rel.startsWith('/')) return false;
    if (this.options.honourIgnoreFiles) this.loadAncestors(parentOf(rel));
    try {
      return this.ignores(rel, false);
    } catch {
      return false; // a path `ignore` cannot judge is kept
    }
  }

  private deepestSays(rel: string, suffix: string, family: Family): boolean {
    for (let dir = parentOf(rel); ; dir = parentOf(dir)) {
      const rules = this.byDir.get(dir)?.[family];
      if (rules) {
        const r = rules.test((dir === '' ? rel : rel.slice(dir.length + 1)) + suffix);
        if (r.ignored || r.unignored) return r.ignored;
      }
      if (dir === '') return false;
    }
  }
}

export function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}
