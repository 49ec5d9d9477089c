// Git plumbing: the short git calls whose whole answer is a few lines (the repository's root and git
// paths, `rev-parse`, `merge-base`, config reads, shallow checks, refs, the hooks path), through
// simple-git. The hot streams (`diff`, `log -p`, `cat-file --batch`) stay streamed git processes
// (./process.ts). simple-git is imported on first use, so a command that asks no plumbing question
// (the clean pre-commit hook) never loads it.
//
// Two things differ from simple-git's defaults, both so that a call here means what `git` on the
// command line means:
// - its environment guard drops every ambient GIT_* variable unless allowed; a hook runs with
//   GIT_DIR, GIT_INDEX_FILE (a temporary index for `git commit -a`), GIT_CONFIG_PARAMETERS and, in
//   pre-receive, the quarantine's GIT_OBJECT_DIRECTORY, so they are all passed on as git set them;
// - it reports a failure only when git wrote to stderr; here any exit but 0 is a failure (with git's
//   own first line, as a streamed git's), so a failing git fails closed, and `gitMaybe` is the one
//   way to read "no such thing" (exit 1, nothing on stderr: `rev-parse -q --verify`, `config --get`).

import type { SimpleGit } from 'simple-git';
import { ScanFailure } from '../../errors.js';
import { gitFailure } from './process.js';

let loading: Promise<typeof import('simple-git')> | undefined;

/** How git ended, as simple-git's error handler saw it (it wraps whatever error it is given). */
interface Exit {
  code: number;
  stderr: string;
}

/** A client for one call, and how that call's git ended when it failed. */
async function client(cwd: string): Promise<{ git: SimpleGit; exit: () => Exit | undefined }> {
  const { simpleGit } = await (loading ??= import('simple-git'));
  let exit: Exit | undefined;
  const git = simpleGit({
    baseDir: cwd,
    allowEnvironment: Object.keys(process.env).filter((name) => /^git_/i.test(name)),
    errors: (error, { exitCode, stdErr }) => {
      if (!exitCode) return error;
      exit = { code: exitCode, stderr: Buffer.concat(stdErr).toString('utf8') };
      return error ?? new Error(`exit ${exitCode}`);
    },
  });
  return { git, exit: () => exit };
}

/** What git prints for `args` in `cwd`; any exit but 0 is a ScanFailure with git's own words. */
export async function gitAnswer(cwd: string, args: string[]): Promise<string> {
  const answer = await gitMaybe(cwd, args);
  if (answer === null) throw gitFailure(args, '', 1);
  return answer;
}

/** `gitAnswer`, but null when git says "no such thing": exit 1 with nothing on stderr. */
export async function gitMaybe(cwd: string, args: string[]): Promise<string | null> {
  let call: Awaited<ReturnType<typeof client>>;
  try {
    call = await client(cwd);
  } catch (e) {
    throw new ScanFailure(`cannot run git: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return await call.git.raw(args);
  } catch (e) {
    const exit = call.exit();
    // No exit status of git's own (0 to 255): git did not run (not found, refused before the start).
    if (!exit || exit.code < 0 || exit.code > 255) throw new ScanFailure(`cannot run git: ${whyNotRun(e)}`);
    if (exit.code === 1 && !exit.stderr.trim()) return null;
    throw gitFailure(args, exit.stderr, exit.code);
  }
}

/** The first line of simple-git's error, without its `Error: ` (`spawn git ENOENT`), never a stack. */
function whyNotRun(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return (message.split('\n').find((l) => l.trim()) ?? '').replace(/^(\w*Error: )+/, '').trim();
}

/** Fails with git's own reason (`not a git repository`, …) when `cwd` is not in a repository. */
export async function assertGitRepository(cwd: string): Promise<void> {
  await gitAnswer(cwd, ['rev-parse', '--git-dir']);
}
