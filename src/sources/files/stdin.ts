// Standard input: read whole where it is small (the pre-push hook's ref lines), or streamed a
// window at a time for `scan -`, so a piped file of any size is scanned in bounded memory.

import fs from 'node:fs';
import { UsageError } from '../../errors.js';

export async function readStdin(): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads the next bytes of standard input into `buf`; 0 at its end. Synchronous, so the windowed
 * scanner can pull from it as it pulls from a file. A pipe some other program left non-blocking
 * gives EAGAIN while it is empty: then this waits a little and reads again.
 */
export function readStdinChunk(buf: Buffer): number {
  for (;;) {
    try {
      return fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 5);
      else if (code === 'EOF') return 0; // Windows' end of a pipe
      else throw new UsageError(`cannot read standard input (${code ?? 'error'})`);
    }
  }
}
