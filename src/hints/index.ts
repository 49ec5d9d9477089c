// The one hint builder: what to do about a finding, fitted to its origin (a file, stdin, the index,
// a commit, a merge, a commit or tag message), to where that is (staged, unpushed, pushed), to the
// kind of file (an env file, docs, code), to the kind of key (script keys rotate with a new script
// version) and to whether the API says it works. `attachHints` is the one place hints are put on
// findings; the ESLint rule asks `buildHint` for its short form.

import { defaultOrigin, type Finding, type FindingOrigin, type FindingPlace, type FindingSource, type KeyType, type VerificationStatus } from '../finding.js';

export interface HintOptions {
  /** The environment variable the key should come from (default `MIRRA_API_KEY`). */
  envVar?: string;
  /** One sentence, for the ESLint message. */
  short?: boolean;
}

export type HintInput = Pick<Finding, 'keyType' | 'place' | 'source' | 'verification' | 'file' | 'commit'> &
  Partial<Pick<Finding, 'origin' | 'mergedCommit' | 'tag' | 'tracked'>>;

/** What kind of file a key is in decides the fix: an env file is untracked, docs get a placeholder, code reads the variable. */
export type FileKind = 'env' | 'docs' | 'code';

export function fileKindOf(file: string): FileKind {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  if (/^\.env(\..*)?$/.test(base) || base.endsWith('.env')) return 'env';
  if (/\.(md|mdx|markdown|rst|adoc|txt)$/.test(base) || /(^|\/)docs?\//i.test(file)) return 'docs';
  return 'code';
}

/** Sets every finding's hint: the one place hints are attached (after verification, which changes them). */
export function attachHints(findings: Finding[], options: HintOptions = {}): void {
  for (const f of findings) f.hint = buildHint(f, options);
}

export const DEFAULT_ENV_VAR = 'MIRRA_API_KEY';
export const API_KEYS_PAGE = 'store.getmirra.app/developer/api-keys';
export const SCRIPTS_PAGE = 'store.getmirra.app/developer/scripts';
export const APP_SETTINGS = 'the Mirra app (Settings → Developer)';

/** Where a finding is, from `place`, else from its source: a commit counts as pushed (the safe guess). */
export function placeOf(f: Pick<Finding, 'place' | 'source'>): FindingPlace {
  if (f.place) return f.place;
  const bySource: Record<FindingSource, FindingPlace> = { file: 'working-tree', staged: 'staged', commit: 'pushed' };
  return bySource[f.source] ?? 'working-tree';
}

export function buildHint(f: HintInput, options: HintOptions = {}): string {
  const origin = f.origin ?? defaultOrigin(f.source);
  const ctx: HintContext = {
    origin,
    kind: origin === 'stdin' ? 'code' : fileKindOf(f.file ?? ''),
    tracked: f.tracked === true,
    mergedSha: f.mergedCommit ? f.mergedCommit.slice(0, 12) : '<commit>',
    tag: f.tag ?? '',
    place: placeOf(f),
    type: f.keyType,
    status: f.verification?.status ?? 'unchecked',
    env: options.envVar || DEFAULT_ENV_VAR,
    file: f.file ? shellQuote(f.file) : '<file>',
    sha: f.commit ? f.commit.slice(0, 12) : '<commit>',
    rawFile: f.file ?? '',
  };
  return options.short ? shortHint(ctx) : fullHint(ctx);
}

interface HintContext {
  origin: FindingOrigin;
  kind: FileKind;
  /** A file (origin `file`) that git tracks: its key is in a commit. */
  tracked: boolean;
  mergedSha: string;
  tag: string;
  place: FindingPlace;
  type: KeyType;
  status: VerificationStatus;
  env: string;
  /** Shell-quoted where needed, ready to paste into a command. */
  file: string;
  /** Abbreviated commit sha, or a placeholder. */
  sha: string;
  /** The finding's file as reported. */
  rawFile: string;
}

// ---- the full hint: status, what to do where it was found, how to rotate this type of key ----

function fullHint(c: HintContext): string {
  const steps = c.place === 'pushed' ? [rotation(c), placeSteps(c)] : [placeSteps(c), rotation(c)];
  const parts = [statusLead(c), ...steps];
  if (c.status !== 'invalid' || c.place === 'pushed') {
    parts.push(`Check the key's last-used time on the Developer page (${API_KEYS_PAGE}) to judge whether it was abused.`);
  }
  return parts.join(' ');
}

function statusLead(c: HintContext): string {
  switch (c.status) {
    case 'live':
      return 'URGENT: this key is live (the Mirra API accepts it).';
    case 'invalid':
      return 'This key is already dead (the Mirra API rejects it: revoked or never valid), so it cannot be used any more; remove it anyway.';
    case 'unknown':
      return 'Whether this key works could not be checked (see the verification detail); treat it as live.';
    default:
      return 'Treat this key as live (not checked; `--verify` asks the Mirra API).';
  }
}

/** A key in a commit or tag message. */
function messageSteps(c: HintContext): string | null {
  if (c.origin === 'tag-message') {
    const tag = c.tag || '<tag>';
    return `It is in the message of tag ${tag}: delete the tag (\`git tag -d ${tag}\`${c.place === 'pushed' ? `, and on the remote \`git push origin :refs/tags/${tag}\`` : ''}) and create it again with a clean message.`;
  }
  if (c.origin !== 'commit-message') return null;
  if (c.sha === '<commit>') {
    return 'It is in the commit message being written, not in a file: write the message again without the key (git kept it: `git commit -e -F .git/COMMIT_EDITMSG` reopens it).';
  }
  return c.place === 'pushed'
    ? `It is in the message of pushed commit ${c.sha}: rewrite the messages with \`git filter-repo --replace-message <replacements-file>\` (the file lists the key; paste it yourself), force-push, and tell every collaborator to re-clone.`
    : `It is in the message of commit ${c.sha}, not yet pushed: \`git rebase -i ${c.sha}^\`, mark it \`reword\` and take the key out (for the latest commit: \`git commit --amend\`).`;
}

