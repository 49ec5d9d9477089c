#!/usr/bin/env node
// mirra-scan: wires the command line to the parts. Every failure ends in a one-line reason and
// exit code 2, never a stack trace (set MIRRA_SCAN_DEBUG=1 to see one).

import { Command, CommanderError } from 'commander';
import { ScanFailure, UsageError } from '../errors.js';
import { TOOL } from '../version.js';
import { assertSafeApiUrl } from '../verify/index.js';
import { registerScanCommand } from './commands/scan.js';
import { registerStagedCommand } from './commands/staged.js';
import { registerCommitMsgCommand } from './commands/commit-msg.js';
import { registerPrePushCommand } from './commands/pre-push.js';
import { registerInstallCommand } from './commands/install.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerCiCommand } from './commands/ci.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerBaselineCommand } from './commands/baseline.js';
import { registerVerifyCommand } from './commands/verify.js';
import { EXIT_CANNOT_SCAN } from './exit-codes.js';

function fail(message: string): never {
  process.stderr.write(`mirra-scan: ${message}\n`);
  process.exit(EXIT_CANNOT_SCAN);
}

/** Runs a command's action and turns its outcome into the process's exit code. */
async function run(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e) {
    if (process.env.MIRRA_SCAN_DEBUG) console.error(e);
    if (e instanceof UsageError || e instanceof ScanFailure) fail(e.message);
    fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const program = new Command('mirra-scan')
  .description('Find Mirra API keys in files, staged changes, commit ranges and history.')
  .version(TOOL.version, '-V, --version')
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

// Commands (one module each under ./commands/).
registerScanCommand(program, run);
registerStagedCommand(program, run);
registerCommitMsgCommand(program, run);
registerPrePushCommand(program, run);
registerInstallCommand(program, run);
registerDiffCommand(program, run);
registerCiCommand(program, run);
registerHistoryCommand(program, run);
registerBaselineCommand(program, run);
registerVerifyCommand(program, run);

// A bad --api-url is refused before any scan starts, and before anything could be sent.
program.hook('preAction', (_program, command) => {
  const { apiUrl } = command.opts<{ apiUrl?: string }>();
  if (apiUrl !== undefined) assertSafeApiUrl(apiUrl);
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exit(e.exitCode === 0 ? 0 : EXIT_CANNOT_SCAN);
  }
  if (e instanceof UsageError) fail(e.message);
  fail(`unexpected error: ${e instanceof Error ? e.message : String(e)}`);
}
