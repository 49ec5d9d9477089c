// The one policy: what no scan looks at, and which keys may stay. Every entry point asks it: the
// file walker (`scan`), every git source (`staged`, `diff`, `ci`, `history`, `pre-push`) and the
// ESLint rule. It answers two questions:
// - "is this path ignored here?": the config's `ignorePaths`, `.mirrascanignore` files (the root's
//   and nested ones), and `.gitignore` only where it applies: a walk of untracked files, never a
//   tracked file, the index or a commit;
// - "is this finding allowed?": the config's `allowedKeys` (and the rule's `allowedKeySha256`), a
//   baseline, and the inline `mirra-scan:allow` marker (which the detector reads, src/detector/inline-allow.ts;
//   the policy says whether it counts).
// Its inputs are plain data plus a reader for ignore files, so they can come from the working tree
// (the default) or from a given revision (`revisionReader`), e.g. a security mode that takes allow
// rules from the base of a range, never from the commits under review.

import fs from 'node:fs';
import path from 'node:path';
import type { Finding, FindingOrigin, ScanResult } from '../finding.js';
import { PathRules, type IgnoreFileReader, type TrackedPaths } from './path-rules.js';
import { findRoot } from './repo-root.js';
import { readFileAtRevision } from './revision.js';

export { findRoot } from './repo-root.js';
export { GIT_IGNORE_FILE, PathRules, SCAN_IGNORE_FILE, type IgnoreFileReader, type PathRulesData, type TrackedPaths } from './path-rules.js';

export interface PolicyInputs {
  /** The repository root (or the folder outside a repository): paths are relative to it. */
  root: string;
  /** The config's `ignorePaths`. */
  ignorePaths?: string[];
  /** Honour `.mirrascanignore` files (and `.gitignore` in a walk); `--no-ignore` sets false. Default true. */
  honourIgnoreFiles?: boolean;
  /** `keySha256` values that may stay (config `allowedKeys`, the rule's `allowedKeySha256`). */
  allowedKeySha256?: Iterable<string>;
  /** `keySha256` values a baseline already knows. */
  baselineKeySha256?: Iterable<string>;
  /** Honour `mirra-scan:allow` markers. Default true. */
  inlineAllow?: boolean;
  /** Where ignore files are read from (root-relative paths); default: the working tree under `root`. */
  readIgnoreFile?: IgnoreFileReader;
}

/** The subset of the config the policy needs (the whole config object fits). */
export interface PolicyConfig {
  ignorePaths: string[];
  allowedKeys: Array<{ keySha256: string }>;
  inlineAllow: boolean;
}

/** Finding origins whose `file` is a path in the tree (a message has no path to ignore). */
const PATH_ORIGINS = new Set<FindingOrigin>(['file', 'staged', 'commit', 'merge', 'push']);

export class Policy {
  readonly root: string;
  readonly inlineAllow: boolean;
  readonly honourIgnoreFiles: boolean;
  readonly ignorePaths: readonly string[];
  private readonly allowed: Set<string>;
  private readonly read: IgnoreFileReader;
  /** The root, when ignore files are read from the working tree there (no other reader given). */
  private readonly readsFrom: string | undefined;
  private treeRules: PathRules | undefined;

  constructor(inputs: PolicyInputs) {
    this.root = inputs.root;
    this.ignorePaths = inputs.ignorePaths ?? [];
    this.honourIgnoreFiles = inputs.honourIgnoreFiles !== false;
    this.inlineAllow = inputs.inlineAllow !== false;
    this.allowed = new Set([...(inputs.allowedKeySha256 ?? []), ...(inputs.baselineKeySha256 ?? [])].map((h) => h.toLowerCase()));
    this.read = inputs.readIgnoreFile ?? workingTreeReader(inputs.root);
    this.readsFrom = inputs.readIgnoreFile ? undefined : inputs.root;
  }

  /**
   * Is this root-relative path ignored for content git holds (the index, a commit) or a file the rule
   * lints? `.gitignore` does not count here: it never hides what git tracks.
   */
  isPathIgnored(rel: string): boolean {
    return (this.treeRules ??= this.rules({ gitignore: false })).ignoresFile(rel);
  }

  /** The rules for a walk of the working tree under `base` (the root, or another repository's): `.gitignore` counts for untracked files. */
  walkRules(base: string, tracked: TrackedPaths | null): PathRules {
    const own = base === this.root;
    return this.rules({ gitignore: true, tracked, read: own ? this.read : workingTreeReader(base), readsFrom: own ? this.readsFrom : base });
  }

