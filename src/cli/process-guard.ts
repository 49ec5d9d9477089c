// What every run of the CLI sets up before it does anything else, whichever way it starts (the full
// command line in ./command-line.ts, or a hook's fast path in ./hook-fast-path.ts): every byte written goes
// through the one masking (./output.ts), and every failure ends in a one-line reason and exit code 2,
// never a stack trace.

import { ScanFailure, UsageError } from '../errors.js';
import { printable } from '../report/text.js';
import { EXIT_CANNOT_SCAN } from './exit-codes.js';
import { guardOutput } from './output.js';

/** Ends the process with a one-line reason on stderr and exit code 2. */
export function fail(message: string): never {
  // A key can reach a message through what the user typed (a path, a revision, a URL): the guarded
  // stream masks it.
  // Control characters are escaped (a name cannot restyle the terminal); a reason that quotes a
  // tool's own lines (npm's error, from install) keeps its line breaks.
  process.stderr.write(`mirra-scan: ${message.split('\n').map(printable).join('\n')}\n`);
  process.exit(EXIT_CANNOT_SCAN);
}

/** Runs a command's action and turns its outcome into the process's exit code. */
export async function run(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScanFailure) fail(e.message);
    fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Masks both output streams and turns anything thrown outside an action into `fail`. */
export function guardProcess(): void {
  guardOutput();
  // Nothing escapes as a stack trace: an error thrown outside a command's action ends like any other.
  process.on('uncaughtException', (e) => fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`));
  process.on('unhandledRejection', (e) => fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`));
  // A reader that stops early (`mirra-scan … | head`) is not an error of ours: end quietly, keeping the exit code.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    fail(`cannot write the report: ${e.code ?? e.message}`);
  });
}
