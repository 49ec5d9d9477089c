#!/usr/bin/env node
// Builds the corpus `npm run bench` scans, into bench/.corpus/scan/ (gitignored):
// - tree/c<N>/…: real source files copied from the installed npm packages (this project's
//   node_modules and the global one), copied again and again (each later copy of a JS/TS file gets a
//   first line of its own) until there are at least 300 MiB and 30,000 files;
// - fake keys planted in some of those files, in every encoding the detector reads, plus a few
//   UTF-16 files and binary files that hold keys;
// - big/huge.min.js (beside the tree, not in it): one 200 MiB file of real minified bundles (the
//   largest JavaScript files of the installed packages, minified by esbuild: lines of 20 KB to 3 MB),
//   with keys placed where the scanner's read windows meet (computed from the scanner's own window
//   constants, so they straddle real window edges) and, further on, inside the long lines;
// - manifest.json: for every planted key its keySha256, file (relative to the project), line, column
//   and encoding (never the key), and which corpus it is in (`tree` or `big`).
// Deterministic: fixed seeds, sources taken in sorted order. Needs the build (dist/) for the constants.
//
// Usage: node bench/scan/make-corpus.js [--force] [--min-mib 300] [--min-files 30000] [--big-mib 200] [--keys 240]

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fakeKey, KEY_PREFIX as PREFIX } from '../../scripts/fake-keys.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CORPUS_DIR = path.join(ROOT, 'bench', '.corpus', 'scan');
export const TREE_DIR = path.join(CORPUS_DIR, 'tree');
export const BIG_FILE = path.join(CORPUS_DIR, 'big', 'huge.min.js');
export const MANIFEST = path.join(CORPUS_DIR, 'manifest.json');
/** Bump when the layout changes, so that run.js rebuilds an old corpus. */
export const CORPUS_VERSION = 4;

const MiB = 1024 * 1024;
const MAX_SOURCE_FILE = 2 * MiB;
const JS_LIKE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/;
const TEXT_LIKE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx|json|md|markdown|txt|ya?ml|css|html)$/;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A small seeded PRNG (mulberry32): the same corpus on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = Object.keys(PREFIX);


const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

/** How a planted key is written; `encode` returns the text that stands in the file. */
export const ENCODINGS = [
  { name: 'plain', encoding: 'plain', encode: (k) => k },
  { name: 'base64', encoding: 'base64', encode: (k, r) => Buffer.from(' '.repeat(Math.floor(r() * 3)) + k).toString('base64') },
  { name: 'base64url', encoding: 'base64', encode: (k, r) => Buffer.from('='.repeat(Math.floor(r() * 3)) + k).toString('base64url') },
  { name: 'percent', encoding: 'url', encode: (k) => k.replaceAll('_', '%5F') },
  { name: 'u005f', encoding: 'escape', encode: (k) => k.replaceAll('_', '\\u005f') },
  { name: 'x5f', encoding: 'escape', encode: (k) => k.replaceAll('_', '\\x5f') },
];

/** Where the source files come from: installed npm packages. */
function sourceRoots() {
  const roots = [
    { label: 'project', dir: path.join(ROOT, 'node_modules') },
    { label: 'global', dir: path.resolve(process.execPath, '..', '..', 'lib', 'node_modules') },
  ];
  return roots.filter((r) => fs.existsSync(r.dir));
}

function listSources() {
  const out = [];
  for (const { label, dir } of sourceRoots()) {
    const walk = (d) => {
      let entries;
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          if (e.name !== '.git' && e.name !== '.corpus') walk(p);
        } else if (e.isFile()) {
          const size = fs.statSync(p).size;
          if (size > 0 && size <= MAX_SOURCE_FILE) out.push({ abs: p, rel: path.join(label, path.relative(dir, p)), size });
        }
      }
    };
    walk(dir);
  }
  return out;
}

function copyTree(sources, minBytes, minFiles) {
  const files = [];
  let bytes = 0;
  for (let copy = 0; bytes < minBytes || files.length < minFiles; copy++) {
    for (const s of sources) {
      if (bytes >= minBytes && files.length >= minFiles) break;
      const dest = path.join(TREE_DIR, `c${copy}`, s.rel);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (copy > 0 && JS_LIKE.test(s.abs)) {
        // A variation: each later copy of code starts with a line of its own.
        const data = Buffer.concat([Buffer.from(`// corpus copy ${copy} of ${s.rel.split(path.sep).join('/')}\n`), fs.readFileSync(s.abs)]);
        fs.writeFileSync(dest, data);
        bytes += data.length;
      } else {
        fs.copyFileSync(s.abs, dest);
        bytes += s.size;
      }
      files.push({ abs: dest, text: TEXT_LIKE.test(s.abs) });
    }
  }
  return { files, bytes };
}

