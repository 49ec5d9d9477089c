#!/usr/bin/env node
// mirra-scan's full command line (./command-line.ts) with every command, one module each under
// ./commands/, loaded only when asked. The bin loads this for any call but the hooks' own
// (./hook-fast-path.ts) and a plain scan (./scan-main.ts).

import { runCommandLine } from './command-line.js';

await runCommandLine({
  scan: async () => (await import('./commands/scan.js')).registerScanCommand,
  staged: async () => (await import('./commands/staged.js')).registerStagedCommand,
  'commit-msg': async () => (await import('./commands/commit-msg.js')).registerCommitMsgCommand,
  'pre-push': async () => (await import('./commands/pre-push.js')).registerPrePushCommand,
  'pre-receive': async () => (await import('./commands/pre-receive.js')).registerPreReceiveCommand,
  install: async () => (await import('./commands/install.js')).registerInstallCommand,
  diff: async () => (await import('./commands/diff.js')).registerDiffCommand,
  ci: async () => (await import('./commands/ci.js')).registerCiCommand,
  history: async () => (await import('./commands/history.js')).registerHistoryCommand,
  baseline: async () => (await import('./commands/baseline.js')).registerBaselineCommand,
  verify: async () => (await import('./commands/verify.js')).registerVerifyCommand,
});
