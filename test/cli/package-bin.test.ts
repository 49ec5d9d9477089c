// The `mirra-scan` bin that package.json names is the bundle scripts/finish-build.js writes: it runs,
// knows its version, and has the worker script a big walk starts beside the code that starts it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const bin = path.join(root, pkg.bin['mirra-scan']);

describe('the mirra-scan bin', () => {
  it('is the bundled CLI, executable, with a node shebang', () => {
    expect(path.relative(root, bin).split(path.sep).join('/')).toBe('dist/cli/mirra-scan.js');
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('prints the package version (read from package.json two folders up)', () => {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('finds its worker script where the code that starts worker threads looks for it (the scan, and the bin that starts one early)', () => {
    const dir = path.dirname(bin);
    const starters = fs.readdirSync(dir).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes('new URL("./file-worker.cjs", import.meta.url)'));
    // The scan path (one file) and the bin (which starts one early for a big file), like the chunk the programmatic API shares: all beside the worker.
    expect(starters).toContain('scan-main.js');
    expect(starters).toContain(path.basename(bin));
    expect(fs.existsSync(path.join(dir, 'file-worker.cjs'))).toBe(true);
  });
});
