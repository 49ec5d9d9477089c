// The one hint builder: what to do about a finding, fitted to where the key was found (staged,
// committed, pushed), what kind of key it is (script keys rotate with a new script version) and
// whether the API says it works. Every reporter and the ESLint rule take their hint from here.

import type { Finding, FindingPlace, FindingSource, KeyType, VerificationStatus } from '../finding.js';

export interface HintOptions {
  /** The environment variable the key should come from (default `MIRRA_API_KEY`). */
  envVar?: string;
  /** One sentence, for the ESLint message. */
  short?: boolean;
}

export type HintInput = Pick<Finding, 'keyType' | 'place' | 'source' | 'verification' | 'file' | 'commit'>;

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
  const ctx: HintContext = {
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
  place: FindingPlace;
  type: KeyType;
  status: VerificationStatus;
  env: string;
  /** Shell-quoted where needed, ready to paste into a command. */
  file: string;
  /** Abbreviated commit sha, or a placeholder. */
  sha: string;
  /** The finding's file as reported (messages are named `(commit message)`, `(tag message NAME)`). */
  rawFile: string;
}

// ---- the full hint: status, what to do where it was found, how to rotate this type of key ----

function fullHint(c: HintContext): string {
  const steps = c.place === 'pushed' ? [rotation(c), placeSteps(c, c.rawFile)] : [placeSteps(c, c.rawFile), rotation(c)];
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

/** A key in a commit or tag message (the commit sources name those findings `(commit message)` / `(tag message NAME)`). */
function messageSteps(c: HintContext, rawFile: string): string | null {
  const tag = /^\(tag message (.+)\)$/.exec(rawFile)?.[1];
  if (tag) {
    return `It is in the message of tag ${tag}: delete the tag (\`git tag -d ${tag}\`${c.place === 'pushed' ? `, and on the remote \`git push origin :refs/tags/${tag}\`` : ''}) and create it again with a clean message.`;
  }
  if (rawFile !== '(commit message)') return null;
  return c.place === 'pushed'
    ? `It is in the message of pushed commit ${c.sha}: rewrite the messages with \`git filter-repo --replace-message <replacements-file>\` (the file lists the key; paste it yourself), force-push, and tell every collaborator to re-clone.`
    : `It is in the message of commit ${c.sha}, not yet pushed: \`git rebase -i ${c.sha}^\`, mark it \`reword\` and take the key out (for the latest commit: \`git commit --amend\`).`;
}

function placeSteps(c: HintContext, rawFile = ''): string {
  const inMessage = messageSteps(c, rawFile);
  if (inMessage) return inMessage;
  const useEnv = `read it from process.env.${c.env} instead (keep \`.env\` files in \`.gitignore\`)`;
  switch (c.place) {
    case 'staged':
      return `It is staged but was never committed: take it out of ${c.file}, ${useEnv}, and \`git add ${c.file}\` again before you commit.`;
    case 'unpushed':
      return (
        `It is in a local commit (${c.sha}) that has not been pushed: drop it from the commits before you push: ` +
        `\`git rebase -i ${c.sha}^\`, mark ${c.sha} as \`edit\`, take the key out of ${c.file} and ${useEnv}, ` +
        `then \`git commit --amend -a\` and \`git rebase --continue\` ` +
        `(if ${c.sha} is the latest commit: \`git reset --soft HEAD~1\`, fix ${c.file}, and commit again).`
      );
    case 'pushed':
      return (
        `It is in pushed history${c.sha === '<commit>' ? '' : ` (commit ${c.sha})`}, so anyone with a copy of the repository has it: ` +
        `take it out of ${c.file} and ${useEnv}, ` +
        `then remove it from every commit with \`git filter-repo --replace-text <replacements-file>\`, ` +
        `where the replacements file lists the key on a line of its own (paste it yourself: mirra-scan never writes keys anywhere), ` +
        `force-push, and tell every collaborator to re-clone.`
      );
    default:
      return `Take it out of ${c.file} and ${useEnv}.`;
  }
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
