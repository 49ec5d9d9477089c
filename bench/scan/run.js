#!/usr/bin/env node
// `npm run bench` (after `npm run build`): mirra-scan against ripgrep on the corpus make-corpus.js
// generates (at least 300 MiB and 30,000 files of real code with planted keys, plus a 200 MiB file).
//
//   mirra-scan:  node dist/cli/mirra-scan.js scan --no-ignore --format json <tree>
//   ripgrep:     rg --no-ignore -uuu -c mirra_ <tree>          (the plain prefix only)
//
//   node floor:  node bench/scan/node-floor.js <tree>    (walk, read, five indexOf passes: nothing else)
//
// The node floor shows how close to ripgrep any Node program can get on this machine: it does only
// the walking, reading and needle searching mirra-scan cannot avoid, spread over every CPU.
//
// Runs are interleaved (A B C A B C …) after one warm-up of each, so all see the same page cache and
// the same machine load. Wall time is taken with Node's clock around each child; peak memory (max RSS)
// with GNU time (`/usr/bin/time -f %M`). Prints medians, the ratios, and checks that every planted key
// was found at its place (by keySha256, file, line and column) and that nothing else was.
//
// Usage: node bench/scan/run.js [--runs 5] [--rebuild-corpus]
// Exit code: 0 when every planted key was found and nothing else; 1 otherwise. Speed and memory
// goals (at most 2x ripgrep's wall time, peak RSS under 200 MB) are reported, not enforced.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_VERSION, MANIFEST, TREE_DIR, makeCorpus } from './make-corpus.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const GNU_TIME = '/usr/bin/time';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
const GOAL_RATIO = 2;
const GOAL_RSS_MB = 200;

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Installs a Debian package when its command is missing (the bench machine is apt-based). */
function ensure(cmd, pkg, check = () => have(cmd)) {
  if (check()) return;
  console.log(`${cmd} is missing: apt-get install -y ${pkg}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', pkg]]) {
    const all = [...sudo, ...args];
    const r = spawnSync(all[0], all.slice(1), { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`could not run: ${all.join(' ')}`);
  }
  if (!check()) throw new Error(`${cmd} still missing after installing ${pkg}`);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `argv` under GNU time; returns wall ms (Node's clock), peak RSS in MB, exit code and stdout file. */
function timed(name, argv, okCodes) {
  const out = path.join(os.tmpdir(), `mirra-bench-${name}.out`);
  const rssFile = path.join(os.tmpdir(), `mirra-bench-${name}.rss`);
  const fd = fs.openSync(out, 'w');
  const started = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', rssFile, ...argv], { stdio: ['ignore', fd, 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  fs.closeSync(fd);
  if (!okCodes.includes(r.status)) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const rssKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  return { wallMs, rssMb: rssKb / 1024, out };
}

function checkFindings(reportFile, manifest) {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const prefix = path.relative(ROOT, TREE_DIR).split(path.sep).join('/') + '/';
  const found = new Map(report.findings.map((f) => [`${f.keySha256}|${f.file}`, f]));
  const missing = [];
  const misplaced = [];
  for (const k of manifest.keys) {
    const f = found.get(`${k.keySha256}|${prefix}${k.file}`);
    if (!f) missing.push(k);
    else if (k.line !== null && (f.line !== k.line || f.column !== k.column || f.encoding !== k.encoding)) misplaced.push({ want: k, got: { line: f.line, column: f.column, encoding: f.encoding } });
  }
  const planted = new Set(manifest.keys.map((k) => k.keySha256));
  const unexpected = report.findings.filter((f) => !planted.has(f.keySha256));
  return { report, missing, misplaced, unexpected };
}

async function main() {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  ensure('rg', 'ripgrep');
  ensure('time', 'time', () => fs.existsSync(GNU_TIME));

  let manifest = fs.existsSync(MANIFEST) ? JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) : null;
  if (!manifest || manifest.version !== CORPUS_VERSION || process.argv.includes('--rebuild-corpus')) {
    console.log('making the corpus (once; it stays in bench/.corpus/scan, which git ignores)…');
    manifest = await makeCorpus();
  }
  const files = manifest.treeFiles;
  const mib = (manifest.treeBytes + manifest.bigFileBytes) / 1024 / 1024;
  const tree = path.relative(ROOT, TREE_DIR);

  const mirra = [process.execPath, CLI, 'scan', '--no-ignore', '--format', 'json', tree];
  const rg = ['rg', '--no-ignore', '-uuu', '-c', 'mirra_', tree];
  const floor = [process.execPath, path.join(ROOT, 'bench', 'scan', 'node-floor.js'), tree];
  process.chdir(ROOT);
  console.log(`corpus: ${files} files, ${mib.toFixed(0)} MiB (${(manifest.treeBytes / 1024 / 1024).toFixed(0)} MiB of copied code + a ${(manifest.bigFileBytes / 1024 / 1024).toFixed(0)} MiB file), ${manifest.keys.length} planted keys`);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}, ${execFileSync('rg', ['--version']).toString().split('\n')[0]}`);
  console.log(`A: ${mirra.slice(1).join(' ').replace(CLI, path.relative(ROOT, CLI))}\nB: ${rg.join(' ')}\nC: node ${path.relative(ROOT, floor[1])} ${tree}`);

  // Warm-up (page cache), then A B C A B C …
  timed('mirra', mirra, [0, 1]);
  timed('rg', rg, [0, 1]);
  timed('floor', floor, [0]);
  const a = [];
  const b = [];
  const c = [];
  let lastReport;
  let floorOut;
  for (let i = 0; i < RUNS; i++) {
    const ra = timed('mirra', mirra, [1]);
    const rb = timed('rg', rg, [0, 1]);
    const rc = timed('floor', floor, [0]);
    a.push(ra);
    b.push(rb);
    c.push(rc);
    lastReport = ra.out;
    floorOut = rc.out;
    console.log(`  run ${i + 1}: mirra-scan ${ra.wallMs.toFixed(0)} ms, ${ra.rssMb.toFixed(0)} MB | rg ${rb.wallMs.toFixed(0)} ms, ${rb.rssMb.toFixed(0)} MB | node floor ${rc.wallMs.toFixed(0)} ms, ${rc.rssMb.toFixed(0)} MB`);
  }

  const { report, missing, misplaced, unexpected } = checkFindings(lastReport, manifest);
  const wallA = median(a.map((r) => r.wallMs));
  const wallB = median(b.map((r) => r.wallMs));
  const rssA = median(a.map((r) => r.rssMb));
  const rssMaxA = Math.max(...a.map((r) => r.rssMb));
  const wallC = median(c.map((r) => r.wallMs));
  const ratio = wallA / wallB;
  const [floorFiles, , floorBytes] = fs.readFileSync(floorOut, 'utf8').trim().split(' ').map(Number);
  console.log('');
  console.log(`median wall time: mirra-scan ${wallA.toFixed(0)} ms, rg ${wallB.toFixed(0)} ms  ->  ratio mirra-scan/rg = ${ratio.toFixed(2)} (goal <= ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'})`);
  console.log(`node floor: ${wallC.toFixed(0)} ms (read ${floorFiles} files, ${(floorBytes / 1024 / 1024).toFixed(0)} MiB)  ->  node floor/rg = ${(wallC / wallB).toFixed(2)}, mirra-scan/node floor = ${(wallA / wallC).toFixed(2)}`);
  console.log(`peak RSS: mirra-scan median ${rssA.toFixed(0)} MB, max ${rssMaxA.toFixed(0)} MB; rg median ${median(b.map((r) => r.rssMb)).toFixed(0)} MB  (goal < ${GOAL_RSS_MB} MB: ${rssMaxA < GOAL_RSS_MB ? 'met' : 'MISSED'})`);
  console.log(`throughput: mirra-scan ${(mib / (wallA / 1000)).toFixed(0)} MiB/s, rg ${(mib / (wallB / 1000)).toFixed(0)} MiB/s; mirra-scan read ${report.stats.files} files, ${(report.stats.bytes / 1024 / 1024).toFixed(0)} MiB, ${report.errors.length} errors`);
  console.log(`planted keys: ${manifest.keys.length - missing.length}/${manifest.keys.length} found, ${misplaced.length} at the wrong place, ${unexpected.length} unexpected findings`);
  for (const m of missing.slice(0, 10)) console.log(`  missing: ${m.file}:${m.line ?? '?'} (${m.how})`);
  for (const m of misplaced.slice(0, 10)) console.log(`  misplaced: ${m.want.file}:${m.want.line}:${m.want.column} (${m.want.how}) reported at ${m.got.line}:${m.got.column} as ${m.got.encoding}`);
  for (const u of unexpected.slice(0, 10)) console.log(`  unexpected: ${u.file}:${u.line}:${u.column} ${u.redacted}`);
  process.exitCode = missing.length === 0 && misplaced.length === 0 && unexpected.length === 0 ? 0 : 1;
}

await main();
