// The git processes every git source runs for its hot streams (`diff`, `log -p`, `cat-file --batch`,
// `rev-list`): one streamed `git` per call, its stdout handed over chunk by chunk. Short questions
// whose whole answer is a few lines (plumbing) go through ./plumbing.ts (simple-git) instead.

import { spawn } from 'node:child_process';
import { ScanFailure } from '../../errors.js';
import { takeEarlyGit, type EarlyGit } from './early-start.js';

export { gitArgs } from './diff-args.js';

/**
 * Runs git and hands its stdout over chunk by chunk; a non-zero exit is a ScanFailure with git's own
 * words. A git started early for the same call (the hook's staged diff, see early-start.ts) is taken
 * over instead of starting another.
 */
export function streamGit(cwd: string, args: string[], onChunk: (chunk: Buffer) => void, input?: string): Promise<void> {
  const early = input === undefined ? takeEarlyGit(cwd, args) : undefined;
  if (early) return takeOver(early, args, onChunk);
  const git = startGit(cwd, args, onChunk);
  git.stdin.end(input ?? '');
  return git.done;
}

/** `streamGit` with its standard input left open, for a caller that feeds it as it goes. */
export function startGit(cwd: string, args: string[], onChunk: (chunk: Buffer) => void): { stdin: NodeJS.WritableStream; done: Promise<void> } {
  const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<void>((resolve, reject) => {
    let stderr = '';
    child.stdout.on('data', onChunk);
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (e) => reject(new ScanFailure(`cannot run git: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(gitFailure(args, stderr, code))));
  });
  child.stdin.on('error', () => undefined);
  return { stdin: child.stdin, done };
}

/** Takes over a git started early: what it printed so far first, then the rest as it comes (all in this tick). */
function takeOver(early: EarlyGit, args: string[], onChunk: (chunk: Buffer) => void): Promise<void> {
  const { child } = early;
  early.release();
  for (const chunk of early.stdout) onChunk(chunk);
  early.stdout = [];
  let stderr = early.stderr;
  child.stdout?.on('data', onChunk);
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString('utf8');
  });
  child.ref();
  child.stdout?.resume();
  return new Promise<void>((resolve, reject) => {
    const failed = (e: Error) => reject(new ScanFailure(`cannot run git: ${e.message}`));
    if (early.error) return failed(early.error);
    child.once('error', failed);
    void early.closed.then((code) => (code === 0 ? resolve() : reject(gitFailure(args, stderr, code))));
  });
}

/** A failed git as a one-line ScanFailure: git's own first line (`git: …`), else which command and its exit code. */
export function gitFailure(args: string[], stderr: string, code: number | null): ScanFailure {
  return new ScanFailure(firstLine(stderr) || `git ${args.filter((a) => !a.startsWith('-') && !a.includes('=')).slice(0, 2).join(' ')} failed (exit ${code})`);
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim()) ?? '';
  return line.replace(/^(fatal|error): /, 'git: ').trim();
}

/** Reads blobs by id through one `git cat-file --batch`; `onBlob(i, null)` for one git does not have. */
export async function readBlobs(cwd: string, ids: string[], onBlob: (index: number, data: Buffer | null) => void): Promise<void> {
  let index = 0;
  const batch = catFileBatch(cwd, (_id, data) => onBlob(index++, data && Buffer.from(data)));
  batch.stdin.end(ids.join('\n') + '\n');
  await batch.done;
}

/**
 * A streamed `git cat-file --batch`: write object ids (one a line) to `stdin` at any time; each
 * object is handed to `onObject` as it arrives, in order, `null` for one git does not have. `data`
 * is a view into the read buffer, valid only during the call (copy it to keep it).
 */
export function catFileBatch(cwd: string, onObject: (id: string, data: Buffer | null, type: string) => void, args: string[] = []): ReturnType<typeof startGit> {
  // Chunks are kept in a list and joined once a whole header or object is there: joining on every
  // chunk would copy a large object over and over.
  let chunks: Buffer[] = [];
  let buffered = 0;
  let id = '';
  let type = '';
  let need = -1; // bytes of content still expected for the current object, -1 while reading a header
  // The first `n` bytes: a view when they lie in one chunk, else a copy of just those bytes (the
  // rest of the last chunk they reach stays where it is).
  const take = (n: number): Buffer => {
    buffered -= n;
    const first = chunks[0];
    if (first.length >= n) {
      if (first.length === n) chunks.shift();
      else chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    while (at < n) {
      const c = chunks[0];
      const part = Math.min(c.length, n - at);
      c.copy(out, at, 0, part);
      at += part;
      if (part === c.length) chunks.shift();
      else chunks[0] = c.subarray(part);
    }
    return out;
  };
  const drain = () => {
    for (;;) {
      if (need < 0) {
        let nl = -1;
        if (chunks.length) {
          if (chunks.length > 1 && chunks[0].indexOf(10) < 0) chunks = [Buffer.concat(chunks)];
          nl = chunks[0].indexOf(10);
        }
        if (nl < 0) return;
        const header = take(nl + 1).toString('latin1', 0, nl);
        const parts = header.split(' ');
        [id, type] = parts;
        if (parts.length !== 3) {
          onObject(id, null, type); // `<id> missing`, `<id> ambiguous`
          continue;
        }
        need = parseInt(parts[2], 10);
      }
      if (buffered < need + 1) return;
      onObject(id, take(need + 1).subarray(0, need), type);
      need = -1;
    }
  };
  return startGit(cwd, ['cat-file', '--batch', ...args], (chunk) => {
    chunks.push(chunk);
    buffered += chunk.length;
    drain();
  });
}