/** A path as mirra-scan reports it when run from the project's root. */
const relTree = (abs) => path.relative(ROOT, abs).split(path.sep).join('/');

/** Plants `count` keys, one a file, each on a line of its own at a random line start. */
function plantInTree(files, count, r, manifest) {
  const candidates = files.filter((f) => f.text && fs.statSync(f.abs).size < MiB);
  const chosen = new Set();
  while (chosen.size < Math.min(count, candidates.length)) chosen.add(Math.floor(r() * candidates.length));
  let i = 0;
  for (const index of [...chosen].sort((a, b) => a - b)) {
    const file = candidates[index].abs;
    const type = TYPES[i % TYPES.length];
    const key = fakeKey(type, 64 + Math.floor(r() * 65), 0x5eed0000 + i);
    const enc = ENCODINGS[i % ENCODINGS.length];
    const text = fs.readFileSync(file);
    if (text.includes(0)) continue;
    // A line start to put the key line before, and that line's number.
    const newlines = [];
    for (let p = text.indexOf(10); p >= 0; p = text.indexOf(10, p + 1)) newlines.push(p);
    const k = Math.floor(r() * (newlines.length + 1));
    const at = k === 0 ? 0 : newlines[k - 1] + 1;
    const lead = `const PLANTED_KEY_${i} = "`;
    const line = `${lead}${enc.encode(key, r)}"; // planted by bench/scan/make-corpus.js\n`;
    fs.writeFileSync(file, Buffer.concat([text.subarray(0, at), Buffer.from(line), text.subarray(at)]));
    manifest.push({ keySha256: sha256(key), file: relTree(file), line: k + 1, column: lead.length + 1, encoding: enc.encoding, how: enc.name });
    i++;
  }
}

/** A few files in other forms: UTF-16 text (LE with a BOM, BE without, CRLF) and binary blobs. */
function plantSpecialFiles(r, manifest) {
  const dir = path.join(TREE_DIR, 'planted');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 6; i++) {
    const key = fakeKey(TYPES[i % 4], 64 + i * 10, 0xf16f0000 + i);
    const lines = ['# settings exported from a Windows tool', 'region = eu-west', `api_key = ${key}`, 'retries = 3', ''];
    const le = i % 2 === 0;
    let buf = Buffer.from(lines.join('\r\n'), 'utf16le');
    if (!le) buf = buf.swap16();
    if (le) buf = Buffer.concat([Buffer.from([0xff, 0xfe]), buf]);
    const file = path.join(dir, `settings-${i}.${le ? 'utf16le' : 'utf16be'}.ini`);
    fs.writeFileSync(file, buf);
    manifest.push({ keySha256: sha256(key), file: relTree(file), line: 3, column: 11, encoding: 'utf16', how: le ? 'utf16le-bom-crlf' : 'utf16be-crlf' });
  }
  for (let i = 0; i < 4; i++) {
    const key = fakeKey(TYPES[(i + 1) % 4], 70 + i * 12, 0xb10b0000 + i);
    const noise = Buffer.alloc(64 * 1024);
    for (let j = 0; j < noise.length; j++) noise[j] = Math.floor(r() * 256);
    const at = 20_000 + i * 1000;
    noise.fill(0, at - 8, at);
    const file = path.join(dir, `blob-${i}.bin`);
    fs.writeFileSync(file, Buffer.concat([noise.subarray(0, at), Buffer.from(key), Buffer.alloc(8), noise.subarray(at)]));
    manifest.push({ keySha256: sha256(key), file: relTree(file), line: null, column: null, encoding: 'plain', how: 'binary' });
  }
}

/** Longest line a bundle keeps (a longer one is cut after a `;`). */
const MAX_BUNDLE_LINE = 3 * MiB;
/** The lengths the bundles' lines are cut to, in turn: from 20 KB to 3 MB. */
const LINE_LENGTHS = [20_000, 150_000, 3 * MiB, 60_000, 700_000, 2 * MiB, 300_000];

