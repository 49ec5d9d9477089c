// The CI systems beyond GitHub Actions and GitLab CI that `mirra-scan ci` knows, each read from its
// own environment: Bitbucket Pipelines, Azure Pipelines, Jenkins (the git plugin's variables),
// CircleCI and Buildkite. Where a system does not say which commits a run is about (a branch build on
// Bitbucket, Azure or Buildkite has no "previous commit"), the error says so and asks for --since:
// never a guess, never a silent pass.

import { ScanFailure, UsageError } from '../../errors.js';
import type { CiProvider, Wanted } from './ci-range.js';

type Env = NodeJS.ProcessEnv;

/** The range a recognised system's environment gives, or undefined when none of these systems is running. */
export function otherSystemRange(env: Env): Wanted | undefined {
  if (env.BITBUCKET_BUILD_NUMBER) return bitbucketRange(env);
  if (env.TF_BUILD?.toLowerCase() === 'true') return azureRange(env);
  if (env.JENKINS_URL) return jenkinsRange(env);
  if (env.CIRCLECI === 'true') return circleRange(env);
  if (env.BUILDKITE === 'true') return buildkiteRange(env);
  return undefined;
}

export const OTHER_SYSTEMS = 'Bitbucket Pipelines, Azure Pipelines, Jenkins, CircleCI, Buildkite';

/** What each of these systems' users must do to get enough history. */
export const SHALLOW_FIX: Partial<Record<CiProvider, string>> = {
  bitbucket: 'set `clone: depth: full` in bitbucket-pipelines.yml (or run `git fetch --unshallow` before mirra-scan)',
  azure: 'set `fetchDepth: 0` on the pipeline\'s checkout step (or run `git fetch --unshallow` before mirra-scan)',
  jenkins: 'turn off "Shallow clone" in the job\'s git clone options (or run `git fetch --unshallow` before mirra-scan)',
};

/** A pull request's base: the target branch as the clone's remote-tracking branch. */
function targetBranch(name: string | undefined, variable: string): string {
  const branch = (name ?? '').replace(/^refs\/heads\//, '');
  if (!branch || branch.startsWith('-')) throw new ScanFailure(`ci: ${variable} is not set, so the pull request's base is unknown; pass --since REF`);
  return `refs/remotes/origin/${branch}`;
}

function noRange(system: string, why: string): never {
  throw new UsageError(`ci: ${system} ${why}, so the commits to scan are unknown; pass --since REF (for example --since origin/main), or run the step in pull request builds`);
}

function headOf(value: string | undefined, variable: string, system: string): string {
  if (!value) throw new ScanFailure(`ci: ${system} without ${variable}; pass --since REF`);
  return value;
}

function bitbucketRange(env: Env): Wanted {
  const head = headOf(env.BITBUCKET_COMMIT, 'BITBUCKET_COMMIT', 'Bitbucket Pipelines');
  if (env.BITBUCKET_PR_ID) {
    // The destination commit is given as a short sha; the branch is the fallback.
    const base = env.BITBUCKET_PR_DESTINATION_COMMIT || targetBranch(env.BITBUCKET_PR_DESTINATION_BRANCH, 'BITBUCKET_PR_DESTINATION_BRANCH');
    return { provider: 'bitbucket', base, head, fallbackToNewBranch: false, what: `Bitbucket pull request #${env.BITBUCKET_PR_ID} ${base}..${head.slice(0, 12)}` };
  }
  return noRange('Bitbucket Pipelines', 'gives a branch pipeline no previous commit');
}

function azureRange(env: Env): Wanted {
  const head = env.BUILD_SOURCEVERSION || 'HEAD';
  if (env.BUILD_REASON === 'PullRequest') {
    const base = targetBranch(env.SYSTEM_PULLREQUEST_TARGETBRANCH, 'SYSTEM_PULLREQUEST_TARGETBRANCH');
    const id = env.SYSTEM_PULLREQUEST_PULLREQUESTNUMBER ?? env.SYSTEM_PULLREQUEST_PULLREQUESTID;
    return { provider: 'azure', base, head, fallbackToNewBranch: false, what: `Azure Pipelines pull request${id ? ` #${id}` : ''} ${base.replace('refs/remotes/', '')}..${head.slice(0, 12)}` };
  }
  return noRange('Azure Pipelines', `gives a ${env.BUILD_REASON ?? 'non-pull-request'} build no previous commit`);
}

function jenkinsRange(env: Env): Wanted {
  const head = headOf(env.GIT_COMMIT, 'GIT_COMMIT (set by the git plugin)', 'Jenkins');
  if (env.CHANGE_ID) {
    const base = targetBranch(env.CHANGE_TARGET, 'CHANGE_TARGET');
    return { provider: 'jenkins', base, head, fallbackToNewBranch: false, what: `Jenkins pull request ${env.CHANGE_ID} ${base.replace('refs/remotes/', '')}..${head.slice(0, 12)}` };
  }
  const branch = (env.GIT_BRANCH ?? env.BRANCH_NAME ?? '').replace(/^origin\//, '');
  // The last successful build's commit first: commits of a build that failed (on a key) are scanned again.
  const previous = env.GIT_PREVIOUS_SUCCESSFUL_COMMIT || env.GIT_PREVIOUS_COMMIT;
  if (!previous) return { provider: 'jenkins', base: null, head, fallbackToNewBranch: true, branch, what: `Jenkins first build of ${branch || head.slice(0, 12)}` };
  const which = env.GIT_PREVIOUS_SUCCESSFUL_COMMIT ? 'last successful build' : 'previous build';
  return { provider: 'jenkins', base: previous, head, fallbackToNewBranch: true, branch, what: `Jenkins build since the ${which} ${previous.slice(0, 12)}..${head.slice(0, 12)}` };
}

function circleRange(env: Env): Wanted {
  const head = headOf(env.CIRCLE_SHA1, 'CIRCLE_SHA1', 'CircleCI');
  const base = env.MIRRA_SCAN_BASE_REVISION;
  if (base === undefined) {
    throw new UsageError(
      'ci: CircleCI puts the pushed range only in the pipeline value pipeline.git.base_revision; set `MIRRA_SCAN_BASE_REVISION: << pipeline.git.base_revision >>` in the job\'s environment (see docs/ci), or pass --since REF',
    );
  }
  const branch = env.CIRCLE_BRANCH ?? '';
  if (!base) return { provider: 'circleci', base: null, head, fallbackToNewBranch: true, branch, what: `CircleCI pipeline for new branch ${branch || head.slice(0, 12)}` };
  return { provider: 'circleci', base, head, fallbackToNewBranch: true, branch, what: `CircleCI push ${base.slice(0, 12)}..${head.slice(0, 12)}` };
}

function buildkiteRange(env: Env): Wanted {
  const head = env.BUILDKITE_COMMIT && env.BUILDKITE_COMMIT !== 'HEAD' ? env.BUILDKITE_COMMIT : 'HEAD';
  const pr = env.BUILDKITE_PULL_REQUEST;
  if (pr && pr !== 'false') {
    const base = targetBranch(env.BUILDKITE_PULL_REQUEST_BASE_BRANCH, 'BUILDKITE_PULL_REQUEST_BASE_BRANCH');
    return { provider: 'buildkite', base, head, fallbackToNewBranch: false, what: `Buildkite pull request #${pr} ${base.replace('refs/remotes/', '')}..${head.slice(0, 12)}` };
  }
  return noRange('Buildkite', 'gives a branch build no previous commit');
}
