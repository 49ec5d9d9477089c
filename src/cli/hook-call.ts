// Which command lines take the hooks' fast path (./hook-fast-path.ts): exactly the ones installed
// hooks run, with no flag. Kept apart, with no imports, so that the bin decides before loading
// anything else.

export type FastHookCall = { command: 'staged' } | { command: 'pre-receive' } | { command: 'commit-msg'; file: string };

/** The hook call `args` (the command line after `mirra-scan`) is, or undefined for any other. */
export function fastHookCall(args: readonly string[]): FastHookCall | undefined {
  if (args.length === 1 && (args[0] === 'staged' || args[0] === 'pre-receive')) return { command: args[0] };
  // A message file that looks like a flag is left to the full CLI, which parses it as commander does.
  if (args.length === 2 && args[0] === 'commit-msg' && args[1] !== '' && !args[1].startsWith('-')) return { command: 'commit-msg', file: args[1] };
  return undefined;
}
