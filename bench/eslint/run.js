// `npm run bench:eslint`: what mirra/no-hardcoded-api-key adds to ESLint's time, on a large real
// TypeScript code base (see corpus.js), next to eslint-plugin-no-secrets doing the same job.
// Every variant runs in a process of its own, all variants interleaved in a shuffled order in each
// round, so that drift in the machine's load falls on all of them alike. Reported:
//   1. the median CPU and wall time of ESLint#lintFiles for each variant, and its ratio to the
//      baseline (ratio of medians, and in brackets the median of the ratios within each round);
//   2. ESLint's own per-rule accounting (its `stats` option): the rule's time as a share of
//      ESLint's time within one run, which no drift between runs can blur.
//
// Usage: node bench/eslint/run.js [--rounds N]   (after npm run build)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from './corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '../..');
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;
const GOAL = 0.03;

if (!fs.existsSync(path.join(repo, 'dist/src/index.js'))) {
  console.error('bench:eslint needs the build: run `npm run build` first.');
  process.exit(2);
}

const corpus = ensureCorpus();

/** Each measured pair: the variant and the baseline it is compared with, on one copy of the corpus. */
const CASES = [
  { id: 'plain: typical', corpus: 'plain', variant: 'typical', baseline: null },
  // The same configuration again: how far apart two identical runs land on this machine.
  { id: 'plain: typical, again', corpus: 'plain', variant: 'typical', baseline: 'plain: typical' },
  { id: 'plain: typical + mirra', corpus: 'plain', variant: 'typical + mirra', baseline: 'plain: typical' },
  { id: 'plain: typical + no-secrets', corpus: 'plain', variant: 'typical + no-secrets', baseline: 'plain: typical' },
  { id: 'traced: typical', corpus: 'traced', variant: 'typical', baseline: null },
  { id: 'traced: typical + mirra', corpus: 'traced', variant: 'typical + mirra', baseline: 'traced: typical' },
];

