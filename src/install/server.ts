// `mirra-scan install --server <repo>`: puts the pre-receive hook into a repository that receives
// pushes (a bare repository, usually). The hook file runs this very install of mirra-scan by absolute
// paths (the node binary and the CLI), so it does not depend on the server's PATH. Where the
// repository already runs a folder of pre-receive hooks (`hooks/pre-receive.d/`, as Gitea and Forgejo
// set up), the hook goes into that folder; otherwise it is `hooks/pre-receive`. A pre-receive hook
// that is not ours is left alone: the command stops and says how to chain the two.

import fs from 'node:fs';
import path from 'node:path';
import { ScanFailure, UsageError } from '../errors.js';
import { shellQuote } from '../hints/index.js';
import { gitAnswer } from '../sources/git/plumbing.js';

export interface ServerInstallOptions {
  /** The repository (its git folder, or a work tree). */
  repo: string;
  /** The node binary and the mirra-scan CLI the hook runs (default: the running ones). */
  node?: string;
  cli?: string;
}

export interface ServerInstallReport {
  file: string;
  action: 'created' | 'updated' | 'unchanged';
  /** Things the admin must know, one sentence each. */
  notes: string[];
}

/** The line that marks a hook file as ours (so that install can update it). */
export const SERVER_HOOK_MARK = '# mirra-scan pre-receive hook, written by `mirra-scan install --server`.';

export function serverHookScript(node: string, cli: string): string {
  return [
    '#!/bin/sh',
    SERVER_HOOK_MARK,
    '# It scans what each push brings for Mirra API keys and rejects the push if it adds one.',
    '# Settings: `git config mirrascan.<name>` on the server, or flags after `pre-receive` below',
    '# (--timeout SECONDS, --on-timeout reject|accept, --allow-push-option, --audit-log FILE,',
    '# --config FILE). See docs/server.md of eslint-plugin-mirra.',
    `exec ${shellQuote(node)} ${shellQuote(cli)} pre-receive`,
    '',
  ].join('\n');
}

export async function installServerHook(options: ServerInstallOptions): Promise<ServerInstallReport> {
  const repo = path.resolve(options.repo);
  if (!fs.existsSync(repo)) throw new UsageError(`install --server: no such folder: ${repo}`);
  const hooksDir = path.resolve(repo, await gitOut(repo, ['rev-parse', '--git-path', 'hooks']));
  const notes: string[] = [];
  const folder = path.join(hooksDir, 'pre-receive.d');
  const file = fs.existsSync(folder) && fs.statSync(folder).isDirectory() ? path.join(folder, 'mirra-scan') : path.join(hooksDir, 'pre-receive');
  const script = serverHookScript(options.node ?? process.execPath, options.cli ?? fs.realpathSync(process.argv[1]));

  let action: ServerInstallReport['action'] = 'created';
  if (fs.existsSync(file)) {
    const existing = fs.readFileSync(file, 'utf8');
    if (!existing.includes(SERVER_HOOK_MARK)) {
      throw new UsageError(
        `install --server: ${file} is already a pre-receive hook that mirra-scan did not write; left as it is. ` +
          `Add this line to it (it reads the same stdin, so save stdin first and feed it to both), or move it into hooks/pre-receive.d/ with a runner: ` +
          `${shellQuote(options.node ?? process.execPath)} ${shellQuote(options.cli ?? fs.realpathSync(process.argv[1]))} pre-receive`,
      );
    }
    action = existing === script ? 'unchanged' : 'updated';
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (action !== 'unchanged') fs.writeFileSync(file, script);
  fs.chmodSync(file, 0o755);
  if ((await gitOut(repo, ['rev-parse', '--is-bare-repository'])) !== 'true') {
    notes.push('this is not a bare repository: a push to its checked-out branch is refused by git unless receive.denyCurrentBranch allows it');
  }
  notes.push('the hook runs as the user that receives pushes (e.g. git): that user must be able to run the node and mirra-scan named in it');
  return { file, action, notes };
}

/** What git answers in `repo`, trimmed; a folder that is not a repository is a usage error. */
async function gitOut(repo: string, args: string[]): Promise<string> {
  try {
    return (await gitAnswer(repo, args)).trim();
  } catch (e) {
    if (e instanceof ScanFailure && e.message.startsWith('cannot run git')) throw e;
    throw new UsageError(`install --server: ${repo} is not a git repository (${(e as Error).message})`);
  }
}
