// Which commits a CI run is about, from the CI's own environment: GitHub Actions (the push's
// before..after, a pull request's base..head, a merge queue entry), GitLab CI (the merge request's
// diff base, the push's CI_COMMIT_BEFORE_SHA), the systems of ./ci-systems.ts, else `--since REF`. A new branch (before = all zeros) or a force push whose
// old tip is gone scans the commits no other remote branch has. A shallow clone that lacks part of
// the range is a ScanFailure saying how to fetch enough history: never a silent pass.

import fs from 'node:fs';
import { ScanFailure, UsageError } from '../../errors.js';
import { OTHER_SYSTEMS, otherSystemRange, SHALLOW_FIX } from './ci-systems.js';
import { touchesShallowBoundary } from './commits.js';
import { gitAnswer } from './plumbing.js';
import { gitArgs, streamGit } from './process.js';
import { OBJECT_ID, ZERO_ID } from './object-id.js';

export type CiProvider = 'github' | 'gitlab' | 'bitbucket' | 'azure' | 'jenkins' | 'circleci' | 'buildkite' | 'since';

export interface CiRange {
  provider: CiProvider;
  /** Revision arguments for `git log` (empty: nothing to scan, e.g. a deleted branch). */
  revisions: string[];
  /** One line for the log: where the range came from. */
  description: string;
  /**
   * The commit the range starts from (its commits are not in the range), when there is one: the
   * security mode reads its rules there. Null for a new branch or a force push whose base is gone.
   */
  base: string | null;
}