/** How to fix the file itself, by its kind: never "move it to an env var" for an env file. */
function fileFix(c: HintContext): string {
  switch (c.kind) {
    case 'env':
      return `keep ${c.file} out of git: list it in \`.gitignore\` and stop tracking it (\`git rm --cached ${c.file}\`); the key stays on your machine only`;
    case 'docs':
      return `replace the key in ${c.file} with a placeholder such as \`mirra_xxxx\` (placeholders are never reported)`;
    default:
      return `take it out of ${c.file} and read it from process.env.${c.env} instead (keep \`.env\` files in \`.gitignore\`)`;
  }
}

function placeSteps(c: HintContext): string {
  const inMessage = messageSteps(c);
  if (inMessage) return inMessage;
  if (c.origin === 'stdin') {
    return `It came in on standard input: remove it from whatever produced that text, and read it from process.env.${c.env} where it is used.`;
  }
  if (c.origin === 'merge') {
    return (
      `This merge brings it in from commit ${c.mergedSha} on the branch being merged, which keeps the key in its history: ` +
      `fixing the file in the merge commit would still push ${c.mergedSha}. Abort the merge (\`git merge --abort\`), ` +
      `remove the key from that branch (\`git rebase -i ${c.mergedSha}^\` there, mark ${c.mergedSha} as \`edit\` and ${fileFix(c)}; ` +
      `if the branch was pushed, purge it from history instead), then merge again.`
    );
  }
  const fix = fileFix(c);
  switch (c.place) {
    case 'staged':
      return c.kind === 'env'
        ? `It is staged but was never committed: ${fix.replace(/^keep/, 'unstage it and keep')}.`
        : `It is staged but was never committed: ${fix}, and \`git add ${c.file}\` again before you commit.`;
    case 'unpushed':
      return (
        `It is in a local commit (${c.sha}) that has not been pushed: drop it from the commits before you push: ` +
        `\`git rebase -i ${c.sha}^\`, mark ${c.sha} as \`edit\`, ${fix}, ` +
        `then \`git commit --amend -a\` and \`git rebase --continue\` ` +
        `(if ${c.sha} is the latest commit: \`git reset --soft HEAD~1\`, fix ${c.file}, and commit again).`
      );
    case 'pushed':
      return (
        `It is in pushed history${c.sha === '<commit>' ? '' : ` (commit ${c.sha})`}, so anyone with a copy of the repository has it: ` +
        `${fix}, ` +
        `then remove it from every commit with \`git filter-repo --replace-text <replacements-file>\`, ` +
        `where the replacements file lists the key on a line of its own (paste it yourself: mirra-scan never writes keys anywhere), ` +
        `force-push, and tell every collaborator to re-clone.`
      );
    default:
      if (c.tracked) {
        return (
          `${capitalize(fix)}. Git tracks ${c.file}, so the key is in its commits too: ` +
          `remove it from them before pushing (\`git rebase -i\`), or, once pushed, with \`git filter-repo --replace-text <replacements-file>\` (paste the key yourself).`
        );
      }
      return `${capitalize(fix)}.`;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How to replace the key: script keys come with a new script version; other keys are revoked and generated anew. */
function replaceKey(type: KeyType): string {
  return type === 'script'
    ? `publish a new version of the script at ${SCRIPTS_PAGE} (its key replaces this one) and retire the old version`
    : `revoke it and generate a new one at ${API_KEYS_PAGE} or in ${APP_SETTINGS}`;
}

function rotation(c: HintContext): string {
  const update = `update every place that uses it (each deployment, CI secret and ${c.env})`;
  if (c.status === 'invalid') {
    const fresh = c.type === 'script' ? `publish a new version of the script at ${SCRIPTS_PAGE}` : `generate a new one at ${API_KEYS_PAGE} or in ${APP_SETTINGS}`;
    return `There is nothing to revoke; if something still needs a key, ${fresh}.`;
  }
  switch (c.place) {
    case 'pushed':
      return `Rotate it now, before cleaning history: ${replaceKey(c.type)}, and ${update}.`;
    case 'unpushed':
      return c.status === 'live'
        ? `Then rotate it without delay: ${replaceKey(c.type)}, and ${update}.`
        : `Then rotate it: ${replaceKey(c.type)}, and ${update}.`;
    default:
      if (c.tracked || c.origin === 'merge') {
        return `It is in a commit: rotate it${c.status === 'live' ? ' now' : ''}: ${replaceKey(c.type)}, and ${update}.`;
      }
      return c.status === 'live'
        ? `If it was ever committed, shared or pushed, rotate it now: ${replaceKey(c.type)}, and ${update}.`
        : `If it was ever committed, shared or pushed, rotate it: ${replaceKey(c.type)}.`;
  }
}

// ---- the short hint: one sentence for the ESLint message ----

function shortHint(c: HintContext): string {
  const where = {
    'working-tree': `use process.env.${c.env} instead`,
    staged: `take it out of the staged change and use process.env.${c.env} instead`,
    unpushed: `drop it from commit ${c.sha} before pushing (\`git rebase -i ${c.sha}^\`)`,
    pushed: 'purge it from history (`git filter-repo --replace-text`)',
  }[c.place];
  const rotateNow = c.type === 'script' ? `replace it now with a new script version (${SCRIPTS_PAGE})` : `revoke it now (${API_KEYS_PAGE})`;
  const rotateTarget = c.type === 'script' ? `a new script version at ${SCRIPTS_PAGE}` : API_KEYS_PAGE;
  switch (c.status) {
    case 'live':
      return `Live Mirra key: ${rotateNow}, and ${where}.`;
    case 'invalid':
      return `Dead Mirra key (the API rejects it): nothing to revoke, but remove it anyway: ${where}.`;
    default: {
      const what = c.status === 'unknown' ? 'Mirra key (status unknown)' : 'Hard-coded Mirra key';
      if (c.place === 'pushed') return `${what}: ${rotateNow}, and ${where}.`;
      if (c.place === 'unpushed') return `${what}: ${where}, then rotate it (${rotateTarget}).`;
      return `${what}: ${where}, and rotate it if it was ever shared (${rotateTarget}).`;
    }
  }
}

/** A path as it can be pasted into a shell: quoted only if it needs to be. */
export function shellQuote(file: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
}