/**
 * Real minified bundles: the largest JavaScript files of the installed packages, minified by esbuild
 * (which writes a file as a few very long lines), as ASCII. Returns a reader that hands out the next
 * `n` characters of them, round and round, never a newline unless `lines` is set.
 */
async function minifiedBundles(sources) {
  const { transform } = await import('esbuild');
  const big = sources.filter((s) => /\.[cm]?js$/.test(s.abs) && !/\.min\.js$/.test(s.abs) && s.size >= 300_000).sort((a, b) => b.size - a.size || (a.abs < b.abs ? -1 : 1));
  const flats = [];
  let total = 0;
  for (const s of big) {
    if (total >= 48 * MiB) break;
    try {
      const { code } = await transform(fs.readFileSync(s.abs, 'utf8'), { minify: true, loader: 'js', logLevel: 'silent' });
      // ASCII only (columns are easy to reason about), esbuild's own line breaks taken out.
      flats.push(code.replace(/[^\x09\x20-\x7e]/g, (c) => (c === '\n' ? ' ' : '?')));
      total += code.length;
    } catch {
      // Not plain JavaScript esbuild can read (Flow, JSX in .js): skip it.
    }
  }
  if (flats.length === 0) throw new Error('no large JavaScript files among the installed packages to minify');
  // One bundle after another, in lines of 20 KB to 3 MB (cut after a `;`), as bundlers that never
  // break a line write them.
  // (Repeated up to 8 MiB first, so that even a few small bundles make lines of megabytes.)
  let flat = flats.join(';');
  while (flat.length < 8 * MiB) flat += ';' + flats.join(';');
  const lines = [];
  for (let at = 0, k = 0; at < flat.length; k++) {
    let end = Math.min(flat.length, at + LINE_LENGTHS[k % LINE_LENGTHS.length]);
    if (end < flat.length) end = flat.lastIndexOf(';', end) + 1 || end;
    if (end <= at) end = Math.min(flat.length, at + MAX_BUNDLE_LINE);
    lines.push(flat.slice(at, end));
    at = end;
  }
  const all = lines.join('\n') + '\n';
  let at = 0;
  return {
    /** The next `n` characters of bundle text (newlines kept when `lines`, else turned into spaces). */
    next(n, lines = true) {
      let out = '';
      while (out.length < n) {
        const take = all.slice(at, at + n - out.length);
        at = (at + take.length) % all.length;
        out += take;
      }
      return lines ? out : out.replaceAll('\n', ' ');
    },
  };
}

/**
 * The 200 MiB file. It is written line by line while following the scanner's windows: before each
 * window's end it places a key just before where the next window will start (the last line start
 * in the overlap, or, on a line with no newline in the overlap, the last delimiter), and a 128-char
 * key that starts 100 bytes before the window's end and so runs across it.
 */