export interface CiRangeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--since REF`: scan REF..HEAD, whatever the environment says. */
  since?: string;
}

/** What a provider's users must do to get enough history. */
export function shallowFix(provider: CiProvider): string {
  switch (provider) {
    case 'github':
      return 'set `fetch-depth: 0` on actions/checkout (or run `git fetch --unshallow` before mirra-scan)';
    case 'gitlab':
      return 'set `GIT_DEPTH: 0` in the job\'s variables (or run `git fetch --unshallow` before mirra-scan)';
    default:
      return SHALLOW_FIX[provider] ?? 'run `git fetch --unshallow` (or fetch deep enough to include the range) before mirra-scan';
  }
}

/** A range request before it is checked against the clone. */
export interface Wanted {
  provider: CiProvider;
  /** Base of the range; null when there is none (a new branch). */
  base: string | null;
  head: string;
  /** For a missing base: scan what no other remote branch has instead (a push), or fail (a PR). */
  fallbackToNewBranch: boolean;
  /** The pushed branch, left out of "other remote branches" for a new branch. */
  branch?: string;
  what: string;
}

export async function discoverCiRange(options: CiRangeOptions): Promise<CiRange> {
  const wanted = wantedRange(options);
  if (!wanted) return { provider: 'github', revisions: [], description: 'the push deleted a branch: nothing to scan', base: null };
  return checkAgainstClone(options.cwd, wanted);
}

function wantedRange(options: CiRangeOptions): Wanted | null {
  const { env } = options;
  if (options.since !== undefined) {
    if (!options.since || options.since.startsWith('-')) throw new UsageError(`--since: not a revision: ${JSON.stringify(options.since)}`);
    return { provider: 'since', base: options.since, head: 'HEAD', fallbackToNewBranch: false, what: `--since ${options.since}` };
  }
  if (env.GITHUB_ACTIONS === 'true') return githubRange(env);
  if (env.GITLAB_CI === 'true') return gitlabRange(env);
  const other = otherSystemRange(env);
  if (other) return other;
  throw new UsageError(`ci: no CI environment recognised (GitHub Actions, GitLab CI, ${OTHER_SYSTEMS}); pass --since REF to scan REF..HEAD`);
}

function githubRange(env: NodeJS.ProcessEnv): Wanted | null {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (eventName === 'push') {
    const head = str(event.after) ?? env.GITHUB_SHA;
    const before = str(event.before);
    if (!head) throw new ScanFailure('ci: the GitHub push event has no "after" commit and GITHUB_SHA is not set');
    if (ZERO_ID.test(head) || event.deleted === true) return null;
    const ref = str(event.ref) ?? env.GITHUB_REF ?? '';
    const branch = ref.replace(/^refs\/(heads|tags)\//, '');
    const forced = event.forced === true ? ' (force push)' : '';
    if (!before || ZERO_ID.test(before)) {
      return { provider: 'github', base: null, head, fallbackToNewBranch: true, branch, what: `GitHub push of new ref ${branch || head}` };
    }
    return { provider: 'github', base: before, head, fallbackToNewBranch: true, branch, what: `GitHub push${forced} ${short(before)}..${short(head)}` };
  }
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = (event.pull_request ?? {}) as { base?: { sha?: unknown }; head?: { sha?: unknown }; number?: unknown };
    const base = str(pr.base?.sha);
    const head = str(pr.head?.sha);
    if (!base || !head) throw new ScanFailure('ci: the GitHub pull_request event has no pull_request.base.sha / head.sha');
    const number = typeof event.number === 'number' ? event.number : pr.number;
    return { provider: 'github', base, head, fallbackToNewBranch: false, what: `GitHub pull request${typeof number === 'number' ? ` #${number}` : ''} ${short(base)}..${short(head)}` };
  }
  if (eventName === 'merge_group') {
    const mg = (event.merge_group ?? {}) as { base_sha?: unknown; head_sha?: unknown };
    const base = str(mg.base_sha);
    const head = str(mg.head_sha);
    if (!base || !head) throw new ScanFailure('ci: the GitHub merge_group event has no merge_group.base_sha / head_sha');
    return { provider: 'github', base, head, fallbackToNewBranch: false, what: `GitHub merge queue ${short(base)}..${short(head)}` };
  }
  throw new UsageError(`ci: the GitHub event "${eventName || '(none)'}" has no commit range (push and pull_request have); pass --since REF`);
}

function readEvent(file: string | undefined): Record<string, unknown> {
  if (!file) throw new ScanFailure('ci: GITHUB_EVENT_PATH is not set, so the pushed range is unknown; pass --since REF');
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null) return parsed as Record<string, unknown>;
  } catch (e) {
    throw new ScanFailure(`ci: cannot read the GitHub event file ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  throw new ScanFailure(`ci: the GitHub event file ${file} is not a JSON object`);
}

function gitlabRange(env: NodeJS.ProcessEnv): Wanted {
  const head = env.CI_COMMIT_SHA;
  if (!head) throw new ScanFailure('ci: GitLab CI without CI_COMMIT_SHA; pass --since REF');
  const mrBase = env.CI_MERGE_REQUEST_DIFF_BASE_SHA;
  if (mrBase && !ZERO_ID.test(mrBase)) {
    const iid = env.CI_MERGE_REQUEST_IID ? ` !${env.CI_MERGE_REQUEST_IID}` : '';
    return { provider: 'gitlab', base: mrBase, head, fallbackToNewBranch: false, what: `GitLab merge request${iid} ${short(mrBase)}..${short(head)}` };
  }
  const branch = env.CI_COMMIT_BRANCH ?? env.CI_COMMIT_REF_NAME ?? '';
  const before = env.CI_COMMIT_BEFORE_SHA;
  if (!before || ZERO_ID.test(before)) {
    return { provider: 'gitlab', base: null, head, fallbackToNewBranch: true, branch, what: `GitLab pipeline for new ref ${branch || short(head)}` };
  }
  return { provider: 'gitlab', base: before, head, fallbackToNewBranch: true, branch, what: `GitLab push ${short(before)}..${short(head)}` };
}

