// The names of mirra-scan's commands, and which of them a command line needs. Kept apart, with no
// imports, so that the bin decides which bundle to load before loading anything else: a call that
// runs `scan` (the default command) loads the scan path alone (./scan-main.ts), any other call the
// full command line (./main.ts).

export const COMMAND_NAMES = ['scan', 'staged', 'commit-msg', 'pre-push', 'pre-receive', 'install', 'diff', 'ci', 'history', 'baseline', 'verify'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The command-line word that names the command: the first argument that is not a flag. */
export const askedWord = (args: readonly string[]): string | undefined => args.find((a) => !a.startsWith('-'));

const isCommandName = (word: string | undefined): word is CommandName => (COMMAND_NAMES as readonly string[]).includes(word ?? '');

/**
 * The commands that must be registered for `args` (the command line after `mirra-scan`): the one it
 * names; `scan` alone when it names none (commander sends anything that is no registered command's name
 * to the default command, so no other command could run); all of them for help, which lists them.
 */
export function commandsFor(args: readonly string[]): readonly CommandName[] {
  const asked = askedWord(args);
  if (isCommandName(asked)) return [asked];
  return asked === 'help' || args.some((a) => a === '--help' || a === '-h') ? COMMAND_NAMES : ['scan'];
}

/** Whether `args` runs `scan` and nothing else needs loading (the bin then loads the scan path only). */
export const runsScanOnly = (args: readonly string[]): boolean => {
  const wanted = commandsFor(args);
  return wanted.length === 1 && wanted[0] === 'scan';
};
