// The server's own settings for `mirra-scan pre-receive`, from places only the server's admin
// controls: flags in the hook file, then git config (`mirrascan.*` in the repository's `config`
// file, the git user's ~/.gitconfig, or /etc/gitconfig). Nothing is read from the pushed commits: a
// push cannot bring a config, an ignore file or a baseline that would let its own keys through.

import { UsageError } from '../errors.js';
import { gitArgs, streamGit } from '../sources/git/process.js';

export type TimeoutAction = 'reject' | 'accept';

export interface ServerSettings {
  /** How long the scan may take before the push is rejected (or accepted with a warning). */
  timeoutMs: number;
  onTimeout: TimeoutAction;
  /** Honour `git push -o mirra-scan.allow=<keySha256>` (off unless the admin turns it on). */
  allowPushOption: boolean;
  /** A file every break-glass and every timeout-accept is appended to (JSON lines), or null. */
  auditLog: string | null;
  /** A mirra-scan config file on the server (allowedKeys, ignorePaths, inlineAllow, envVar), or null. */
  configFile: string | null;
}

/** What the hook file's flags say; each one wins over git config. */
export interface ServerFlags {
  timeout?: string;
  onTimeout?: string;
  allowPushOption?: boolean;
  auditLog?: string;
  config?: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 60;

/** The git config keys (`git config mirrascan.<name>`), lower-cased as git reports them. */
const KEYS = {
  timeout: 'mirrascan.timeout',
  onTimeout: 'mirrascan.ontimeout',
  allowPushOption: 'mirrascan.allowpushoption',
  auditLog: 'mirrascan.auditlog',
  config: 'mirrascan.config',
} as const;

export async function readServerSettings(cwd: string, flags: ServerFlags): Promise<ServerSettings> {
  const git = await gitConfigValues(cwd);
  const timeoutText = flags.timeout ?? git.get(KEYS.timeout);
  const onTimeout = (flags.onTimeout ?? git.get(KEYS.onTimeout) ?? 'reject').toLowerCase();
  if (onTimeout !== 'reject' && onTimeout !== 'accept') {
    throw new UsageError(`server config: ${KEYS.onTimeout} (--on-timeout) must be reject or accept, not ${JSON.stringify(onTimeout)}`);
  }
  return {
    timeoutMs: timeoutText === undefined ? DEFAULT_TIMEOUT_SECONDS * 1000 : seconds(timeoutText) * 1000,
    onTimeout,
    allowPushOption: flags.allowPushOption === true || gitBool(git.get(KEYS.allowPushOption), KEYS.allowPushOption),
    auditLog: flags.auditLog ?? git.get(KEYS.auditLog) ?? null,
    configFile: flags.config ?? git.get(KEYS.config) ?? null,
  };
}

function seconds(text: string): number {
  const n = Number(text);
  if (!text.trim() || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`server config: ${KEYS.timeout} (--timeout) must be a number of seconds above 0, not ${JSON.stringify(text)}`);
  }
  return n;
}

function gitBool(value: string | undefined, key: string): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0', ''].includes(v)) return false;
  throw new UsageError(`server config: ${key} must be true or false, not ${JSON.stringify(value)}`);
}

/**
 * Every `mirrascan.*` value git config holds for this repository (last one wins), in one `git config`.
 * Asked on every push: a streamed git, not the plumbing client (simple-git costs ~26 ms of CPU to load).
 */
async function gitConfigValues(cwd: string): Promise<Map<string, string>> {
  let out = '';
  try {
    await streamGit(cwd, gitArgs(['config', '-z', '--get-regexp', '^mirrascan\\.']), (c) => (out += c.toString('utf8')));
  } catch {
    return new Map(); // exit 1: none set
  }
  const values = new Map<string, string>();
  for (const record of out.split('\0')) {
    if (!record) continue;
    const nl = record.indexOf('\n');
    values.set((nl < 0 ? record : record.slice(0, nl)).toLowerCase(), nl < 0 ? 'true' : record.slice(nl + 1));
  }
  return values;
}

// ---- break-glass: `git push -o mirra-scan.allow=<keySha256>` ----

export const ALLOW_PUSH_OPTION = 'mirra-scan.allow';

export interface PushOptions {
  /** keySha256 values asked for with `-o mirra-scan.allow=…` (lower-cased). */
  allow: string[];
  /** `mirra-scan.allow` values that are not a SHA-256 (hex, 64 characters). */
  malformed: string[];
}

/** The push options git hands the hook (GIT_PUSH_OPTION_COUNT, GIT_PUSH_OPTION_0, …) that are ours. */
export function readPushOptions(env: NodeJS.ProcessEnv): PushOptions {
  const out: PushOptions = { allow: [], malformed: [] };
  const count = parseInt(env.GIT_PUSH_OPTION_COUNT ?? '0', 10) || 0;
  for (let i = 0; i < count; i++) {
    const option = env[`GIT_PUSH_OPTION_${i}`] ?? '';
    if (!option.startsWith(`${ALLOW_PUSH_OPTION}=`)) continue;
    for (const value of option.slice(ALLOW_PUSH_OPTION.length + 1).split(',')) {
      const v = value.trim().toLowerCase();
      if (/^[0-9a-f]{64}$/.test(v)) out.allow.push(v);
      else out.malformed.push(value.slice(0, 80));
    }
  }
  return out;
}

/** Who pushed, as the hosting software tells the hook (GitLab, Gitea / Forgejo, HTTP, SSH). */
export function pusherOf(env: NodeJS.ProcessEnv): string {
  const who = env.GL_USERNAME ?? env.GITEA_PUSHER_NAME ?? env.REMOTE_USER ?? env.USER ?? env.LOGNAME ?? 'unknown';
  const from = env.SSH_CONNECTION?.split(' ')[0] ?? env.REMOTE_ADDR;
  return from ? `${who} from ${from}` : who;
}
