// `npm run bench:history`: `mirra-scan history` against `git log -p --all | rg mirra_` on the same
// generated repository (5,000+ commits, see generate.js), interleaved run by run, medians side by
// side, and a check that mirra-scan finds every planted key. Goal: at most 0.5× the pipeline's time.
//
//   node bench/history/run.js [--runs N] [--commits N]

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, median, numberArg, row, timed } from '../interleave.js';
import { ensureCorpus } from './generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const corpus = path.join(root, 'bench/.corpus/history');
const cli = path.join(root, 'dist/cli/mirra-scan.js');


const runs = numberArg('--runs', 7);
const commits = numberArg('--commits', 5200);
const GOAL = 0.5;

const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
if (rg.status !== 0) {
  console.error('bench:history needs ripgrep (rg) on PATH for the baseline pipeline');
  process.exit(2);
}

console.log(`corpus: ${path.relative(root, corpus)} (generating if needed)`);
const made = await ensureCorpus(corpus, { commits });
const env = { ...process.env, NO_COLOR: '1', CI: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

const commands = {
  pipeline: () => timed('sh', ['-c', 'git log -p --all | rg mirra_'], { cwd: corpus, env }),
  mirra: () => timed(process.execPath, [cli, 'history', '--format', 'json'], { cwd: corpus, env }),
  floor: () => timed(process.execPath, [path.join(here, 'node-floor.js')], { cwd: corpus, env }),
};
const {
  warm: { mirra: warm },
  times,
} = interleave(commands, runs);

let report;
try {
  report = JSON.parse(warm.stdout);
} catch {
  console.error(`mirra-scan did not print JSON (exit ${warm.status}): ${warm.stderr.trim()}`);
  process.exit(2);
}
const found = new Set(report.findings.map((f) => f.keySha256));
const missing = made.planted.filter((p) => !found.has(p.keySha256));

const pm = median(times.pipeline);
const mm = median(times.mirra);
const ratio = mm / pm;
const kinds = made.planted.reduce((acc, p) => ({ ...acc, [p.kind]: (acc[p.kind] ?? 0) + 1 }), {});

console.log(`repository: ${made.commits} commits, ${made.planted.length} planted keys ${JSON.stringify(kinds)}`);
console.log(`runs: ${runs} each, interleaved (after one warm-up each)`);
console.log('');
console.log('command                                     median ms   min ms   max ms');
console.log(row("sh -c 'git log -p --all | rg mirra_'", times.pipeline, 42));
console.log(row('mirra-scan history --format json', times.mirra, 42));
console.log(row('node floor: read every blob once (node-floor.js)', times.floor, 42));
console.log('');
console.log(`ratio mirra-scan / pipeline: ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×) ${ratio <= GOAL ? 'OK' : 'OVER'}`);
console.log(`ratio node floor / pipeline: ${(median(times.floor) / pm).toFixed(2)}×; mirra-scan / node floor: ${(mm / median(times.floor)).toFixed(2)}×`);
console.log(`planted keys found: ${made.planted.length - missing.length}/${made.planted.length}${missing.length ? '' : ' (all)'}; findings reported: ${report.findings.length}`);
for (const m of missing) console.log(`  MISSING ${m.kind} in ${m.file} (keySha256 ${m.keySha256})`);
process.exit(missing.length || ratio > GOAL ? 1 : 0);
