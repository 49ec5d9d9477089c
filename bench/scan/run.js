#!/usr/bin/env node
// `npm run bench` (after `npm run build`): mirra-scan against ripgrep and the Node floor, on two
// corpora make-corpus.js generates, reported as separate rows:
//   tree: real code copied from the installed npm packages (at least 300 MiB and 30,000 files, no
//         file over 2 MiB), with planted keys;
//   big:  one 200 MiB file of real minified bundles (lines of 20 KB to 3 MB), with planted keys.
//
//   mirra-scan:  node dist/cli/mirra-scan.js scan --no-ignore --format json <corpus>
//   ripgrep:     rg --no-ignore -uuu -c mirra_ <corpus>          (the plain prefix only)
//   rg -j1:      the same on one thread (big file row only: what one core of ripgrep does)
//   node floor:  node bench/scan/node-floor.js <corpus>    (walk, read, five indexOf passes: nothing else)
//   node floor, all needles: the same with --all-needles: one indexOf pass for each needle the
//                detector must search (eleven), the floor of a scanner that finds what mirra-scan finds
//
// The node floor shows how close to ripgrep any Node program can get on this machine: it does only
// the walking, reading and needle searching mirra-scan cannot avoid, spread over every CPU.
//
// Runs are interleaved (A B C A B C …) after one warm-up of each, so all see the same page cache and
// the same machine load. Wall time is taken with Node's clock around each child; CPU time (user + system)
// and peak memory (max RSS)
// with GNU time (`/usr/bin/time -f %M`). Prints medians, the ratios, and checks that every planted key
// was found at its place (by keySha256, file, line and column) and that nothing else was.
//
// Usage: node bench/scan/run.js [--runs 5] [--rebuild-corpus] [--only tree|big]
// Exit code: 0 when every planted key was found and nothing else; 1 otherwise. Speed and memory
// goals (at most 1.3x the node floor, peak RSS under 200 MB) are reported, not enforced.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIG_FILE, CORPUS_VERSION, MANIFEST, TREE_DIR, makeCorpus } from './make-corpus.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'cli', 'mirra-scan.js');
const GNU_TIME = '/usr/bin/time';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 5;
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg >= 0 ? process.argv[onlyArg + 1] : null;
const GOAL_FLOOR_RATIO = 1.3;
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
  const r = spawnSync(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, ...argv], { stdio: ['ignore', fd, 'pipe'], maxBuffer: 16 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  fs.closeSync(fd);
  if (!okCodes.includes(r.status)) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr}`);
  const [rssKb, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024, out };
}

function checkFindings(reportFile, keys) {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const found = new Map(report.findings.map((f) => [`${f.keySha256}|${f.file}`, f]));
  const missing = [];
  const misplaced = [];
  for (const k of keys) {
    const f = found.get(`${k.keySha256}|${k.file}`);
    if (!f) missing.push(k);
    else if (k.line !== null && (f.line !== k.line || f.column !== k.column || f.encoding !== k.encoding)) misplaced.push({ want: k, got: { line: f.line, column: f.column, encoding: f.encoding } });
  }
  const planted = new Set(keys.map((k) => k.keySha256));
  const unexpected = report.findings.filter((f) => !planted.has(f.keySha256));
  return { report, missing, misplaced, unexpected };
}

/** One row: each command in turn, `RUNS` times after a warm-up; medians, ratios, peak RSS, planted keys. */
function row(name, target, keys, extra = []) {
  const commands = [
    { id: 'mirra-scan', argv: [process.execPath, CLI, 'scan', '--no-ignore', '--format', 'json', target], ok: [0, 1] },
    { id: 'rg', argv: ['rg', '--no-ignore', '-uuu', '-c', 'mirra_', target], ok: [0, 1] },
    ...extra,
    { id: 'node floor, all needles', argv: [process.execPath, path.join(ROOT, 'bench', 'scan', 'node-floor.js'), '--all-needles', target], ok: [0] },
    { id: 'node floor', argv: [process.execPath, path.join(ROOT, 'bench', 'scan', 'node-floor.js'), target], ok: [0] },
  ];
  console.log(`\n${name}: ${path.relative(ROOT, target)}`);
  for (const c of commands) console.log(`  ${c.id}: ${c.argv.map((a) => (a === process.execPath ? 'node' : path.isAbsolute(a) ? path.relative(ROOT, a) : a)).join(' ')}`);
  for (const c of commands) timed(c.id, c.argv, c.ok); // warm-up
  const runs = new Map(commands.map((c) => [c.id, []]));
  for (let i = 0; i < RUNS; i++) {
    const line = [];
    for (const c of commands) {
      const r = timed(c.id.replace(/\W+/g, '-'), c.argv, c.ok);
      runs.get(c.id).push(r);
      line.push(`${c.id} ${r.wallMs.toFixed(0)} ms ${r.rssMb.toFixed(0)} MB`);
    }
    console.log(`  run ${i + 1}: ${line.join(' | ')}`);
  }
  const med = (id) => median(runs.get(id).map((r) => r.wallMs));
  const m = med('mirra-scan');
  const floor = med('node floor');
  const rssMax = Math.max(...runs.get('mirra-scan').map((r) => r.rssMb));
  const { missing, misplaced, unexpected } = checkFindings(runs.get('mirra-scan').at(-1).out, keys);
  const cols = commands.map((c) => `${c.id} ${med(c.id).toFixed(0)} ms`).join(', ');
  console.log(`  median wall: ${cols}`);
  const vs = commands.filter((c) => c.id !== 'mirra-scan').map((c) => `${(m / med(c.id)).toFixed(2)}x ${c.id}`).join(', ');
  console.log(`  mirra-scan = ${vs}   (goal <= ${GOAL_FLOOR_RATIO}x node floor: ${m / floor <= GOAL_FLOOR_RATIO ? 'met' : 'MISSED'}); node floor = ${(floor / med('rg')).toFixed(2)}x rg`);
  const cpu = (id) => median(runs.get(id).map((r) => r.cpuMs));
  console.log(`  CPU time (user + system): ${commands.map((c) => `${c.id} ${cpu(c.id).toFixed(0)} ms`).join(', ')}; mirra-scan = ${(cpu('mirra-scan') / cpu('node floor')).toFixed(2)}x node floor`);
  console.log(`  peak RSS: mirra-scan max ${rssMax.toFixed(0)} MB (goal < ${GOAL_RSS_MB} MB: ${rssMax < GOAL_RSS_MB ? 'met' : 'MISSED'}), rg ${median(runs.get('rg').map((r) => r.rssMb)).toFixed(0)} MB, node floor ${median(runs.get('node floor').map((r) => r.rssMb)).toFixed(0)} MB`);
  console.log(`  planted keys: ${keys.length - missing.length}/${keys.length} found, ${misplaced.length} at the wrong place, ${unexpected.length} unexpected findings`);
  for (const k of missing.slice(0, 10)) console.log(`    missing: ${k.file}:${k.line ?? '?'} (${k.how})`);
  for (const k of misplaced.slice(0, 10)) console.log(`    misplaced: ${k.want.file}:${k.want.line}:${k.want.column} (${k.want.how}) reported at ${k.got.line}:${k.got.column} as ${k.got.encoding}`);
  for (const u of unexpected.slice(0, 10)) console.log(`    unexpected: ${u.file}:${u.line}:${u.column} ${u.redacted}`);
  return missing.length === 0 && misplaced.length === 0 && unexpected.length === 0;
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
  process.chdir(ROOT);
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}, ${execFileSync('rg', ['--version']).toString().split('\n')[0]}; ${RUNS} runs, interleaved, medians`);
  let ok = true;
  if (ONLY !== 'big') {
    const mib = manifest.treeBytes / 1024 / 1024;
    ok = row(`tree (${manifest.treeFiles} files, ${mib.toFixed(0)} MiB of real code)`, TREE_DIR, manifest.keys.filter((k) => k.corpus === 'tree')) && ok;
  }
  if (ONLY !== 'tree') {
    const rgOneThread = { id: 'rg -j1', argv: ['rg', '-j1', '--no-ignore', '-uuu', '-c', 'mirra_', BIG_FILE], ok: [0, 1] };
    ok = row(`big file (${(manifest.bigFileBytes / 1024 / 1024).toFixed(0)} MiB of minified bundles)`, BIG_FILE, manifest.keys.filter((k) => k.corpus === 'big'), [rgOneThread]) && ok;
  }
  process.exitCode = ok ? 0 : 1;
}

await main();
