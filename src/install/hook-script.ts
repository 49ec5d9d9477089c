// The shell lines `mirra-scan install` puts into each git hook (husky runs them with `sh -e`, from the
// root of the worktree git is committing in). Each hook gets one marked block, replaced on the next
// install and appended to a hook the user already has, so the user's own lines stay.
//
// Which hook guards which git command (git 2.39; docs/hooks.md has the table):
// - pre-commit: `git commit`; pre-merge-commit: a merge that commits at once.
// - prepare-commit-msg: the commits git's sequencer makes without pre-commit (`git revert`,
//   `git cherry-pick`, every commit of `git rebase`, `--continue` of each). git runs it for
//   `git commit` too, even with --no-verify: there the block does nothing (pre-commit already scanned,
//   or the user asked to skip it).
// - pre-applypatch: `git am` (and `git rebase --apply`), after the patch is in the index.
// - post-checkout: `git worktree add`, which runs it in the new worktree: it copies husky's own hook
//   folder (gitignored, so a new worktree lacks it) so that git finds the hooks there too.

/** The hooks mirra-scan can write. */
export type HookName =
  | 'pre-commit'
  | 'pre-merge-commit'
  | 'prepare-commit-msg'
  | 'pre-applypatch'
  | 'post-checkout'
  | 'commit-msg'
  | 'pre-push';

