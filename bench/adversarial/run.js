#!/usr/bin/env node
// `npm run bench:adversarial`: hostile input against plain text of the same size, side by side.
//
// 1. The scanner. Each adversarial file (a trace of a key repeated until the file is SIZE bytes:
//    `mirra_`, `mirra%5F`, base64 of `mirra_`, `mirra\u005f`, …) is scanned by
//      node dist/cli/mirra-scan.js scan --no-ignore --format json <file>
//    and so is a file of plain code of the same size. Runs are interleaved (plain, hostile, plain,
//    hostile, …) after a warm-up, so both see the same page cache and machine load; the ratios of the
//    medians of wall time and of CPU time (user + system, GNU time) are reported, with peak RSS. The
//    goal (at most 3x) is judged on CPU time: on a shared machine wall time mostly measures the load.
// 2. The ESLint rule. Files of chained `const` concatenations rooted in a `mirra` trace (a chain of
//    5,000, a doubling chain of 25 levels, and unrelated concatenations after `require('mirra-sdk')`)
//    are linted by ESLint with the rule and without it (same parser, same files), interleaved; the
//    ratio of the medians of ESLint#lintFiles' time is reported (goal: a small multiple).
//
// Usage: node bench/adversarial/run.js [--size-mib 64] [--runs 5] [--only NAME,...]
// Corpora are written to bench/.corpus/adversarial (gitignored). Exit code 0 when every ratio is
// within its goal, 1 otherwise.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'cli', 'mirra-scan.js');
const DIR = path.join(ROOT, 'bench', '.corpus', 'adversarial');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const SIZE = Math.round(Number(arg('--size-mib', '64')) * 1024 * 1024);
const RUNS = Number(arg('--runs', '5'));
const ONLY = arg('--only', '')?.split(',').filter(Boolean) ?? [];
const SCAN_GOAL = 3;
const RULE_GOAL = 3;
const GNU_TIME = '/usr/bin/time';

/** Plain code: what a scanner meets most, with no trace of a key. */
const PLAIN = 'export function total(items) { return items.reduce((sum, x) => sum + x.price * x.qty, 0); }\n';

/** Each hostile file: one unit, repeated to SIZE bytes (a UTF-16 file is written with its BOM). */
const HOSTILE = [
  ['mirra_', 'mirra_'],
  ['mirra%5F', 'mirra%5F'],
  ['base64 of mirra_ (bWlycmFf)', 'bWlycmFf'],
  ['mirra\\u005f', 'mirra\\u005f'],
  ['mirra\\x5f', 'mirra\\x5f'],
  ['mirra_${', 'mirra_${'],
  ['mirra_xxxx', 'mirra_xxxx'],
  ['mirra_ + newline', 'mirra_\n'],
  ['mirra', 'mirra'],
  ['UTF-16 mirra_', 'mirra_', 'utf16le'],
  ['prefix + 127 hex digits', 'mirra_' + '0123456789abcdef'.repeat(8).slice(0, 127) + '\n'],
];

/** One file per hostile unit: its place in the list keeps labels that differ only in punctuation (`mirra_`, `mirra_${`, `mirra`) apart. */
function fileName(label) {
  const n = HOSTILE.findIndex(([l]) => l === label);
  return `${String(n + 1).padStart(2, '0')}-${label.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}.txt`;
}

function writeRepeated(file, unit, encoding = 'utf8') {
  if (fs.existsSync(file) && fs.statSync(file).size === SIZE) return;
  const bom = encoding === 'utf16le' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0);
  const block = Buffer.from(unit.repeat(Math.ceil((1024 * 1024) / unit.length)), encoding);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, bom);
  let left = SIZE - bom.length;
  while (left > 0) {
    const n = Math.min(left, block.length - (block.length % (encoding === 'utf16le' ? 2 : 1)));
    fs.writeSync(fd, block, 0, n);
    left -= n;
  }
  fs.closeSync(fd);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const haveGnuTime = fs.existsSync(GNU_TIME);

/**
 * Wall ms (Node's clock around the child), CPU ms (user + system, GNU time) and peak RSS in MB (GNU
 * time), exit code checked. On a shared machine the CPU time is the steadier measure of the work.
 */
function timed(argv, okCodes) {
  const rssFile = path.join(DIR, '.rss');
  const full = haveGnuTime ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile, ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!okCodes.includes(r.status)) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  const [rssKb, user, sys] = haveGnuTime ? fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { ms, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024 };
}

