// A FIFO in the tree would block a read forever: it is listed under errors and never opened.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/mirra-scan.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-special-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const hasMkfifo = spawnSync('mkfifo', [path.join(dir, 'pipe')]).status === 0;

describe('special files in a scanned folder', () => {
  it.runIf(hasMkfifo)('a FIFO is listed under errors, not read, and the scan goes on', () => {
    fs.writeFileSync(path.join(dir, 'app.js'), `const k = '${fakeKey('script', 80, 31)}';\n`);
    const r = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    const report = JSON.parse(r.stdout) as { findings: Array<{ file: string }>; errors: Array<{ file: string; message: string }>; stats: { skipped: number } };
    expect(r.status).toBe(1);
    expect(report.findings.map((f) => f.file)).toEqual(['app.js']);
    expect(report.errors).toEqual([{ file: 'pipe', message: 'not a regular file (a FIFO, socket or device): not read' }]);
    expect(report.stats.skipped).toBe(1);
  });
});
