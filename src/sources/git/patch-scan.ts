// Scans what git says a change adds: one streamed `git` process prints the patch (a staged diff, a
// commit range, the whole history), the parser yields added lines, the detector finds keys in them.
// Binary files have no lines: their new blobs are read afterwards through one `git cat-file --batch`.

import type { Finding, FindingPlace, FindingSource, ScanError, ScanResult, UnlistedFindings } from '../../finding.js';
import { hasKeyTrace } from '../../detector/index.js';
import { addFindings, findingsInContent, type FindingFilterOptions } from '../content-scan.js';
import { PatchParser, type CommitHeader, type PatchFile } from './patch-parser.js';
import { gitArgs, readBlobs, streamGit } from './process.js';

export interface GitPatchScanOptions extends FindingFilterOptions {
  cwd: string;
  /** Arguments to git that make it print a patch, e.g. `['diff', '--cached', …]` or `['log', …]`. */
  args: string[];
  source: FindingSource;
  /** Where a finding from this commit sits (decides the hint); default: by source. */
  placeFor?: (commit: CommitHeader | null) => FindingPlace | undefined;
  /** Called for each commit the patch reaches (progress bars). */
  onCommit?: (commit: CommitHeader) => void;
  /** Standard input for git (revisions for `--stdin`). */
  input?: string;
}

export { PATCH_ARGS } from './diff-args.js';

export async function scanGitPatch(options: GitPatchScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const result: { findings: Finding[]; unlisted?: UnlistedFindings[] } = { findings: [] };
  const errors: ScanError[] = [];
  const stats = { files: 0, bytes: 0, skipped: 0, durationMs: 0 };
  const binaries: Array<{ blob: string; file: PatchFile; commit: CommitHeader | null }> = [];

  const metaFor = (file: PatchFile, commit: CommitHeader | null, lineOffset = 0) => ({
    file: file.path,
    source: options.source,
    commit: commit?.sha ?? null,
    place: options.placeFor?.(commit),
    author: commit?.author,
    date: commit?.date,
    lineOffset,
  });

  const parser = new PatchParser({
    onCommit: options.onCommit,
    onFile(file, commit) {
      if (file.deleted) return;
      stats.files++;
      if (file.submodule) {
        errors.push({ file: file.path, message: 'submodule: skipped (scan it in its own repository)' });
        stats.skipped++;
      } else if (file.binary && file.newBlob) {
        binaries.push({ blob: file.newBlob, file, commit });
      }
    },
    onAdded(run) {
      stats.bytes += run.text.length;
      // Most runs hold no trace of a key: one look at the text, and no buffer or scan for them (a
      // commit of 10,000 files is 10,000 runs). A run with a NUL byte may hold UTF-16: scanned as bytes.
      if (!hasKeyTrace(run.text) && !run.text.includes('\0')) return;
      const content = Buffer.from(run.text, 'latin1');
      const meta = metaFor(run.file, run.commit, run.startLine - 1);
      addFindings(result, findingsInContent(content, meta, options), meta);
    },
  });

  await streamGit(options.cwd, gitArgs(options.args), (chunk) => parser.push(chunk), options.input);
  parser.end();

  if (binaries.length) {
    await readBlobs(options.cwd, binaries.map((b) => b.blob), (index, data) => {
      const b = binaries[index];
      if (!data) {
        errors.push({ file: b.file.path, message: 'binary blob could not be read from git' });
        stats.skipped++;
        return;
      }
      stats.bytes += data.length;
      const meta = metaFor(b.file, b.commit);
      addFindings(result, findingsInContent(data, meta, options), meta);
    });
  }
  stats.durationMs = Math.round(performance.now() - started);
  return { ...result, errors, stats };
}