function scanRows() {
  const plainFile = path.join(DIR, 'plain.txt');
  writeRepeated(plainFile, PLAIN);
  const scan = (file) => [process.execPath, CLI, 'scan', '--no-ignore', '--format', 'json', file];
  const rows = [];
  for (const [label, unit, encoding] of HOSTILE) {
    if (ONLY.length && !ONLY.some((o) => label.includes(o))) continue;
    const file = path.join(DIR, fileName(label));
    writeRepeated(file, unit, encoding);
    timed(scan(plainFile), [0]);
    timed(scan(file), [0, 1]);
    const plain = [];
    const hostile = [];
    for (let i = 0; i < RUNS; i++) {
      plain.push(timed(scan(plainFile), [0]));
      hostile.push(timed(scan(file), [0, 1]));
    }
    const p = median(plain.map((r) => r.ms));
    const h = median(hostile.map((r) => r.ms));
    const pc = median(plain.map((r) => r.cpuMs));
    const hc = median(hostile.map((r) => r.cpuMs));
    const row = { label, plainMs: p, hostileMs: h, ratio: h / p, cpuRatio: hc / pc, rssMb: Math.max(...hostile.map((r) => r.rssMb)) };
    rows.push(row);
    const verdict = (Number.isNaN(row.cpuRatio) ? row.ratio : row.cpuRatio) <= SCAN_GOAL ? 'ok' : 'OVER 3x';
    console.log(
      `  ${label.padEnd(28)} wall: plain ${p.toFixed(0).padStart(5)} ms, hostile ${h.toFixed(0).padStart(5)} ms, ratio ${row.ratio.toFixed(2)} | CPU: plain ${pc.toFixed(0).padStart(5)} ms, hostile ${hc.toFixed(0).padStart(5)} ms, ratio ${row.cpuRatio.toFixed(2)} | peak RSS ${row.rssMb.toFixed(0)} MB  ${verdict}`,
    );
  }
  return rows;
}

/** The ESLint rule's hostile files: folding chains of string constants. */
function ruleCorpus() {
  const dir = path.join(DIR, 'eslint');
  fs.mkdirSync(dir, { recursive: true });
  const chain = ['const c0 = "mirra_";'];
  for (let i = 1; i < 5000; i++) chain.push(`const c${i} = c${i - 1} + "ab";`);
  const doubling = ['const d0 = "mirra_";'];
  for (let i = 1; i <= 25; i++) doubling.push(`const d${i} = d${i - 1} + d${i - 1};`);
  const unrelated = ["const sdk = require('mirra-sdk');"];
  for (let i = 0; i < 5000; i++) unrelated.push(`const u${i} = "part" + ${i} + "/" + (u${Math.max(0, i - 1)} || "x");`);
  const files = {
    'chain-5000.js': chain.join('\n') + '\nmodule.exports = c4999;\n',
    'doubling-25.js': doubling.join('\n') + '\nmodule.exports = d25;\n',
    'require-sdk.js': unrelated.join('\n').replace('(u0 || "x")', '"x"') + '\nmodule.exports = { sdk, u4999 };\n',
  };
  for (const [name, text] of Object.entries(files)) {
    const sub = path.join(dir, name.replace(/\.js$/, ''));
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, name), text);
  }
  return Object.keys(files).map((name) => path.join(dir, name.replace(/\.js$/, '')));
}

function ruleRows() {
  const lint = path.join(ROOT, 'bench', 'adversarial', 'lint-folder.js');
  const rows = [];
  for (const folder of ruleCorpus()) {
    const label = path.basename(folder);
    if (ONLY.length && !ONLY.some((o) => label.includes(o))) continue;
    const once = (withRule) => {
      const r = spawnSync(process.execPath, [lint, folder, withRule ? 'with' : 'without'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`linting ${label} failed: ${r.stderr.slice(0, 500)}`);
      return JSON.parse(r.stdout.trim().split('\n').pop());
    };
    once(false);
    once(true);
    const without = [];
    const withRule = [];
    for (let i = 0; i < RUNS; i++) {
      without.push(once(false));
      withRule.push(once(true));
    }
    const a = median(without.map((r) => r.ms));
    const b = median(withRule.map((r) => r.ms));
    const row = { label, withoutMs: a, withMs: b, ratio: b / a, rssMb: Math.max(...withRule.map((r) => r.rssMb)) };
    rows.push(row);
    console.log(`  ${label.padEnd(28)} ESLint alone ${a.toFixed(0).padStart(6)} ms   with the rule ${b.toFixed(0).padStart(6)} ms   ratio ${row.ratio.toFixed(2)}   peak RSS ${row.rssMb.toFixed(0)} MB   ${row.ratio <= RULE_GOAL ? 'ok' : 'OVER'}`);
  }
  return rows;
}

if (!fs.existsSync(CLI)) {
  console.error('bench:adversarial needs the build: run `npm run build` first (npm run bench:adversarial does).');
  process.exit(2);
}
fs.mkdirSync(DIR, { recursive: true });
console.log(`scanner: each file ${(SIZE / 1024 / 1024).toFixed(0)} MiB, ${RUNS} runs each, interleaved; median wall time`);
console.log(`  command: node dist/cli/mirra-scan.js scan --no-ignore --format json FILE`);
const scan = scanRows();
console.log(`ESLint rule (mirra/no-hardcoded-api-key) against ESLint without it, ${RUNS} runs each, interleaved; median of ESLint#lintFiles`);
const rule = ruleRows();
// The goal is judged on CPU time (the work done, steady on a shared machine), on wall time when GNU time is missing.
const worst = Math.max(...scan.map((r) => (Number.isNaN(r.cpuRatio) ? r.ratio : r.cpuRatio)), 0);
const worstRule = Math.max(...rule.map((r) => r.ratio), 0);
console.log(`worst scanner ratio ${worst.toFixed(2)} (goal <= ${SCAN_GOAL}); worst rule ratio ${worstRule.toFixed(2)} (goal <= ${RULE_GOAL})`);
process.exitCode = worst <= SCAN_GOAL && worstRule <= RULE_GOAL ? 0 : 1;