async function checkAgainstClone(cwd: string, w: Wanted): Promise<CiRange> {
  const shallow = (await gitAnswer(cwd, gitArgs(['rev-parse', '--is-shallow-repository']))).trim() === 'true';
  const lacks = (what: string) =>
    new ScanFailure(`ci: ${what} is not in this ${shallow ? 'shallow ' : ''}clone, so the range cannot be scanned; ${shallow ? shallowFix(w.provider) : 'fetch it first (git fetch origin <ref>)'}`);
  const [head, base] = await resolveCommits(cwd, [w.head, w.base]);
  if (!head) throw lacks(`the commit to scan (${short(w.head)})`);

  let revisions: string[];
  let description = w.what;
  if (w.base && base) {
    revisions = [`${base}..${head}`];
  } else if (w.base && !w.fallbackToNewBranch) {
    throw lacks(`the base commit ${short(w.base)}`);
  } else if (w.base && shallow) {
    throw lacks(`the push's previous commit ${short(w.base)}`);
  } else {
    // A new branch, or a force push whose old tip this clone never had: what no other branch has.
    // The pushed branch's own remote-tracking ref is the push itself, and so is `origin/HEAD` in a plain
    // clone (it points at the default branch): neither may count as "already on a remote".
    const pushedAlong = (await branchesPushedAlong(cwd, head)).map((b) => `--exclude=${b}`);
    revisions = [head, '--not', ...(w.branch ? [`--exclude=*/${w.branch}`] : []), '--exclude=*/HEAD', ...pushedAlong, '--remotes'];
    if (w.base) description += ` (its previous commit ${short(w.base)} is gone, as after a force push: scanning the commits no other remote branch has)`;
    else description += ' (scanning the commits no other remote branch has)';
  }
  if (shallow && (await touchesShallowBoundary(cwd, revisions))) {
    throw new ScanFailure(`ci: this shallow clone stops inside the range to scan (${w.what}), so some commits are missing; ${shallowFix(w.provider)}`);
  }
  return { provider: w.provider, revisions, description, base: w.base && base ? base : null };
}

/**
 * Remote branches that may have come with the push being checked: those whose tip is the pushed
 * commit or one after it (`git push origin HEAD:a HEAD:b` creates two at one commit, and each run's
 * "what no other remote branch has" would otherwise be empty). The default branch (`origin/HEAD`'s
 * target) is not among them unless it is the pushed branch: a branch made from its tip has nothing new,
 * and when one push creates the default branch too, the default branch's own run scans those commits.
 * Names as `--exclude` takes them for `--remotes` (`origin/a`); git refuses glob characters in them.
 */
async function branchesPushedAlong(cwd: string, head: string): Promise<string[]> {
  const listed = (await gitAnswer(cwd, gitArgs(['for-each-ref', `--contains=${head}`, '--format=%(refname)%00%(symref)', 'refs/remotes/']))).split('\n').filter(Boolean);
  const refs = listed.map((l) => l.split('\0') as [string, string]);
  const defaults = new Set(refs.filter(([, target]) => target).map(([, target]) => target));
  return refs.filter(([ref, target]) => !target && !defaults.has(ref)).map(([ref]) => ref.slice('refs/remotes/'.length));
}

/** Full shas for each revision that names a commit this clone has (null where it does not). */
async function resolveCommits(cwd: string, revs: Array<string | null>): Promise<Array<string | null>> {
  const asked = revs.filter((r): r is string => r !== null);
  let out = '';
  await streamGit(cwd, gitArgs(['cat-file', '--batch-check=%(objectname) %(objecttype)']), (c) => (out += c.toString('latin1')), asked.map((r) => `${r}^{commit}`).join('\n') + '\n');
  const lines = out.split('\n');
  let i = 0;
  return revs.map((r) => {
    if (r === null) return null;
    const line = lines[i++] ?? '';
    const [sha, type] = line.split(' ');
    return type === 'commit' && OBJECT_ID.test(sha) ? sha : null;
  });
}

function short(sha: string): string {
  return OBJECT_ID.test(sha) ? sha.slice(0, 12) : sha;
}
