#!/usr/bin/env node
// The floor for a file scanner written in Node, timed by `npm run bench` beside mirra-scan and rg:
// the least a Node program can do and still look at every byte of the tree the way mirra-scan must.
//
// It walks, reads and searches, and nothing else: no ignore files, no decoding, no findings, no
// report, no CLI. Every thread (this one and one worker per other CPU) claims folders two levels
// down (and loose files) from one shared counter, walks each with readdirSync, reads its files one
// after another into one 1 MiB buffer, and runs one Buffer.indexOf pass per needle over each
// buffer-full: `mirra`, the three base64 alignments of `mirra_` and `mirra` in UTF-16, the needles
// mirra-scan's fast path looks for. It prints "<files> <needle hits> <bytes>".
//
// Given one file, it is read and searched by this thread alone (the workers find nothing to claim).
//
// With --all-needles it searches every needle mirra-scan's detector must search (one indexOf pass
// each): `mirra`, `MIRRA`, both 4-character pieces of each base64 alignment of `mirra_` (a wrapped
// blob can cut a stem anywhere, so one of the two is whole), `mirra` in UTF-16, and the escaped `r`
// of an encoded `mirra` (`72`, `&#114;` from its `#`). That is the floor of a scanner that finds what mirra-scan
// finds, beside the floor of one that only looks for the plain forms.
//
// Usage: node bench/scan/node-floor.js [--all-needles] <tree or file>

import fs from 'node:fs';
import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const ALL_NEEDLES = process.argv.includes('--all-needles');
const NEEDLES = (
  ALL_NEEDLES
    ? // the base64 pieces from the character the detector searches them from (`bWly` from `W`, `cmFf` from `F`, …)
      ['mirra', 'MIRRA', 'Wly', 'Ff', '1pcn', 'JhX', 'XJ', 'JyYV', '\0i\0r\0r\0a\0', '72', '#114;']
    : ['mirra', 'WlycmFf', '1pcnJhX', 'XJyYV', '\0i\0r\0r\0a\0']
).map((s) => Buffer.from(s, 'latin1'));
const ROOM = 64 * 1024;

function work(units, shared) {
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let used = 0;
  let files = 0;
  let hits = 0;
  let bytes = 0;
  const flush = () => {
    const view = buf.subarray(0, used);
    for (const n of NEEDLES) for (let i = view.indexOf(n); i >= 0; i = view.indexOf(n, i + 1)) hits++;
    used = 0;
  };
  const readFile = (file) => {
    const fd = fs.openSync(file, 'r');
    try {
      for (;;) {
        if (buf.length - used < ROOM) flush();
        const n = fs.readSync(fd, buf, used, buf.length - used, null);
        if (n === 0) break;
        used += n;
        bytes += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    files++;
  };
  for (let k = Atomics.add(shared, 0, 1); k < units.length; k = Atomics.add(shared, 0, 1)) {
    const [kind, p] = units[k];
    if (kind === 'file') {
      readFile(p);
      continue;
    }
    const stack = [p];
    while (stack.length > 0) {
      const dir = stack.pop();
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) stack.push(`${dir}/${e.name}`);
        else if (e.isFile()) readFile(`${dir}/${e.name}`);
      }
    }
  }
  flush();
  return { files, hits, bytes };
}

if (isMainThread) {
  const root = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!root) throw new Error('usage: node bench/scan/node-floor.js [--all-needles] <tree or file>');
  const shared = new Int32Array(new SharedArrayBuffer(4));
  // Workers boot while this thread lists the folders to share out.
  const workers = Array.from({ length: Math.max(0, os.availableParallelism() - 1) }, () => new Worker(new URL(import.meta.url), { workerData: shared }));
  const units = [];
  const list = (dir, depth) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (depth > 0) list(p, depth - 1);
        else units.push(['dir', p]);
      } else if (e.isFile()) units.push(['file', p]);
    }
  };
  if (fs.statSync(root).isFile()) units.push(['file', root]);
  else list(root, 2);
  const theirs = workers.map((w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject)));
  for (const w of workers) w.postMessage(units);
  const all = [work(units, shared), ...(await Promise.all(theirs))];
  const sum = (key) => all.reduce((n, r) => n + r[key], 0);
  console.log(`${sum('files')} ${sum('hits')} ${sum('bytes')}`);
} else {
  parentPort.once('message', (units) => {
    parentPort.postMessage(work(units, workerData));
    parentPort.close();
  });
}
