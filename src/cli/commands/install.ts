// `mirra-scan install`: hooks that stop commits (and, with flags, messages and pushes) carrying a
// Mirra API key, through the hook manager the repository uses. It lists what it changed and what to
// commit, then runs the installed hook as git will: exit 0 when it reached mirra-scan, 2 when the
// hooks are not active (with the reason) or install could not be done. `--server` instead installs
// the server-side pre-receive hook.

import { Command } from 'commander';
import { installHooks } from '../../install/index.js';
import { HOOKS_MANAGERS } from '../../install/managers.js';
import { installServerHook } from '../../install/server.js';
import { EXIT_CANNOT_SCAN } from '../exit-codes.js';

interface InstallCommandOptions {
  prePush: boolean;
  commitMsg: boolean;
  install: boolean;
  hooksManager?: string;
  server?: string;
}

export function registerInstallCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('install')
    .description('set up git hooks that run `mirra-scan staged` before each commit (husky 9, or the hook manager the repository already uses)')
    .option('--pre-push', 'also scan the commits a push is about to send', false)
    .option('--commit-msg', 'also scan the commit message', false)
    .option('--hooks-manager <name>', `install through this hook manager: ${HOOKS_MANAGERS.join(', ')} (default: the one in place, else husky)`)
    .option('--no-install', 'do not add husky with the package manager when it is missing; say what to run instead')
    .option('--server <repo>', 'instead: install the server-side pre-receive hook into this (bare) repository')
    .action((options: InstallCommandOptions) =>
      run(async () => {
        if (options.server !== undefined) return installServer(options.server);
        const extraHooks: Array<'commit-msg' | 'pre-push'> = [];
        if (options.commitMsg) extraHooks.push('commit-msg');
        if (options.prePush) extraHooks.push('pre-push');
        const report = await installHooks({ cwd: process.cwd(), extraHooks, installHusky: options.install, hooksManager: options.hooksManager });
        const out: string[] = [`hooks manager: ${report.manager}`];
        for (const f of report.files) out.push(`${f.action.padEnd(9)} ${f.file}${f.detail ? ` (${f.detail})` : ''}`);
        for (const c of report.changes) out.push(`changed   ${c}`);
        if (report.toCommit.length) out.push(`commit these so your team gets the hooks: ${report.toCommit.join(' ')}`);
        out.push(report.active ? `✔ hooks active: ${report.reason}` : `✖ hooks written but not active: ${report.reason}`);
        for (const note of report.notes) out.push(`  note: ${note}`);
        process.stdout.write(out.join('\n') + '\n');
        return report.active ? 0 : EXIT_CANNOT_SCAN;
      }),
    );
}

/** `install --server <repo>`: the pre-receive hook, nothing on the client side. */
async function installServer(repo: string): Promise<number> {
  const report = await installServerHook({ repo });
  const out = [`${report.action.padEnd(9)} ${report.file} (mode 755)`, ...report.notes.map((n) => `  note: ${n}`)];
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
