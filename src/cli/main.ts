#!/usr/bin/env node
// mirra-scan: wires the command line to the parts. Every failure ends in a one-line reason and
// exit code 2, never a stack trace. Everything written goes through the one masking (./output.ts);
// both are set up by ./process-guard.ts.

import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { PACKAGE, TOOL } from '../version.js';
import { assertSafeApiUrl } from '../verify/url.js';
import { closestCommand } from './did-you-mean.js';
import { prepareReportFile } from './report-file.js';
import { EXIT_CANNOT_SCAN } from './exit-codes.js';
import { answerHookCheck } from './hook-check.js';
import { fail, guardProcess, run } from './process-guard.js';

guardProcess();

const program = new Command('mirra-scan')
  .description('Find Mirra API keys in files, staged changes, commit ranges and history.')
  .version(TOOL.version, '-V, --version')
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

type RunAction = (action: () => Promise<number>) => Promise<void>;
type Register = (program: Command, run: RunAction) => void;

// Commands, one module each under ./commands/. A hook runs one command on every commit, so only the
// command asked for is loaded; help and the default `scan` load them all.
const COMMANDS: Record<string, () => Promise<Register>> = {
  scan: async () => (await import('./commands/scan.js')).registerScanCommand,
  staged: async () => (await import('./commands/staged.js')).registerStagedCommand,
  'commit-msg': async () => (await import('./commands/commit-msg.js')).registerCommitMsgCommand,
  'pre-push': async () => (await import('./commands/pre-push.js')).registerPrePushCommand,
  'pre-receive': async () => (await import('./commands/pre-receive.js')).registerPreReceiveCommand,
  install: async () => (await import('./commands/install.js')).registerInstallCommand,
  diff: async () => (await import('./commands/diff.js')).registerDiffCommand,
  ci: async () => (await import('./commands/ci.js')).registerCiCommand,
  history: async () => (await import('./commands/history.js')).registerHistoryCommand,
  baseline: async () => (await import('./commands/baseline.js')).registerBaselineCommand,
  verify: async () => (await import('./commands/verify.js')).registerVerifyCommand,
};

program.addHelpText(
  'after',
  `
Bare \`mirra-scan [PATH...]\` is \`mirra-scan scan [PATH...]\`: it scans files and folders (default: the
current folder). \`mirra-scan <command> --help\` shows a command's options.

Exit codes:
  0  nothing found
  1  at least one Mirra key found (verify: a key is live)
  2  the scan could not be done (bad flag, not a git repository, unreadable input); one line on stderr

Docs: ${PACKAGE.homepage}#readme`,
);

const asked = process.argv.slice(2).find((a) => !a.startsWith('-'));

answerHookCheck(asked);

// A word that is no command, no file and one or two letters away from a command is a typo, not a path
// to scan: `mirra-scan scna` says so instead of "cannot read scna".
if (asked !== undefined && !Object.hasOwn(COMMANDS, asked) && !fs.existsSync(asked)) {
  const near = closestCommand(asked, Object.keys(COMMANDS));
  if (near) fail(`unknown command ${JSON.stringify(asked)}: did you mean \`${near}\`? (a path to scan must exist; see mirra-scan --help)`);
}
const wanted = asked !== undefined && asked !== 'scan' && Object.hasOwn(COMMANDS, asked) ? [asked] : Object.keys(COMMANDS);
for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]()))) register(program, run);

// A bad --api-url is refused before any scan starts, and before anything could be sent; so is a
// report file that could not be written (its missing folders are created first).
program.hook('preAction', (_program, command) => {
  const { apiUrl, output, sarifOutput } = command.opts<{ apiUrl?: string; output?: string; sarifOutput?: string }>();
  if (apiUrl !== undefined) assertSafeApiUrl(apiUrl);
  for (const [flag, file] of [['--output', output], ['--sarif-output', sarifOutput]] as const) if (file !== undefined) prepareReportFile(flag, file);
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