function lintOnce(c) {
  const out = execFileSync(process.execPath, [path.join(here, 'lint-once.js'), c.variant, corpus[c.corpus]], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function shuffle(xs, seed) {
  const a = [...xs];
  let x = seed;
  for (let i = a.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const { version: eslintVersion } = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules/eslint/package.json'), 'utf8'));
console.log(
  `ESLint ${eslintVersion}, Node ${process.version}: ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB, ` +
    `${corpus.lines.toLocaleString('en')} lines of TypeScript (ajv's sources, Node's and TypeScript's type definitions).`,
);
console.log(`plain: the files as they are. traced: each file names "mirra" in a comment, so the rule visits every node.`);
console.log(`typical: @eslint/js + typescript-eslint recommended. ${ROUNDS} rounds, ${CASES.length} variants interleaved.\n`);

// One unmeasured run of each, so that disk caches are warm for all alike.
for (const c of CASES) lintOnce(c);

const cpu = new Map(CASES.map((c) => [c.id, []]));
const wall = new Map(CASES.map((c) => [c.id, []]));
const problems = new Map();
for (let round = 0; round < ROUNDS; round++) {
  for (const c of shuffle(CASES, round + 1)) {
    const r = lintOnce(c);
    cpu.get(c.id).push(r.cpuMs);
    wall.get(c.id).push(r.ms);
    problems.set(c.id, r.problems);
  }
  process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
}

// The corpus holds no key: the rule must not report anything in it.
for (const c of CASES) {
  const found = problems.get(c.id)['mirra/no-hardcoded-api-key'];
  if (found) console.log(`note: mirra reported ${found} problems in ${c.id}`);
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const pct = (r) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Ratio to the baseline: of the medians, and the median of the ratios within each round. */
function ratios(series, c) {
  const t = series.get(c.id);
  const base = series.get(c.baseline);
  return { ofMedians: median(t) / median(base), paired: median(t.map((v, i) => v / base[i])) };
}

console.log('1. With and without, each run in its own process (CPU time of ESLint#lintFiles; wall time beside it)\n');
console.log(`${pad('variant', 30)}${lpad('CPU median', 12)}${lpad('CPU ratio (paired)', 24)}${lpad('wall median', 13)}${lpad('wall ratio (paired)', 24)}`);
const summary = {};
for (const c of CASES) {
  let cpuRatio = '';
  let wallRatio = '';
  if (c.baseline) {
    const rc = ratios(cpu, c);
    const rw = ratios(wall, c);
    summary[c.id] = { cpu: rc, wall: rw };
    cpuRatio = `${rc.ofMedians.toFixed(3)} (${rc.paired.toFixed(3)})`;
    wallRatio = `${rw.ofMedians.toFixed(3)} (${rw.paired.toFixed(3)})`;
  }
  console.log(`${pad(c.id, 30)}${lpad(secs(median(cpu.get(c.id))), 12)}${lpad(cpuRatio, 24)}${lpad(secs(median(wall.get(c.id))), 13)}${lpad(wallRatio, 24)}`);
}

// 2. ESLint's own accounting: the time spent in each rule (its create() and listeners) within one
//    run, as a share of ESLint's time for the same files. Immune to drift between runs.
console.log("\n2. ESLint's own per-rule times (the `stats` option), one run each\n");
console.log(`${pad('run', 30)}${pad('rule', 30)}${lpad('rule time', 11)}${lpad('ESLint time', 13)}${lpad('share', 9)}`);
const shares = {};
for (const [id, variant, folder, ruleId] of [
  ['plain: typical + mirra', 'typical + mirra', 'plain', 'mirra/no-hardcoded-api-key'],
  ['traced: typical + mirra', 'typical + mirra', 'traced', 'mirra/no-hardcoded-api-key'],
  ['plain: typical + no-secrets', 'typical + no-secrets', 'plain', 'no-secrets/no-secrets'],
]) {
  const out = execFileSync(process.execPath, [path.join(here, 'lint-once.js'), variant, corpus[folder], '--stats'], { cwd: repo, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const { stats } = JSON.parse(out.trim().split('\n').pop());
  const ruleMs = stats.ruleMs[ruleId] ?? 0;
  shares[id] = ruleMs / stats.totalMs;
  console.log(`${pad(id, 30)}${pad(ruleId, 30)}${lpad(ruleMs.toFixed(1) + ' ms', 11)}${lpad(secs(stats.totalMs), 13)}${lpad((shares[id] * 100).toFixed(2) + '%', 9)}`);
}

const m = summary['plain: typical + mirra'];
const noise = summary['plain: typical, again'];
const ns = summary['plain: typical + no-secrets'];
const worst = summary['traced: typical + mirra'];
const share = shares['plain: typical + mirra'];
const noiseFloor = Math.max(Math.abs(noise.cpu.paired - 1), Math.abs(noise.cpu.ofMedians - 1));
const abWithin = m.cpu.paired - 1 < GOAL || m.cpu.paired - 1 <= noiseFloor;
console.log(
  `\nmirra/no-hardcoded-api-key on real code: its own time is ${(share * 100).toFixed(2)}% of ESLint's; ` +
    `with vs without: ${pct(m.cpu.paired)} CPU (paired; ${pct(m.cpu.ofMedians)} by medians), ${pct(m.wall.paired)} wall, ` +
    `where the same configuration twice differs by ${pct(noise.cpu.paired)} CPU (noise).`,
);
console.log(`Goal, under ${GOAL * 100}%: ${share < GOAL && abWithin ? 'met' : 'NOT met'}.`);
console.log(
  `Worst case (every file names mirra): ${pct(worst.cpu.paired)} CPU, rule's own time ${(shares['traced: typical + mirra'] * 100).toFixed(2)}%. ` +
    `eslint-plugin-no-secrets instead: ${pct(ns.cpu.paired)} CPU, rule's own time ${(shares['plain: typical + no-secrets'] * 100).toFixed(2)}%.`,
);
