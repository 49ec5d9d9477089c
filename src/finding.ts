// The shapes every part of mirra-scan passes around. The JSON reporter prints `Finding` as the
// CLI contract describes; the key itself lives under a symbol so that no serializer ever sees it.

export type KeyType = 'script' | 'install' | 'test' | 'untyped';

/** How the key was written where it was found. */
export type Encoding = 'plain' | 'base64' | 'url' | 'escape' | 'utf16' | 'concatenation' | 'html-entity' | 'quoted-printable' | 'uppercase';

export type FindingSource = 'file' | 'staged' | 'commit';

/**
 * Where exactly a key was found, finer than `source` (kept for old readers): hints are chosen from it.
 * - `file`: a file on disk; `stdin`: standard input;
 * - `staged`: the index (what the next commit adds);
 * - `commit`: the lines a commit adds; `merge`: lines a merge brings in from its merged side
 *   (`commit` names the merge, `mergedCommit` the commit on that side that added the key);
 * - `commit-message`, `tag-message` (`tag` names the tag);
 * - `push`: a commit a push is about to send.
 */
export type FindingOrigin = 'file' | 'stdin' | 'staged' | 'commit' | 'merge' | 'commit-message' | 'tag-message' | 'push';

export type VerificationStatus = 'unchecked' | 'live' | 'invalid' | 'unknown';

export interface Verification {
  status: VerificationStatus;
  detail?: string;
}

/** The full key of a finding. A symbol, so JSON.stringify and object spreads into output never carry it. */
export const SECRET: unique symbol = Symbol('mirra-scan.secret');

export interface Finding {
  ruleId: 'mirra-api-key';
  keyType: KeyType;
  /** Relative to the repository root (or the current folder), with `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source: FindingSource;
  origin: FindingOrigin;
  commit: string | null;
  /** For `merge`: the commit on the merged side that first added the key. */
  mergedCommit?: string;
  /** For `tag-message`: the tag's name. */
  tag?: string;
  /** For `file`: git tracks the file, so the key is (or is about to be) in a commit. */
  tracked?: boolean;
  encoding: Encoding;
  redacted: string;
  keySha256: string;
  verification: Verification;
  hint: string;
  /** Commit metadata where the finding came from a commit (an extension of the contract). */
  author?: string;
  date?: string;
  /** Where the key was found, for hints: set by the staged / commit sources. */
  place?: FindingPlace;
  /** The source line with every key on it masked, for the text reporter. Never holds a full key. */
  snippet?: Snippet;
  [SECRET]: string;
}

/**
 * Where a key sits, which decides what the user must do about it:
 * - `working-tree`: a file on disk, not known to be committed;
 * - `staged`: in the index, not committed yet;
 * - `unpushed`: in local commits that no remote branch contains;
 * - `pushed`: in history that has been shared (or seen by CI).
 */
export type FindingPlace = 'working-tree' | 'staged' | 'unpushed' | 'pushed';

export interface Snippet {
  /** The line, keys masked, trimmed to a readable width. */
  text: string;
  /** 0-based index in `text` where the marker starts, and its length. */
  markerStart: number;
  markerLength: number;
}

/** The origin a finding without a finer one has, from its source. */
export function defaultOrigin(source: FindingSource): FindingOrigin {
  return source;
}

export interface ScanError {
  file: string;
  message: string;
  /** The commit whose content could not be read (a git source). */
  commit?: string;
  /** The git object that could not be read (missing from a partial or damaged clone). */
  object?: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  skipped: number;
  durationMs: number;
}

/**
 * At most this many findings are kept for one file (or one stretch of content); the rest are counted,
 * and the report says how many it does not list. A finding with its snippet and hint costs kilobytes,
 * so a file of hundreds of thousands of keys would otherwise cost gigabytes.
 */
export const FINDINGS_KEPT_PER_CONTENT = 1000;

/** Findings a file (or a stretch of added lines) held beyond the ones kept: counted, not listed. */
export interface UnlistedFindings {
  file: string;
  commit: string | null;
  /** How many more keys were found there than are listed. */
  count: number;
}

export interface ScanResult {
  findings: Finding[];
  errors: ScanError[];
  stats: ScanStats;
  /** Places that held more keys than are kept per file (see FINDINGS_KEPT_PER_CONTENT): each counts the rest. */
  unlisted?: UnlistedFindings[];
  /** Some content could not be read (listed under `errors`): the run exits 2, whatever was found. */
  incomplete?: boolean;
  /** `ci`: what the scanned commits change in the places allow rules come from (see src/config/allow-rule-changes.ts). */
  allowRuleChanges?: AllowRuleChange[];
}

/** A commit that changes a source of allow rules: a config file, package.json's "mirraScan", a `.mirrascanignore`, a baseline. */
export interface AllowRuleChange {
  /** Root-relative path of the file. */
  file: string;
  commit: string;
  /** `config`, `package.json "mirraScan"`, `ignore file` or `baseline`. */
  kind: string;
}

/** The full key of a finding, for verification and `--reveal` only. */
export function secretOf(finding: Finding): string {
  return finding[SECRET];
}
