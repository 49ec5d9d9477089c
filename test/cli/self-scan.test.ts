// The project scans itself with its own CLI and comes out clean, through its own allow mechanisms
// (.mirrascanignore leaves out fixtures/, which hold generated fake keys), never a special case.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/cli/mirra-scan.js');

describe('mirra-scan on its own repository', () => {
  it('finds no key outside what the project itself allows', () => {
    expect(fs.existsSync(cli), 'run `npm run build` first').toBe(true);
    const r = spawnSync(process.execPath, [cli, 'scan', '--format', 'json'], { cwd: root, encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { findings: Array<{ file: string; line: number }>; stats: { files: number } };
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual([]);
    expect(r.status).toBe(0);
    expect(report.stats.files).toBeGreaterThan(20);
  });

  it('does find the fixtures once they are not left out', () => {
    const r = spawnSync(process.execPath, [cli, 'scan', '--no-ignore', '--format', 'json', 'fixtures'], { cwd: root, encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { findings: unknown[] };
    expect(r.status).toBe(1);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});
