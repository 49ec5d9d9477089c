// `mirra-scan pre-push [REMOTE] [URL]`: the commits a push is about to send (the pre-push hook). Git
// gives the hook the remote's name and URL as arguments and one line per ref on stdin. Run by hand
// from a terminal (no stdin), it scans what pushing HEAD would send: HEAD minus the remote's refs.

import { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { assertGitRepository } from '../../sources/git/plumbing.js';
import { parsePushUpdates, pushUpdatesFromPreCommitFramework, scanPush, type PushUpdate } from '../../sources/git/push.js';
import { readStdin } from '../../sources/files/stdin.js';
import { printBlockedMessage } from '../blocked-message.js';
import { addCommonOptions, type CommonOptions } from '../common-options.js';
import { finishRun, runPolicy } from '../run.js';

interface PrePushOptions extends CommonOptions {
  ignore: boolean;
}

export function registerPrePushCommand(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const cmd = program
    .command('pre-push')
    .description('scan the commits a push is about to send (reads the pre-push hook\'s stdin; from a terminal: HEAD not yet on the remote)')
    .argument('[remote]', 'the remote\'s name (the hook\'s first argument)')
    .argument('[url]', 'the remote\'s URL (the hook\'s second argument; not used)')
    .option('--no-ignore', 'honour neither .mirrascanignore nor the config\'s ignorePaths');
  addCommonOptions(cmd).action((remote: string | undefined, _url: string | undefined, options: PrePushOptions) =>
    run(async () => {
      // Even a push with nothing to send must run in a repository: a CI step that pipes nothing in is not a pass.
      await assertGitRepository(process.cwd());
      // The pre-commit framework reads git's stdin itself and passes the push in its own variables.
      const fromFramework = pushUpdatesFromPreCommitFramework(process.env);
      const updates: PushUpdate[] = fromFramework
        ? fromFramework
        : process.stdin.isTTY
          ? [{ localRef: 'HEAD', localSha: 'HEAD', remoteRef: '', remoteSha: '0'.repeat(40) }]
          : parsePushUpdates((await readStdin()).toString('utf8'));
      const config = await loadConfig({ cwd: process.cwd(), configPath: options.config });
      const policy = runPolicy(config, options);
      const result = await scanPush({ cwd: process.cwd(), remote: remote ?? process.env.PRE_COMMIT_REMOTE_NAME, updates, policy });
      const code = await finishRun(result, { ...options, hook: true }, config, policy);
      printBlockedMessage(code, options, 'push', { remote, envVar: config.envVar });
      return code;
    }),
  );
}
