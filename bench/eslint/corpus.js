// The benchmark's code base: real TypeScript from installed npm packages (ajv's sources, Node's
// and TypeScript's type definitions), copied into the gitignored
// bench/.corpus/eslint/. Two copies:
//   plain/   the files as they are: no trace of a key, as in almost every real project;
//   traced/  each file opens with a comment that names "mirra", so the rule visits every node
//            (its worst case: nothing skipped by the one look at the text).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS_DIR = path.join(repo, 'bench/.corpus/eslint');

const SOURCES = [
  // ajv's implementation, in TypeScript.
  { dir: 'node_modules/ajv/lib', match: (f) => f.endsWith('.ts') },
  // Node's type definitions.
  { dir: 'node_modules/@types/node', match: (f) => f.endsWith('.d.ts') },
  // TypeScript's own API and the ES library definitions (not the DOM ones, which are one 2 MB file).
  { dir: 'node_modules/typescript/lib', match: (f) => /\/(typescript|lib\.es[^/]*)\.d\.ts$/.test(f) },
];

const TRACE = '// This module is part of a client of the mirra API.\n';

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(p, out);
    } else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Builds the corpus unless it is there already; returns its two folders and its size. */
export function ensureCorpus() {
  const plain = path.join(CORPUS_DIR, 'plain');
  const traced = path.join(CORPUS_DIR, 'traced');
  const manifest = path.join(CORPUS_DIR, 'manifest.json');
  if (fs.existsSync(manifest)) return { plain, traced, ...JSON.parse(fs.readFileSync(manifest, 'utf8')) };

  fs.rmSync(CORPUS_DIR, { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  let lines = 0;
  for (const { dir, match } of SOURCES) {
    const abs = path.join(repo, dir);
    if (!fs.existsSync(abs)) continue;
    for (const file of walk(abs)) {
      const rel = path.relative(path.join(repo, 'node_modules'), file).split(path.sep).join('/');
      if (!match(rel)) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const [root, content] of [[plain, text], [traced, TRACE + text]]) {
        const target = path.join(root, rel);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
      }
      files++;
      bytes += Buffer.byteLength(text);
      lines += text.split('\n').length;
    }
  }
  const info = { files, bytes, lines };
  fs.writeFileSync(manifest, JSON.stringify(info, null, 2));
  return { plain, traced, ...info };
}
