// `mirra-scan install`: husky 9 hooks that stop commits (and, with flags, messages and pushes)
// carrying a Mirra API key. Exit 0 when done, 2 (a thrown error) when it cannot be done.

import { Command } from 'commander';
import { installHooks } from '../../install/husky.js';
import { installServerHook } from '../../install/server.js';

interface InstallCommandOptions {
  prePush: boolean;
  commitMsg: boolean;
  install: boolean;
  server?: string;
}

export function registerInstallCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('install')
    .description('set up husky 9 hooks in this repository: pre-commit (and pre-merge-commit) run `mirra-scan staged`')
    .option('--pre-push', 'also write a pre-push hook: scan the commits a push is about to send', false)
    .option('--commit-msg', 'also write a commit-msg hook: scan the commit message', false)
    .option('--no-install', 'do not add husky with the package manager when it is missing; say what to run instead')
    .option('--server <repo>', 'instead: install the server-side pre-receive hook into this (bare) repository')
    .action((options: InstallCommandOptions) =>
      run(async () => {
        if (options.server !== undefined) return installServer(options.server);
        const extraHooks: Array<'commit-msg' | 'pre-push'> = [];
        if (options.commitMsg) extraHooks.push('commit-msg');
        if (options.prePush) extraHooks.push('pre-push');
        const report = installHooks({ cwd: process.cwd(), extraHooks, installHusky: options.install });
        const out: string[] = [];
        for (const h of report.hooks) out.push(`${h.action.padEnd(9)} ${h.file}`);
        out.push(`prepare   "${report.prepare.script}" (${report.prepare.action}) in ${report.subdir ? `${report.subdir}/` : ''}package.json`);
        out.push(report.active ? `✔ hooks active (core.hooksPath = ${report.huskyDir}/_); commit ${report.huskyDir} so your team gets them` : '✖ hooks written but not active yet (see below)');
        for (const note of report.notes) out.push(`  note: ${note}`);
        process.stdout.write(out.join('\n') + '\n');
        return 0;
      }),
    );
}

/** `install --server <repo>`: the pre-receive hook, nothing on the client side. */
function installServer(repo: string): number {
  const report = installServerHook({ repo });
  const out = [`${report.action.padEnd(9)} ${report.file} (mode 755)`, ...report.notes.map((n) => `  note: ${n}`)];
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
