// Scans what git says a change adds: one streamed `git` process prints the patch (a staged diff, a
// commit range, the whole history), the parser yields added lines, the detector finds keys in them.
// Binary files have no lines: their new blobs are read afterwards through one `git cat-file --batch`.

import { spawn } from 'node:child_process';
import { ScanFailure } from '../errors.js';
import type { Finding, FindingPlace, FindingSource, ScanError, ScanResult } from '../finding.js';
import { findingsInContent, type FindingFilterOptions } from './content-scan.js';
import { PatchParser, type CommitHeader, type PatchFile } from './git-patch.js';

export interface GitPatchScanOptions extends FindingFilterOptions {
  cwd: string;
  /** Arguments to git that make it print a patch, e.g. `['diff', '--cached', …]` or `['log', …]`. */
  args: string[];
  source: FindingSource;
  /** Where a finding from this commit sits (decides the hint); default: by source. */
  placeFor?: (commit: CommitHeader | null) => FindingPlace | undefined;
  /** Called for each commit the patch reaches (progress bars). */
  onCommit?: (commit: CommitHeader) => void;
}

/** Options every patch-printing git call needs, so the output is the same on any machine. */
export const PATCH_ARGS = ['-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index', '-M', '-C'];

/** Git itself, with settings that keep its output parseable whatever the user's config says. */
export function gitArgs(args: string[]): string[] {
  return ['-c', 'core.quotePath=true', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', '-c', 'color.ui=false', ...args];
}

export async function scanGitPatch(options: GitPatchScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const findings: Finding[] = [];
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
      const content = Buffer.from(run.text, 'latin1');
      findings.push(...findingsInContent(content, metaFor(run.file, run.commit, run.startLine - 1), options));
    },
  });

  await streamGit(options.cwd, gitArgs(options.args), (chunk) => parser.push(chunk));
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
      findings.push(...findingsInContent(data, metaFor(b.file, b.commit), options));
    });
  }
  stats.durationMs = Math.round(performance.now() - started);
  return { findings, errors, stats };
}

/** Fails with git's own reason (`not a git repository`, …) when `cwd` is not in a repository. */
export function assertGitRepository(cwd: string): Promise<void> {
  return streamGit(cwd, ['rev-parse', '--git-dir'], () => undefined);
}

/** Runs git and hands its stdout over chunk by chunk; a non-zero exit is a ScanFailure with git's own words. */
export function streamGit(cwd: string, args: string[], onChunk: (chunk: Buffer) => void, input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', onChunk);
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (e) => reject(new ScanFailure(`cannot run git: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new ScanFailure(firstLine(stderr) || `git ${args.filter((a) => !a.startsWith('-') && !a.includes('=')).slice(0, 2).join(' ')} failed (exit ${code})`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? '';
  return line.replace(/^(fatal|error): /, 'git: ').trim();
}

/** Reads blobs by id through one `git cat-file --batch`; `onBlob(i, null)` for one git does not have. */
export async function readBlobs(cwd: string, ids: string[], onBlob: (index: number, data: Buffer | null) => void): Promise<void> {
  // Chunks are kept in a list and joined once a whole header or blob is there: joining on every
  // chunk would copy a large blob over and over.
  let chunks: Buffer[] = [];
  let buffered = 0;
  let index = 0;
  let need = -1; // bytes of content still expected for the current blob, -1 while reading a header
  const take = (n: number): Buffer => {
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered);
    chunks = all.length > n ? [all.subarray(n)] : [];
    buffered = all.length - n;
    return all.subarray(0, n);
  };
  const drain = () => {
    for (;;) {
      if (need < 0) {
        const nl = chunks.length === 0 ? -1 : (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, buffered)).indexOf(10);
        if (nl < 0) return;
        const header = take(nl + 1).toString('latin1', 0, nl);
        if (header.endsWith(' missing')) {
          onBlob(index++, null);
          continue;
        }
        need = parseInt(header.slice(header.lastIndexOf(' ') + 1), 10);
      }
      if (buffered < need + 1) return;
      onBlob(index++, Buffer.from(take(need + 1).subarray(0, need)));
      need = -1;
    }
  };
  await streamGit(
    cwd,
    ['cat-file', '--batch'],
    (chunk) => {
      chunks.push(chunk);
      buffered += chunk.length;
      drain();
    },
    ids.join('\n') + '\n',
  );
}
