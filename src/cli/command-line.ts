// mirra-scan's command line: wires the flags to the parts, for whichever commands the bundle that
// calls it holds (./main.ts: every command, each loaded only when asked; ./scan-main.ts: `scan`).
// Every failure ends in a one-line reason and exit code 2, never a stack trace. Everything written
// goes through the one masking (./output.ts); both are set up by ./process-guard.ts.

import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { UsageError } from '../errors.js';
import { PACKAGE, TOOL } from '../version.js';
import { assertSafeApiUrl } from '../verify/url.js';
import { askedWord, COMMAND_NAMES, commandsFor, type CommandName } from './command-names.js';
import { closestCommand } from './did-you-mean.js';
import { prepareReportFile } from './report-file.js';
import { EXIT_CANNOT_SCAN } from './exit-codes.js';
import { answerHookCheck } from './hook-check.js';
import { fail, guardProcess, run } from './process-guard.js';

type RunAction = (action: () => Promise<number>) => Promise<void>;
export type Register = (program: Command, run: RunAction) => void;
/** How to load each command's registration (its module under ./commands/). */
export type CommandLoaders = Partial<Record<CommandName, () => Promise<Register>>>;

/** Parses process.argv and runs the command asked for; `commands` must hold every one it can need. */
export async function runCommandLine(commands: CommandLoaders): Promise<void> {
  guardProcess();

  const program = new Command('mirra-scan')
    .description('Find Mirra API keys in files, staged changes, commit ranges and history.')
    .version(TOOL.version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

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

  const args = process.argv.slice(2);
  const asked = askedWord(args);

  answerHookCheck(asked);

  // A word that is no command, no file and one or two letters away from a command is a typo, not a path
  // to scan: `mirra-scan scna` says so instead of "cannot read scna".
  if (asked !== undefined && !(COMMAND_NAMES as readonly string[]).includes(asked) && !fs.existsSync(asked)) {
    const near = closestCommand(asked, COMMAND_NAMES);
    if (near) fail(`unknown command ${JSON.stringify(asked)}: did you mean \`${near}\`? (a path to scan must exist; see mirra-scan --help)`);
  }
  // Only the commands this call can run are loaded (a hook runs one on every commit); help loads them all.
  const loaders = commandsFor(args).map((name) => {
    const load = commands[name];
    if (!load) throw new Error(`the command ${name} is not in this bundle`); // a build error: the bin picks the bundle
    return load;
  });
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program, run);

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
}