async function writeBigFile(sources, bigBytes, manifest) {
  const { READ_WINDOW_BYTES } = await import(pathToFileURL(path.join(ROOT, 'dist/src/sources/files/walk.js')).href);
  const { WINDOW_EDGE_MARGIN, WINDOW_OVERLAP } = await import(pathToFileURL(path.join(ROOT, 'dist/src/fragments/index.js')).href);
  const W = READ_WINDOW_BYTES;
  const file = BIG_FILE;
  const bundles = await minifiedBundles(sources);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  let line = 1; // the line `pos` is on
  let column = 1; // the column `pos` is at (all text here is ASCII)
  let pending = [];
  let pendingBytes = 0;
  const write = (s) => {
    pending.push(s);
    pendingBytes += s.length;
    pos += s.length;
    const nl = s.lastIndexOf('\n');
    if (nl >= 0) {
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) line++;
      column = s.length - nl;
    } else column += s.length;
    if (pendingBytes >= MiB) flush();
  };
  const flush = () => {
    fs.writeSync(fd, pending.join(''), null, 'latin1');
    pending = [];
    pendingBytes = 0;
  };
  let n = 0;
  const plant = (lead, type, length, enc, how) => {
    const key = fakeKey(type, length, 0xb1600000 + n++);
    write(lead);
    manifest.push({ keySha256: sha256(key), file: relTree(file), line, column, encoding: enc.encoding, how });
    write(enc.encode(key, () => 0));
  };
  const fillTo = (target) => {
    // Bundle text up to `target`, ending with a newline there.
    write(bundles.next(target - pos - 1) + '\n');
  };
  const words = (len) => {
    let s = '';
    while (s.length < len) s += 'lorem ipsum dolor sit amet, ';
    return s.slice(0, len);
  };

  // The first windows: keys at their edges (the scanner's windows are followed exactly here).
  let start = 0; // where the scanner's current window starts
  for (let w = 0; w < 40 && start + W + 16 * 1024 < bigBytes; w++) {
    const end = start + W;
    const enc = ENCODINGS[w % ENCODINGS.length];
    if (w % 2 === 0) {
      // The overlap has a line start: the key line ends it, and the next window starts after it.
      fillTo(end - 3000);
      plant(`const EDGE_LINE_${w} = "`, TYPES[w % 4], 64 + (w % 65), enc, `edge-line-${enc.name}`);
      write('";\n');
      const next = pos;
      write('// ' + words(end - 100 - pos - 4) + ' ');
      plant('', 'script', 128, ENCODINGS[0], 'across-window-end');
      write(' ' + words(200) + '\n');
      start = next;
    } else {
      // A line longer than the overlap: the window is cut after the last delimiter before the margin.
      fillTo(end - 9000);
      write('const longLine = [' + words(end - WINDOW_EDGE_MARGIN - 700 - pos - 19) + ' ');
      plant('', TYPES[(w + 1) % 4], 64 + (w % 65), ENCODINGS[0], 'before-cut-on-long-line');
      write(' ');
      const next = pos;
      if (next < end - WINDOW_OVERLAP) throw new Error('corpus layout does not fit the scanner window');
      write('q'.repeat(end - 100 - pos - 1) + ' ');
      plant('', 'install', 128, ENCODINGS[0], 'across-window-end-long-line');
      write(' ' + words(300) + '];\n');
      start = next;
    }
  }
  // The rest: bundle text as it comes (lines up to 3 MB), a key inside a long line every 8 MiB.
  for (let k = 0; pos < bigBytes; k++) {
    const chunk = bundles.next(Math.min(8 * MiB, bigBytes - pos));
    const cut = chunk.lastIndexOf(';', chunk.length >> 1) + 1 || chunk.length >> 1;
    write(chunk.slice(0, cut));
    if (pos < bigBytes - 4096) plant('"', TYPES[k % 4], 64 + ((k * 7) % 65), ENCODINGS[k % ENCODINGS.length], `inside-long-line-${ENCODINGS[k % ENCODINGS.length].name}`);
    write('";' + chunk.slice(cut, Math.max(cut, chunk.length - 3 - 130)));
  }
  flush();
  fs.closeSync(fd);
  return pos;
}

export async function makeCorpus({ minBytes = 300 * MiB, minFiles = 30_000, bigBytes = 200 * MiB, keys = 240 } = {}) {
  const started = Date.now();
  fs.rmSync(CORPUS_DIR, { recursive: true, force: true });
  fs.mkdirSync(TREE_DIR, { recursive: true });
  const sources = listSources();
  if (sources.length === 0) throw new Error('no installed npm packages to copy from: run `npm ci` first');
  const { files, bytes } = copyTree(sources, minBytes, minFiles);
  const manifest = [];
  const r = prng(20240611);
  plantInTree(files, keys, r, manifest);
  plantSpecialFiles(r, manifest);
  for (const k of manifest) k.corpus = 'tree';
  const big = await writeBigFile(sources, bigBytes, manifest);
  for (const k of manifest) k.corpus ??= 'big';
  const summary = {
    version: CORPUS_VERSION,
    treeFiles: files.length + 10,
    treeBytes: bytes,
    bigFileBytes: big,
    keys: manifest,
  };
  fs.writeFileSync(MANIFEST, JSON.stringify(summary, null, 1));
  console.log(
    `corpus: ${summary.treeFiles} files, ${(bytes / MiB).toFixed(0)} MiB of copied code, and a ${(big / MiB).toFixed(0)} MiB file of minified bundles, ` +
      `${manifest.length} planted keys, in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(ROOT, CORPUS_DIR)})`,
  );
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!process.argv.includes('--force') && fs.existsSync(MANIFEST)) {
    console.log(`corpus already there (${path.relative(ROOT, CORPUS_DIR)}); --force to rebuild`);
  } else {
    await makeCorpus({
      minBytes: option('min-mib', 300) * MiB,
      minFiles: option('min-files', 30_000),
      bigBytes: option('big-mib', 200) * MiB,
      keys: option('keys', 240),
    });
  }
}
