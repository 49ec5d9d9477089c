// `npm run bench:hook`: what the pre-commit hook costs. Times `git commit` of 1, 100 and 10,000
// new files in three repositories that differ only in their hook: none, mirra-scan's husky hook
// (set up by `mirra-scan install`), and git-secrets' hook (apt package, with a Mirra pattern added so
// both hooks look for the same thing). Variants are interleaved, each commit is undone with
// `git reset --soft HEAD~1` so every run commits the same staged change, and medians are reported.
//
// Then, in the same repository with the same staged change, the hook's own command against its
// floors, interleaved: `mirra-scan staged` against `node -e 0` (goal: at most 25 ms above it with one
// file staged) and against `git diff --cached -p -U0 | rg mirra_` (goal: at most 1.0x with 10,000),
// and the node floor (node-floor.js: the hook's git diff, read by Node, nothing else) against the latter.
//
// Options: --runs N (per size, default 15/11/5), --sizes 1,100,10000, --keep (leave the corpus).
// Corpus: bench/.corpus/hook/ (gitignored).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'dist/cli/mirra-scan.js');
const CORPUS = path.join(ROOT, 'bench/.corpus/hook');

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const SIZES = opt('sizes', '1,100,10000').split(',').map(Number);
const RUNS_FOR = (n) => Number(opt('runs', 0)) || (n <= 1 ? 15 : n <= 100 ? 11 : 5);
const WARMUP = 1;

// Hermetic git: no system/global config, no outer hook's GIT_* variables, HUSKY unset.
const env = {};
for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && k !== 'HUSKY') env[k] = v;
Object.assign(env, { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull, GIT_TERMINAL_PROMPT: '0' });

function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
}

function ensureGitSecrets() {
  const has = () => spawnSync('git', ['secrets', '--list'], { env, cwd: os.tmpdir() }).error === undefined && spawnSync('sh', ['-c', 'command -v git-secrets'], { env }).status === 0;
  if (has()) return true;
  console.error('git-secrets is missing: apt-get install -y git-secrets');
  const r = spawnSync('sh', ['-c', 'apt-get install -y git-secrets >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y git-secrets >/dev/null 2>&1)'], { stdio: 'inherit' });
  if (r.status !== 0 || !has()) {
    console.error('could not install git-secrets; its column is left out');
    return false;
  }
  return true;
}

function newRepo(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  fs.writeFileSync(path.join(dir, 'README.md'), '# bench\n');
}

const VARIANTS = {
  'no hook': (dir) => {
    newRepo(dir);
  },
  'mirra-scan': (dir) => {
    newRepo(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true, devDependencies: { husky: '^9.1.7' } }, null, 2) + '\n');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
    const nm = path.join(dir, 'node_modules');
    fs.mkdirSync(path.join(nm, '.bin'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(nm, 'eslint-plugin-mirra'), 'dir');
    fs.symlinkSync('../eslint-plugin-mirra/dist/cli/mirra-scan.js', path.join(nm, '.bin', 'mirra-scan'));
    fs.symlinkSync(path.join(ROOT, 'node_modules/husky'), path.join(nm, 'husky'), 'dir');
    execFileSync(process.execPath, [CLI, 'install'], { cwd: dir, env, stdio: 'pipe' });
    if (git(dir, 'config', 'core.hooksPath').trim() !== '.husky/_') throw new Error('mirra-scan install did not activate husky');
  },
  'git-secrets': (dir) => {
    newRepo(dir);
    git(dir, 'secrets', '--install');
    git(dir, 'secrets', '--add', 'mirra_(script_|install_|test_)?[0-9a-f]{40,}');
  },
};

/** N source files no hook objects to, in a fresh folder (removed and rewritten for each size). */
function writeFiles(dir, n) {
  const base = path.join(dir, 'src');
  fs.rmSync(base, { recursive: true, force: true });
  for (let i = 0; i < n; i++) {
    const sub = path.join(base, `m${i % 100}`);
    if (i < 100) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(
      path.join(sub, `file${i}.ts`),
      `// generated file ${i}\nimport { client } from '../client';\n\nexport async function load${i}() {\n  const apiKey = process.env.MIRRA_API_KEY;\n  return client({ apiKey, id: ${i} });\n}\n`,
    );
  }
}

