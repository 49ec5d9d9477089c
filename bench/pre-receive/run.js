// `npm run bench:pre-receive`: the server hook's time on a push of 1,000 commits, against
// `git log -p <range> | rg mirra_` on the same range, interleaved run by run, medians side by side.
// Goal: at most 2x the pipeline.
//
// The server is a bare clone of a generated repository (bench/history/generate.js: code churn,
// feature branches merged with merge commits, planted fake keys) whose main is set back so that
// the last 1,000 commits are what the push brings. Their objects are in the repository but no ref
// reaches them: what a pre-receive hook sees in git's quarantine. The hook runs as git runs it, in
// the bare repository with `<old> <new> refs/heads/main` on stdin. A check: every key the pipeline
// sees on an added line is reported by the hook.
//
//   node bench/pre-receive/run.js [--runs N] [--push N]

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from '../history/generate.js';
import { interleave, median, numberArg, row, timed } from '../interleave.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const source = path.join(root, 'bench/.corpus/pre-receive-source');
const server = path.join(root, 'bench/.corpus/pre-receive-server.git');
const cli = path.join(root, 'dist/cli/mirra-scan.js');


const runs = numberArg('--runs', 7);
const pushed = numberArg('--push', 1000);
const GOAL = 2;

if (spawnSync('rg', ['--version']).status !== 0) {
  console.error('bench:pre-receive needs ripgrep (rg) on PATH for the baseline pipeline');
  process.exit(2);
}

const env = { ...process.env, NO_COLOR: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd, ...args) => {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

console.log(`corpus: ${path.relative(root, source)} (generating if needed)`);
const made = await ensureCorpus(source, { commits: pushed + 600 });

// The server: main set back to the commit from which main brings `pushed` commits.
fs.rmSync(server, { recursive: true, force: true });
git(root, 'clone', '-q', '--bare', '--single-branch', '--branch', 'main', source, server);
const tip = git(server, 'rev-parse', 'main');
const firstParents = git(server, 'rev-list', '--first-parent', 'main').split('\n');
let lo = 0;
let hi = firstParents.length - 1;
while (lo < hi) {
  const mid = (lo + hi) >> 1;
  if (Number(git(server, 'rev-list', '--count', `${firstParents[mid]}..main`)) >= pushed) hi = mid;
  else lo = mid + 1;
}
const old = firstParents[lo];
git(server, 'update-ref', 'refs/heads/main', old);
const range = `${old}..${tip}`;
const count = Number(git(server, 'rev-list', '--count', range));
const stdin = `${old} ${tip} refs/heads/main\n`;

const commands = {
  pipeline: () => timed('sh', ['-c', `git log -p ${range} | rg mirra_`], { cwd: server, env }),
  // Exactly as `mirra-scan install --server` makes git run it: no flag (the hooks' fast path), the
  // findings as remote: lines on stderr.
  hook: () => timed(process.execPath, [cli, 'pre-receive'], { cwd: server, env, input: stdin }),
};
const { warm: { pipeline: seen }, times } = interleave(commands, runs);
// The key check reads the same scan's JSON report (one more run, not timed).
const warm = timed(process.execPath, [cli, 'pre-receive', '--format', 'json'], { cwd: server, env, input: stdin });

let report;
try {
  report = JSON.parse(warm.stdout);
} catch {
  console.error(`mirra-scan did not print JSON (exit ${warm.status}): ${warm.stderr.trim()}`);
  process.exit(2);
}
const found = new Set(report.findings.map((f) => f.keySha256));
const keysOnAddedLines = new Set();
for (const line of seen.stdout.split('\n')) {
  if (!line.startsWith('+')) continue;
  for (const m of line.matchAll(/mirra_[a-z_]*[0-9a-f]{20,}/g)) keysOnAddedLines.add(createHash('sha256').update(m[0]).digest('hex'));
}
const missing = [...keysOnAddedLines].filter((k) => !found.has(k));

const pm = median(times.pipeline);
const hm = median(times.hook);
const ratio = hm / pm;
console.log(`server: ${path.relative(root, server)}; the push: ${count} commits (${range.slice(0, 12)}…), exit code of the hook ${warm.status} (1: keys found)`);
console.log(`runs: ${runs} each, interleaved (after one warm-up each)`);
console.log('');
console.log('command                                          median ms   min ms   max ms');
console.log(row("sh -c 'git log -p <range> | rg mirra_'", times.pipeline));
console.log(row('mirra-scan pre-receive', times.hook));
console.log('');
console.log(`ratio hook / pipeline: ${ratio.toFixed(2)}x (goal <= ${GOAL}x) ${ratio <= GOAL ? 'OK' : 'OVER'}`);
console.log(`keys on added lines (pipeline): ${keysOnAddedLines.size}; reported by the hook: ${report.findings.length} findings, ${found.size} keys; missed: ${missing.length}`);
console.log(`(the corpus has ${made.planted.length} planted keys in all its ${made.commits} commits)`);
process.exit(missing.length || ratio > GOAL ? 1 : 0);
