#!/usr/bin/env node
// The `mirra-scan` bin. For `staged` (the pre-commit hook, run on every commit) git starts computing
// the staged diff first, while the rest of the CLI loads; then the CLI runs as usual.

import { startGitEarly } from '../sources/git/early-start.js';
import { gitArgs, STAGED_DIFF_ARGS } from '../sources/git/diff-args.js';

const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (command === 'staged') startGitEarly(process.cwd(), gitArgs(STAGED_DIFF_ARGS));
await import('./main.js');