/** One command's wall time (Node's clock around the child), its exit code checked. */
function timeOnce(dir, argv, ok = [0]) {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!ok.includes(r.status)) throw new Error(`${argv.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

/** `mirra-scan staged` against `node -e 0` and against `git diff --cached | rg`, interleaved, in `dir`. */
function timeDirect(dir, runs) {
  const commands = {
    'node -e 0': [process.execPath, '-e', '0'],
    'mirra-scan staged': [process.execPath, CLI, 'staged'],
    'git diff --cached | rg': ['sh', '-c', 'git diff --cached -p -U0 --no-color | rg -c mirra_'],
    'node floor': [process.execPath, path.join(ROOT, 'bench/hook/node-floor.js')],
  };
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < WARMUP + runs; i++) {
    for (const [k, argv] of Object.entries(commands)) {
      const ms = timeOnce(dir, argv, k.includes('rg') ? [0, 1] : [0]);
      if (i >= WARMUP) times[k].push(ms);
    }
  }
  return Object.fromEntries(Object.keys(commands).map((k) => [k, median(times[k])]));
}

function timeCommit(dir) {
  const started = process.hrtime.bigint();
  const r = spawnSync('git', ['commit', '-q', '-m', 'bench'], { cwd: dir, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`git commit failed in ${dir}: ${r.stderr}`);
  git(dir, 'reset', '-q', '--soft', 'HEAD~1');
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

if (!fs.existsSync(CLI)) throw new Error('build first: npm run build');
const variants = Object.keys(VARIANTS).filter((v) => v !== 'git-secrets' || ensureGitSecrets());
const gitVersion = git(os.tmpdir(), '--version').trim();
console.log(`hook benchmark: ${gitVersion}, node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
console.log(`corpus: ${path.relative(ROOT, CORPUS)}; medians of interleaved runs; each run commits the same staged change\n`);

const rows = [];
for (const n of SIZES) {
  const dirs = {};
  for (const v of variants) {
    const dir = path.join(CORPUS, `${v.replace(/\W+/g, '-')}`);
    VARIANTS[v](dir);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--no-verify', '-m', 'base');
    writeFiles(dir, n);
    git(dir, 'add', '-A');
    dirs[v] = dir;
  }
  const runs = RUNS_FOR(n);
  const times = Object.fromEntries(variants.map((v) => [v, []]));
  for (let i = 0; i < WARMUP + runs; i++) {
    const order = variants.map((_, k) => variants[(i + k) % variants.length]); // rotate who goes first
    for (const v of order) {
      const ms = timeCommit(dirs[v]);
      if (i >= WARMUP) times[v].push(ms);
    }
  }
  const med = Object.fromEntries(variants.map((v) => [v, median(times[v])]));
  rows.push({ n, runs, med, direct: timeDirect(dirs['mirra-scan'], runs) });
}

const head = ['files', 'runs', ...variants.map((v) => `${v}`), 'mirra-scan adds', 'mirra/none', ...(variants.includes('git-secrets') ? ['git-secrets adds', 'git-secrets/none', 'mirra/git-secrets'] : []), 'goal'];
const table = [head];
for (const { n, runs, med } of rows) {
  const none = med['no hook'];
  const mirra = med['mirra-scan'];
  const added = mirra - none;
  const goal = n <= 1 ? 150 : n >= 10000 ? 2000 : null;
  const row = [String(n), String(runs), ...variants.map((v) => fmt(med[v])), fmt(added), `${(mirra / none).toFixed(2)}×`];
  if (variants.includes('git-secrets')) {
    const gs = med['git-secrets'];
    row.push(fmt(gs - none), `${(gs / none).toFixed(2)}×`, `${(mirra / gs).toFixed(2)}×`);
  }
  row.push(goal === null ? '-' : `${added < goal ? 'met' : 'MISSED'} (< ${fmt(goal)})`);
  table.push(row);
}
const widths = head.map((_, c) => Math.max(...table.map((r) => r[c].length)));
for (const [i, r] of table.entries()) {
  console.log(r.map((cell, c) => cell.padStart(widths[c])).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
console.log('\n"adds" = median hook commit minus median commit without a hook; "a/b" = ratio of medians.');

console.log('\nthe hook\'s command on its own (same repositories and staged change, interleaved, medians):');
for (const { n, direct } of rows) {
  const staged = direct['mirra-scan staged'];
  const node = direct['node -e 0'];
  const pipe = direct['git diff --cached | rg'];
  const floor = direct['node floor'];
  const above = staged - node;
  const goal = n <= 1 ? `${above <= 25 ? 'met' : 'MISSED'} (<= 25 ms above node -e 0)` : n >= 10000 ? `${staged / pipe <= 1 ? 'met' : 'MISSED'} (<= 1.0x git diff | rg)` : '';
  console.log(`  ${String(n).padStart(5)} files: mirra-scan staged ${fmt(staged)}, node -e 0 ${fmt(node)} (+${fmt(above)}), git diff --cached | rg ${fmt(pipe)} (${(staged / pipe).toFixed(2)}x), node floor ${fmt(floor)} (${(floor / pipe).toFixed(2)}x the pipeline)  ${goal}`);
}
if (!argv.includes('--keep')) fs.rmSync(CORPUS, { recursive: true, force: true });
