// The least a Node program must do to scan what is staged as `mirra-scan staged` does: start the same
// `git diff --cached` (the hook's own arguments), receive every byte it prints, and one
// `indexOf('mirra')` pass over each chunk (a trace split between two chunks is not looked for: a
// floor, not a scanner). No patch parsing, no detector, no report. Prints the bytes read.
// `npm run bench:hook` times it beside `mirra-scan staged`.
//
//   node bench/hook/node-floor.js   (in the repository; after `npm run build`)

import { spawn } from 'node:child_process';
import { gitArgs, STAGED_DIFF_ARGS } from '../../dist/src/sources/git/diff-args.js';

let bytes = 0;
let hits = 0;
const git = spawn('git', gitArgs(STAGED_DIFF_ARGS), { stdio: ['ignore', 'pipe', 'inherit'] });
git.stdout.on('data', (chunk) => {
  bytes += chunk.length;
  if (chunk.indexOf('mirra') >= 0) hits++;
});
const code = await new Promise((resolve) => git.on('close', resolve));
console.log(JSON.stringify({ bytes, chunksWithTrace: hits }));
process.exitCode = code;
