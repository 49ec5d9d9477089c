// Generates the benchmark repository for `npm run bench:history` with `git fast-import`: a few
// thousand commits of ordinary code churn on main and feature branches (merged with merge commits),
// with fake Mirra keys planted in the ways history hides them: added then removed, left in place,
// written only by a merge resolution, inside binary files, and on branches never merged.
// Keys are made here at run time from a seeded generator; only their SHA-256 is written down.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function generate(dir, { commits: wanted = 5200, seed = 7 } = {}) {
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
  const pick = (n) => Math.floor(rand() * n);
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[pick(16)]).join('');
  const prefixes = ['mirra_', 'mirra_script_', 'mirra_install_', 'mirra_test_'];
  const newKey = () => {
    const prefix = prefixes[pick(prefixes.length)];
    return prefix + hex(64 + pick(40) - prefix.length);
  };
  const words = ['value', 'result', 'config', 'handler', 'request', 'session', 'payload', 'cache', 'index', 'buffer', 'stream', 'limit'];
  const codeLine = () => `  const ${words[pick(words.length)]}${pick(1000)} = ${words[pick(words.length)]}(${pick(100000)}, '${hex(8)}');`;

  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const init = spawn('git', ['init', '-q', '-b', 'main', dir], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    init.on('close', (code) => {
      if (code !== 0) return reject(new Error('git init failed'));
      const fi = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
      let made;
      fi.on('close', (c) => (c === 0 ? resolve(made) : reject(new Error(`git fast-import failed (${c})`))));
      made = write(fi.stdin);
    });
  });

  function write(out) {
    const planted = [];
    let mark = 0;
    let time = 1_600_000_000;
    let commitCount = 0;
    const chunks = [];
    const emit = (s) => chunks.push(typeof s === 'string' ? Buffer.from(s, 'latin1') : s);
    const flush = () => {
      if (chunks.length) out.write(Buffer.concat(chunks.splice(0)));
    };

    // Working state per branch: path -> array of lines.
    const main = new Map();
    const FILES = 320;
    const fileName = (i) => `src/mod${i % 40}/file${i}.js`;
    const initialOps = [];
    for (let i = 0; i < FILES; i++) {
      const lines = [`// module ${i}`, `export function f${i}() {`];
      for (let j = 0, n = 30 + pick(120); j < n; j++) lines.push(codeLine());
      lines.push('}');
      main.set(fileName(i), lines);
      initialOps.push(fileName(i));
    }

    const authors = ['Ada Lovelace <ada@example.test>', 'Bob Builder <bob@example.test>', 'Cy Coder <cy@example.test>', 'Di Dev <di@example.test>'];
    const commit = (ref, state, changed, message, parents = [], extra = []) => {
      const m = ++mark;
      time += 60 + pick(3600);
      const author = authors[pick(authors.length)];
      emit(`commit ${ref}\nmark :${m}\nauthor ${author} ${time} +0000\ncommitter ${author} ${time} +0000\n`);
      emit(`data ${Buffer.byteLength(message)}\n${message}\n`);
      if (parents[0]) emit(`from :${parents[0]}\n`);
      for (const p of parents.slice(1)) emit(`merge :${p}\n`);
      for (const file of changed) {
        const lines = state.get(file);
        if (!lines) {
          emit(`D ${file}\n`);
          continue;
        }
        const data = Buffer.from(lines.join('\n') + '\n', 'latin1');
        emit(`M 100644 inline ${file}\ndata ${data.length}\n`);
        emit(data);
        emit('\n');
      }
      for (const op of extra) {
        emit(`M 100644 inline ${op.path}\ndata ${op.data.length}\n`);
        emit(op.data);
        emit('\n');
      }
      commitCount++;
      if (chunks.length > 256) flush();
      return m;
    };

    const plant = (kind, key, where) => planted.push({ kind, keySha256: createHash('sha256').update(key).digest('hex'), ...where });
    const churn = (state, files) => {
      const changed = new Set();
      for (let k = 0, n = 1 + pick(4); k < n; k++) {
        const file = files[pick(files.length)];
        const lines = state.get(file);
        const at = 2 + pick(Math.max(1, lines.length - 3));
        const added = Array.from({ length: 1 + pick(8) }, codeLine);
        // Files stay a readable size: edits replace lines once a file is long.
        lines.splice(at, lines.length > 400 ? added.length : rand() < 0.5 ? 1 : 0, ...added);
        changed.add(file);
      }
      return [...changed];
    };

    const allFiles = [...main.keys()];
    const evenFiles = allFiles.filter((_, i) => i % 2 === 0);
    const oddFiles = allFiles.filter((_, i) => i % 2 === 1);
    let head = commit('refs/heads/main', main, initialOps, 'initial import');
    const pendingRemovals = []; // { due, file, line text }
    let n = 1;
    let keyNo = 0;

    const addKeyLine = (state, file, key) => {
      const lines = state.get(file);
      const text = `  const token${keyNo++} = '${key}';`;
      lines.splice(2 + pick(Math.max(1, lines.length - 3)), 0, text);
      return text;
    };

    while (n < wanted) {
      // Every ~60 commits: a feature branch of 8 commits, main moving on meanwhile, then a merge.
      if (n % 60 === 30) {
        const branch = new Map([...main].map(([k, v]) => [k, [...v]]));
        let bhead = head;
        const branchChanged = new Set();
        for (let k = 0; k < 8; k++) {
          const ch = churn(branch, oddFiles);
          ch.forEach((f) => branchChanged.add(f));
          bhead = commit('refs/heads/topic', branch, ch, `topic work ${k}`, [bhead]);
          n++;
          head = commit('refs/heads/main', main, churn(main, evenFiles), `main work during topic ${k}`, [head]);
          n++;
        }
        for (const f of branchChanged) main.set(f, [...branch.get(f)]);
        const mergeChanged = [...branchChanged];
        if ((n / 60) % 3 < 1 && planted.filter((p) => p.kind === 'merge-resolution').length < 8) {
          // The merge resolution writes a key into a file neither side touched.
          const file = evenFiles[pick(evenFiles.length)];
          const key = newKey();
          addKeyLine(main, file, key);
          mergeChanged.push(file);
          plant('merge-resolution', key, { file });
        }
        head = commit('refs/heads/main', main, mergeChanged, 'Merge branch topic', [head, bhead]);
        n++;
        continue;
      }
      const changed = churn(main, allFiles);
      const extra = [];
      const due = pendingRemovals.filter((r) => r.due <= n);
      for (const r of due) {
        const lines = main.get(r.file);
        const i = lines.indexOf(r.text);
        if (i >= 0) lines.splice(i, 1);
        changed.push(r.file);
        pendingRemovals.splice(pendingRemovals.indexOf(r), 1);
      }
      if (rand() < 0.012) {
        const file = allFiles[pick(allFiles.length)];
        const key = newKey();
        const text = addKeyLine(main, file, key);
        changed.push(file);
        if (keyNo % 2 === 0) {
          plant('added-then-removed', key, { file });
          pendingRemovals.push({ due: n + 2 + pick(20), file, text });
        } else plant('still-there', key, { file });
      }
      if (n % 1300 === 650) {
        const key = newKey();
        const bin = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), Buffer.alloc(200 + pick(2000), 0), Buffer.from(`tEXtkey\0${key}\0`, 'latin1'), Buffer.alloc(100, 255)]);
        const p = `assets/image${n}.png`;
        extra.push({ path: p, data: bin });
        plant('binary', key, { file: p });
      }
      head = commit('refs/heads/main', main, [...new Set(changed)], `change ${n}`, [head], extra);
      n++;
      if (n % 1700 === 850) {
        // A branch that is never merged, with a key on it: only `--all` sees it.
        const stale = new Map([...main].map(([k, v]) => [k, [...v]]));
        const file = allFiles[pick(allFiles.length)];
        const key = newKey();
        addKeyLine(stale, file, key);
        commit(`refs/heads/stale-${n}`, stale, [file], 'experiment', [head]);
        n++;
        plant('unmerged-branch', key, { file });
      }
    }
    emit('done\n');
    flush();
    out.end();
    return { commits: commitCount, planted };
  }
}

/** Generates the repository unless one with the same settings is there already; returns what was planted. */
export async function ensureCorpus(dir, options = {}) {
  const stamp = path.join(dir, '.git', 'mirra-bench.json');
  const want = JSON.stringify({ v: 4, ...options });
  try {
    const saved = JSON.parse(fs.readFileSync(stamp, 'utf8'));
    if (JSON.stringify(saved.options) === want) return saved;
  } catch {
    // not generated yet
  }
  const made = await generate(dir, options);
  const saved = { options: JSON.parse(want), ...made };
  fs.writeFileSync(stamp, JSON.stringify(saved));
  return saved;
}