  /** Is this key allowed wherever it is (allowed keys, the baseline)? */
  isKeyAllowed(keySha256: string): boolean {
    return this.allowed.size > 0 && this.allowed.has(keySha256.toLowerCase());
  }

  /** Does a `mirra-scan:allow` marker that the detector found for a key count? */
  allowsInline(marked: boolean): boolean {
    return marked && this.inlineAllow;
  }

  /** Drops findings and errors under ignored paths (messages have none); for sources that cannot prune as they read. */
  dropIgnoredPaths(result: ScanResult): ScanResult {
    if (!this.honourIgnoreFiles && this.ignorePaths.length === 0) return result;
    result.findings = result.findings.filter((f) => !(PATH_ORIGINS.has(f.origin) && this.isPathIgnored(f.file)));
    if (result.unlisted) result.unlisted = result.unlisted.filter((u) => !this.isPathIgnored(u.file));
    // An object git could not read stays listed: the run is incomplete (exit 2), and says why.
    result.errors = result.errors.filter((e) => e.object !== undefined || !this.isPathIgnored(e.file));
    return result;
  }

  /** Drops findings of allowed keys; returns how many. */
  dropAllowedKeys(result: Pick<ScanResult, 'findings'>): number {
    if (this.allowed.size === 0) return 0;
    const before = result.findings.length;
    result.findings = result.findings.filter((f: Finding) => !this.isKeyAllowed(f.keySha256));
    return before - result.findings.length;
  }

  private rules(o: { gitignore: boolean; tracked?: TrackedPaths | null; read?: IgnoreFileReader; readsFrom?: string }): PathRules {
    return new PathRules({
      patterns: [...this.ignorePaths],
      honourIgnoreFiles: this.honourIgnoreFiles,
      gitignore: o.gitignore,
      tracked: o.tracked,
      read: o.read ?? this.read,
      readsFrom: o.readsFrom,
    });
  }
}

export interface PolicyOptions {
  /** Any folder in the repository. */
  cwd: string;
  /** `--no-ignore` passes false: neither ignore files nor `ignorePaths` apply. */
  ignore?: boolean;
  /**
   * false: ignore files do not count, `ignorePaths` still does (a server's pre-receive: the pushed
   * content could bring or change ignore files).
   */
  ignoreFiles?: boolean;
  /** `--no-inline-allow` passes false. */
  inlineAllow?: boolean;
  /** Keys a baseline already knows. */
  baselineKeySha256?: Iterable<string>;
  /** More allowed keys (the rule's `allowedKeySha256` option). */
  allowedKeySha256?: Iterable<string>;
  /** Read ignore files from elsewhere (a revision); default: the working tree. */
  readIgnoreFile?: IgnoreFileReader;
}

/** The policy a run uses, from its config and flags. */
export function policyFor(config: PolicyConfig, options: PolicyOptions): Policy {
  const honour = options.ignore !== false;
  return new Policy({
    root: findRoot(options.cwd),
    ignorePaths: honour ? config.ignorePaths : [],
    honourIgnoreFiles: honour && options.ignoreFiles !== false,
    allowedKeySha256: [...config.allowedKeys.map((k) => k.keySha256), ...(options.allowedKeySha256 ?? [])],
    baselineKeySha256: options.baselineKeySha256,
    inlineAllow: options.inlineAllow !== false && config.inlineAllow,
    readIgnoreFile: options.readIgnoreFile,
  });
}

/** The policy of a source called without one (tests, the programmatic API): ignore files honoured, no config. */
export function defaultPolicy(cwd: string): Policy {
  return policyFor({ ignorePaths: [], allowedKeys: [], inlineAllow: true }, { cwd });
}

/** Ignore files as they are on disk under `root`. */
export function workingTreeReader(root: string): IgnoreFileReader {
  return (rel) => {
    try {
      return fs.readFileSync(path.join(root, rel), 'utf8');
    } catch {
      return null; // none here, or not readable: nothing to honour
    }
  };
}

/** Ignore files as they are in `revision` (e.g. the base of a CI range), read from git's objects. */
export function revisionReader(cwd: string, revision: string): IgnoreFileReader {
  return (rel) => readFileAtRevision(cwd, revision, rel);
}
