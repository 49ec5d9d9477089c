// The arguments of the git calls that print patches, in a module of their own so that the hook's
// early start (src/cli/bin.ts) can build them without loading the scanner.

/** Git itself, with settings that keep its output parseable whatever the user's config says. */
export function gitArgs(args: string[]): string[] {
  return ['-c', 'core.quotePath=true', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', '-c', 'color.ui=false', ...args];
}

/** Options every patch-printing git call needs, so the output is the same on any machine. */
export const PATCH_ARGS = ['-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--full-index', '-M', '-C'];

/**
 * What `staged` asks git for. `--diff-filter=d` leaves deletions out (they add nothing, and a big
 * deletion would print every line); renames and copies stay, and only their added lines count.
 * `--no-relative` keeps paths root-relative whatever `diff.relative` says. GIT_INDEX_FILE is
 * inherited, so `git commit -a` / `git commit PATH` (which build a temporary index before running
 * the hook) are scanned as they will be committed.
 */
export const STAGED_DIFF_ARGS = ['diff', '--cached', '--no-relative', '--diff-filter=d', '--ignore-submodules=dirty', ...PATCH_ARGS];
