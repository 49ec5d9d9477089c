// Scans what git says a change adds: one streamed `git` process prints the patch (a staged diff, a
// commit range, the whole history), the parser yields added lines, the detector finds keys in them.
// Binary files have no lines: their new blobs are read afterwards through one `git cat-file --batch`.

import { nowMs } from '../clock.js';
import type { Finding, FindingOrigin, FindingPlace, FindingSource, ScanError, ScanResult, UnlistedFindings } from '../../finding.js';
import { ScanFailure } from '../../errors.js';
import { addFindings, scanFragment, type FindingFilterOptions } from '../../fragments/index.js';
import { edgeRunOf, findingsAcrossEdges, type EdgeRun } from './hunk-edges.js';
import { PatchParser, type CommitHeader, type PatchFile } from './patch-parser.js';
import { gitArgs, readBlobs, streamGit } from './process.js';

export interface GitPatchScanOptions extends FindingFilterOptions {
  cwd: string;
  /** Arguments to git that make it print a patch, e.g. `['diff', '--cached', …]` or `['log', …]`. */
  args: string[];
  source: FindingSource;
  /** Default: from `source`. */
  origin?: FindingOrigin;
  /** Where a finding from this commit sits (decides the hint); default: by source. */
  placeFor?: (commit: CommitHeader | null) => FindingPlace | undefined;
  /** Called for each commit the patch reaches (progress bars). */
  onCommit?: (commit: CommitHeader) => void;
  /** Standard input for git (revisions for `--stdin`). */
  input?: string;
}

export { PATCH_ARGS } from './diff-args.js';

export async function scanGitPatch(options: GitPatchScanOptions): Promise<ScanResult> {
  const scan = new PatchScan(options);
  await scan.stream(options.args, options.input);
  return scan.finish();
}

/** How far a scan had got: `truncate` goes back to it (to scan a commit again, or without a path). */
export interface PatchScanMark {
  /** Marks are numbered in the order they are taken. */
  at: number;
  findings: number;
  unlisted: number;
  errors: number;
  binaries: number;
  edges: number;
  files: number;
  bytes: number;
}

/**
 * One scan fed by one or more git processes (a range that git could not print in one go is printed
 * in pieces, see commits.ts): findings, errors and stats gather across them, and each commit's start
 * is marked, so the part of a commit a failed process printed can be dropped and scanned again.
 */
export class PatchScan {
  /** Findings, and per place the keys past the per-file cap (counted, not kept). */
  readonly found: { findings: Finding[]; unlisted?: UnlistedFindings[] } = { findings: [] };
  readonly errors: ScanError[] = [];
  readonly stats = { files: 0, bytes: 0, skipped: 0, durationMs: 0 };
  /** Set when some content could not be read: the result is incomplete (exit code 2). */
  incomplete = false;
  /** The commits the patches reached, in order, each with where its findings start. */
  readonly commits: Array<{ sha: string; mark: PatchScanMark }> = [];
  private readonly binaries: Array<{ blob: string; file: PatchFile; commit: CommitHeader | null }> = [];
  /** Added runs a wrapped base64 blob may cross the edge of (see hunk-edges.ts). */
  private readonly edges: EdgeRun[] = [];
  private readonly started = nowMs();
  private marks = 0;

  constructor(private readonly options: GitPatchScanOptions) {}

  mark(): PatchScanMark {
    return { at: this.marks++, findings: this.found.findings.length, unlisted: this.found.unlisted?.length ?? 0, errors: this.errors.length, binaries: this.binaries.length, edges: this.edges.length, files: this.stats.files, bytes: this.stats.bytes };
  }

  /** Forgets everything found since `mark`, and the commits reached since. */
  truncate(mark: PatchScanMark): void {
    // (Per-place counts toward the cap are not rewound: after a retry a place may keep fewer keys, never more.)
    this.found.findings.length = mark.findings;
    if (this.found.unlisted) this.found.unlisted.length = mark.unlisted;
    this.errors.length = mark.errors;
    this.binaries.length = mark.binaries;
    this.edges.length = mark.edges;
    this.stats.files = mark.files;
    this.stats.bytes = mark.bytes;
    while (this.commits.length > 0 && this.commits[this.commits.length - 1].mark.at >= mark.at) this.commits.pop();
  }

