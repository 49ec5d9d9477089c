// The git processes every git source runs: one streamed `git` per call, its stdout handed over chunk
// by chunk, and `git cat-file --batch` for blobs.

import { spawn } from 'node:child_process';
import { ScanFailure } from '../../errors.js';

/** Git itself, with settings that keep its output parseable whatever the user's config says. */
export function gitArgs(args: string[]): string[] {
  return ['-c', 'core.quotePath=true', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', '-c', 'color.ui=false', ...args];
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
