// The least a Node program must do to read every unique blob of a repository's history once, as
// `mirra-scan history` does: one `git rev-list --all --objects`, its blob ids handed to
// `git cat-file --batch --buffer` (READERS=2: split between two, by path), every byte it prints
// received, and one
// `indexOf('mirra')` pass over each chunk (a trace split between two chunks is not looked for: a
// floor, not a scanner). Prints the bytes read. `npm run bench:history` times it beside the others.
//
//   node bench/history/node-floor.js   (in the repository)

import { spawn } from 'node:child_process';

const readers = Number(process.env.READERS) || 1;
let bytes = 0;
let hits = 0;
const cats = Array.from({ length: readers }, () => {
  const child = spawn('git', ['cat-file', '--batch', '--buffer'], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.on('data', (chunk) => {
    bytes += chunk.length;
    if (chunk.indexOf('mirra') >= 0) hits++;
  });
  return child;
});
const closed = cats.map((c) => new Promise((resolve) => c.on('close', resolve)));
const list = spawn('git', ['rev-list', '--all', '--objects', '--filter=object:type=blob'], { stdio: ['ignore', 'pipe', 'inherit'] });
let rest = '';
list.stdout.on('data', (chunk) => {
  const lines = (rest + chunk.toString('latin1')).split('\n');
  rest = lines.pop();
  const batches = cats.map(() => []);
  for (const line of lines) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    // By path, so that every version of a file goes to the same reader: git stores them as deltas
    // of one another, and a reader that has just rebuilt one version rebuilds the next cheaply.
    let h = 0;
    for (let i = space + 1; i < line.length; i++) h = (h * 31 + line.charCodeAt(i)) | 0;
    batches[(h >>> 0) % cats.length].push(line.slice(0, space));
  }
  batches.forEach((ids, i) => ids.length && cats[i].stdin.write(ids.join('\n') + '\n'));
});
list.on('close', () => cats.forEach((c) => c.stdin.end()));
await Promise.all(closed);
console.log(JSON.stringify({ readers, bytes, chunksWithTrace: hits }));
