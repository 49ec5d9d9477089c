#!/usr/bin/env node
// The `mirra-scan` bin. A hook's own call (`staged`, `commit-msg FILE`, `pre-receive`, no flags; see
// ./hook-call.ts) runs on the hooks' fast path (./hook-fast-path.ts), a file of its own, without
// loading the full command line; a call that runs `scan` and nothing else loads the scan path
// (./scan-main.ts), one file too; any other call loads ./main.ts. For `staged` (the pre-commit hook,
// run on every commit) git starts computing the staged diff first, while the rest of the code loads.
// Before a scan that walks folders or reads a big file, and before any other command but a hook's,
// V8's optimizing compiler is told to wait longer (./jit-budget.ts).

import { askedWord, runsScanOnly } from './command-names.js';
import { fastHookCall } from './hook-call.js';
import { startGitEarly } from '../sources/git/early-start.js';
import { gitArgs, STAGED_DIFF_ARGS } from '../sources/git/diff-args.js';
import { namedScan, startFileWorkerEarly } from '../sources/files/worker-start.js';
import { setJitBudget } from './jit-budget.js';

const args = process.argv.slice(2);
// A staged change that turns out big (git has printed a MiB of it) gets the JIT budget then (see
// jit-budget.ts); a commit of a few files does not (it is start-up).
if (askedWord(args) === 'staged') startGitEarly(process.cwd(), gitArgs(STAGED_DIFF_ARGS), { bytes: 1024 * 1024, onMuch: setJitBudget });
const call = fastHookCall(args);
try {
  if (call) {
    const { runFastHook } = await import('./hook-fast-path.js');
    await runFastHook(call); // guards its own errors, as main.js does
  } else if (runsScanOnly(args)) {
    const named = namedScan(args, process.cwd());
    // Before the worker starts and the scan's code runs (see jit-budget.ts).
    if (named.walks || named.bigFile) setJitBudget();
    // A big file to scan: its second thread starts while the scan's code loads (see worker-start.ts).
    if (named.bigFile) startFileWorkerEarly();
    await import('./scan-main.js');
  } else {
    setJitBudget();
    await import('./main.js');
  }
} catch (e) {
  // Only a package whose files are damaged or missing gets here (each path guards its own errors once
  // loaded). Nothing of the error's text is printed, as the masking is part of what failed to load;
  // exit 2 so that a hook fails closed.
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  process.stderr.write(`mirra-scan: cannot start: its own files did not load${typeof code === 'string' && /^[A-Z_]+$/.test(code) ? ` (${code})` : ''}; reinstall eslint-plugin-mirra\n`);
  process.exit(2);
}