/** The hooks every install writes; commit-msg and pre-push are asked for. */
export const ALWAYS_HOOKS: HookName[] = ['pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'pre-applypatch', 'post-checkout'];

export const MARK_BEGIN = (hook: HookName): string => `# >>> mirra-scan ${hook} >>>`;
export const MARK_END = (hook: HookName): string => `# <<< mirra-scan ${hook} <<<`;

const WHAT: Record<HookName, string> = {
  'pre-commit': 'commit',
  'pre-merge-commit': 'merge commit',
  'prepare-commit-msg': 'commit',
  'pre-applypatch': 'patch (git am)',
  'post-checkout': 'checkout',
  'commit-msg': 'commit',
  'pre-push': 'push',
};

/**
 * Finds the mirra-scan bin the way the package manager put it there: node_modules/.bin of the
 * package folder or of any folder above it (npm, yarn v1 and bun workspaces hoist bins to the root).
 * A linked worktree without its own node_modules falls back to the main worktree's.
 */
function findBinLines(subdir: string): string[] {
  const inMain = subdir ? `"$main"/${shQuote(subdir)}` : '"$main"';
  return [
    '  find_bin() {',
    '    d=$1',
    '    while :; do',
    '      if [ -x "$d/node_modules/.bin/mirra-scan" ]; then echo "$d/node_modules/.bin/mirra-scan"; return 0; fi',
    '      up=$(dirname "$d"); [ "$up" = "$d" ] && return 1; d=$up',
    '    done',
    '  }',
    '  bin=$(find_bin "$PWD") || {',
    '    main=$(git rev-parse --path-format=absolute --git-common-dir 2>/dev/null) && main=$(dirname "$main")',
    `    bin=$( [ -n "$main" ] && find_bin ${inMain}) || bin=`,
    '  }',
  ];
}

/**
 * prepare-commit-msg decides whether this commit was already scanned: git runs it for every commit,
 * but only the sequencer's commits (revert, cherry-pick, rebase, and `git commit` while one of them is
 * in progress) skip pre-commit. The git commands above this hook come from the process tree; when
 * that cannot be read, it scans (fails closed).
 */
const SEQUENCER_LINES = [
  '  g=$(git rev-parse --git-dir 2>/dev/null) || g=.git',
  '  scan=',
  '  for f in CHERRY_PICK_HEAD REVERT_HEAD sequencer rebase-merge rebase-apply; do [ -e "$g/$f" ] && scan=$f; done',
  '  if [ -z "$scan" ]; then',
  '    # The processes above this one, up to the first one that is not git once git was seen: command',
  '    # line and parent from /proc (builtins and one tr; ps reads every process and costs tens of ms),',
  '    # or from ps where there is no /proc.',
  '    chain=; pid=$PPID; n=0; set -f',
  '    while [ "$n" -lt 12 ] && [ "${pid:-0}" -gt 1 ] 2>/dev/null; do',
  '      if [ -r "/proc/$pid/cmdline" ]; then',
  '        set -- $(tr "\\000" " " < "/proc/$pid/cmdline" 2>/dev/null)',
  '        read -r _ _ _ ppid _ < "/proc/$pid/stat" 2>/dev/null || ppid=0',
  '      else',
  '        set -- $(ps -o args= -p "$pid" 2>/dev/null)',
  '        ppid=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d " ") || ppid=0',
  '      fi',
  '      [ $# -gt 0 ] || { chain="$chain ?"; break; }',
  '      case ${1##*/} in',
  '        git|git.exe)',
  '          shift',
  '          while [ $# -gt 0 ]; do case $1 in -c|-C|--git-dir|--work-tree|--namespace) shift; [ $# -gt 0 ] && shift ;; -*) shift ;; *) break ;; esac; done',
  '          chain="$chain ${1:-?}"',
  '          case ${1:-?} in commit|merge) ;; *) break ;; esac ;;',
  '        *) [ -n "$chain" ] && break ;;',
  '      esac',
  '      pid=$ppid',
  '      n=$((n + 1))',
  '    done',
  '    case "$chain " in',
  '      *" revert "*|*" cherry-pick "*|*" rebase "*|*" am "*) scan=${chain# } ;;',
  '      " commit "*|" merge "*) ;;',
  '      *) scan=${chain# }; scan=${scan:-unknown} ;;',
  '    esac',
  '  fi',
  '  [ -n "$scan" ] || exit 0',
];

/** The lines mirra-scan puts in one hook. */
export function hookBlock(hook: HookName, subdir: string, huskyDir = subdir ? `${subdir}/.husky` : '.husky'): string {
  const lines = [
    MARK_BEGIN(hook),
    `# Written by \`mirra-scan install\` (running it again replaces this block): ${purpose(hook)}`,
    '(',
  ];
  if (hook === 'post-checkout') {
    // `git worktree add` runs this in the new worktree ($3 = 1), from the hooks folder of the worktree
    // it was called in ($0 is then absolute): copy that folder's husky `_` so git finds hooks here too.
    const own = shQuote(`${huskyDir}/_`);
    lines.push(
      `  [ "$3" = 1 ] && [ ! -e ${own}/h ] || exit 0`,
      '  from=$(dirname "$0")/_',
      `  [ -f "$from/h" ] && mkdir -p ${own} && cp -R "$from"/. ${own}/ && echo "mirra-scan: hooks set up in this worktree ($PWD)" >&2`,
      '  exit 0',
      ')',
      MARK_END(hook),
    );
    return lines.join('\n') + '\n';
  }
  const unchecked = `so this ${WHAT[hook]} was not checked for Mirra API keys and is stopped`;
  const command = {
    'pre-commit': '"$bin" staged',
    'pre-merge-commit': '"$bin" staged',
    'prepare-commit-msg': '"$bin" staged',
    'pre-applypatch': '"$bin" staged',
    'commit-msg': '"$bin" commit-msg "$msg"',
    'pre-push': '"$bin" pre-push "$@"',
  }[hook];
  const skip = { 'pre-push': 'git push --no-verify', 'pre-applypatch': 'HUSKY=0 git am …', 'prepare-commit-msg': 'HUSKY=0 git …' }[hook as string] ?? 'git commit --no-verify';
  if (hook === 'prepare-commit-msg') lines.push(...SEQUENCER_LINES);
  if (hook === 'commit-msg') lines.push('  msg=$1; case $msg in /*) ;; *) msg="$PWD/$msg" ;; esac');
  if (subdir) {
    lines.push(`  cd ${shQuote(subdir)} || { echo "mirra-scan: cannot enter ${shEcho(subdir)}, ${unchecked}." >&2; exit 2; }`);
  }
  lines.push(
    ...findBinLines(subdir),
    '  if [ -z "$bin" ]; then',
    `    echo "mirra-scan: node_modules/.bin/mirra-scan is missing (looked in $PWD and the folders above it), ${unchecked}. Run your package manager's install in $PWD (eslint-plugin-mirra is a devDependency), then try again." >&2`,
    '    exit 2',
    '  fi',
    '  code=0',
    `  ${command} || code=$?`,
    '  case $code in',
    '    0) ;;',
  );
  if (hook === 'prepare-commit-msg') {
    lines.push(
      '    1) case $scan in',
      '         *cherry-pick*|CHERRY_PICK_HEAD) undo="git cherry-pick --abort" ;;',
      '         *revert*|REVERT_HEAD) undo="git revert --abort" ;;',
      '         *rebase*) undo="git rebase --abort" ;;',
      '         *) undo="git reset (keeps your files)" ;;',
      '       esac',
      '       echo "mirra-scan: this commit was stopped before git made it (git: $scan). Take the key out, \\`git add\\` the file and run the same command with --continue, or \\`$undo\\` to give up." >&2',
      '       exit 1 ;;',
    );
  } else if (hook === 'pre-applypatch') {
    lines.push(
      '    1) echo "mirra-scan: git am stopped before committing this patch. Take the key out, \\`git add\\` the file and run \\`git am --continue\\`, or \\`git am --abort\\` to give up." >&2',
      '       exit 1 ;;',
    );
  } else {
    lines.push('    1) exit 1 ;;');
  }
  lines.push(
    `    126|127) echo "mirra-scan: could not start mirra-scan (exit $code: is node on the PATH that git hooks see? husky reads ~/.config/husky/init.sh), ${unchecked}." >&2; exit 2 ;;`,
    `    *) echo "mirra-scan: the scan itself failed (exit $code, reason above), ${unchecked} rather than let through unchecked. Fix the cause and try again; \\\`${skip}\\\` skips this check." >&2; exit 2 ;;`,
    '  esac',
    ')',
    MARK_END(hook),
  );
  return lines.join('\n') + '\n';
}

function purpose(hook: HookName): string {
  switch (hook) {
    case 'prepare-commit-msg':
      return 'stops a revert, cherry-pick or rebase commit that would add a Mirra API key (they skip pre-commit).';
    case 'pre-applypatch':
      return 'stops `git am` from committing a patch that adds a Mirra API key.';
    case 'post-checkout':
      return 'sets the hooks up in a new linked worktree (`git worktree add`).';
    default:
      return `stops a ${WHAT[hook]} that would add a Mirra API key.`;
  }
}

/** Puts `block` into a hook's text: replaces an earlier mirra-scan block, else appends to what is there. */
export function withHookBlock(existing: string | null, hook: HookName, block: string): { text: string; action: 'created' | 'appended' | 'updated' | 'unchanged' } {
  if (existing === null || existing.trim() === '') return { text: block, action: 'created' };
  const begin = existing.indexOf(MARK_BEGIN(hook));
  const endMark = MARK_END(hook);
  const end = begin >= 0 ? existing.indexOf(endMark, begin) : -1;
  if (begin >= 0 && end >= 0) {
    let after = end + endMark.length;
    if (existing[after] === '\n') after++;
    const text = existing.slice(0, begin) + block + existing.slice(after);
    return { text, action: text === existing ? 'unchanged' : 'updated' };
  }
  const sep = existing.endsWith('\n') ? '\n' : '\n\n';
  return { text: existing + sep + block, action: 'appended' };
}

export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Text safe inside a double-quoted echo. */
function shEcho(s: string): string {
  return s.replace(/[\\"$`]/g, '\\$&');
}