  /** Content that could not be read: listed, and the result marked incomplete. */
  unreadable(error: ScanError): void {
    this.errors.push(error);
    this.stats.skipped++;
    this.incomplete = true;
  }

  /** Runs git with `args` (and `input` on its stdin) and scans the patch it prints. */
  async stream(args: string[], input?: string): Promise<void> {
    const { options, stats } = this;
    const parser = new PatchParser({
      onCommit: (commit) => {
        this.commits.push({ sha: commit.sha, mark: this.mark() });
        options.onCommit?.(commit);
      },
      onFile: (file, commit) => {
        if (file.deleted) return;
        stats.files++;
        if (file.submodule) {
          this.errors.push({ file: file.path, message: 'submodule: skipped (scan it in its own repository)' });
          stats.skipped++;
        } else if (file.binary && file.newBlob) {
          this.binaries.push({ blob: file.newBlob, file, commit });
        }
      },
      onAdded: (run) => {
        stats.bytes += run.text.length;
        const content = Buffer.from(run.text, 'latin1');
        const meta = this.metaFor(run.file, run.commit, run.startLine - 1);
        scanFragment(this.found, { ...meta, content }, options);
        const edge = edgeRunOf(run.text, run.startLine, run.file.newBlob, { ...meta, lineOffset: 0 });
        if (edge) this.edges.push(edge);
      },
    });
    try {
      await streamGit(options.cwd, gitArgs(args), (chunk) => parser.push(chunk), input);
    } finally {
      parser.end();
    }
  }

  /** Reads the blobs of binary files and around the edges of added base64 runs, and returns the result. */
  async finish(): Promise<ScanResult> {
    const { binaries, edges } = this;
    if (binaries.length + edges.length > 0) {
      // One `git cat-file` for both: binary files' blobs, then the blobs around base64 runs' edges.
      const ids = [...binaries.map((b) => b.blob), ...edges.map((e) => e.blob)];
      await readBlobs(this.options.cwd, ids, (index, data) => {
        if (index >= binaries.length) {
          // A blob the patch was printed from is there; one that is not was listed when git stopped at it.
          const edge = edges[index - binaries.length];
          if (data) addFindings(this.found, findingsAcrossEdges(edge, data, this.options), edge.meta);
          return;
        }
        const b = binaries[index];
        if (!data) {
          this.unreadable({ file: b.file.path, message: `object ${b.blob} (a binary file) is missing from the repository: not scanned`, object: b.blob, ...(b.commit ? { commit: b.commit.sha } : {}) });
          return;
        }
        this.stats.bytes += data.length;
        const meta = this.metaFor(b.file, b.commit);
        scanFragment(this.found, { ...meta, content: data }, this.options);
      });
    }
    this.stats.durationMs = Math.round(nowMs() - this.started);
    const result: ScanResult = { ...this.found, errors: this.errors, stats: this.stats };
    if (this.incomplete) result.incomplete = true;
    return result;
  }

  private metaFor(file: PatchFile, commit: CommitHeader | null, lineOffset = 0) {
    return {
      file: file.path,
      source: this.options.source,
      origin: this.options.origin,
      commit: commit?.sha ?? null,
      place: this.options.placeFor?.(commit),
      author: commit?.author,
      date: commit?.date,
      lineOffset,
    };
  }
}

/**
 * The object git could not read, from the reason it stopped (`unable to read <id>`, `unable to read
 * tree <id>`, `missing blob <id>`, …), or null when it stopped for another reason.
 */
export function missingObjectOf(e: unknown): string | null {
  if (!(e instanceof ScanFailure)) return null;
  const m = /(?:unable to read(?: tree| blob)?|missing (?:blob|tree|object)|bad object|could not read(?: object)?) ([0-9a-f]{40,64})\b/.exec(e.message);
  return m ? m[1] : null;
}
