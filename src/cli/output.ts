// Every byte mirra-scan writes to stdout and stderr goes through one masking function: reports,
// one-line reasons, warnings, the argument parser's own messages, anything a library prints. The
// streams are wrapped once, when the CLI starts; the only way around the mask is `reportStdout`,
// which the report uses: `writeReport` masks it itself (the same function, once), unless `--reveal`.

import { maskSecrets } from '../detector/index.js';

type Write = NodeJS.WriteStream['write'];

const unmasked = new WeakMap<NodeJS.WriteStream, Write>();

/** Wraps `process.stdout` and `process.stderr` so that whatever is written to them is masked. */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (unmasked.has(stream)) continue;
    const write = stream.write.bind(stream) as Write;
    unmasked.set(stream, write);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return (write as (c: string, ...r: unknown[]) => boolean)(maskSecrets(text), ...rest.filter((r) => typeof r === 'function'));
    }) as Write;
  }
}

/** Standard output without the wrapper: only for the report, which `writeReport` masks unless `--reveal`. */
export const reportStdout = {
  write(text: string): boolean {
    return (unmasked.get(process.stdout) ?? process.stdout.write.bind(process.stdout))(text);
  },
};
