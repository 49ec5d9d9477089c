// What the tarball holds: the bundles (bin, plugin, API, action, worker and their chunks), the CommonJS
// entries and the type declarations, and nothing else: no tsc .js output, no tests, fixtures, docs or
// scripts. Only the two libraries loaded lazily by createRequire are runtime dependencies; everything
// else is bundled. `npm publish --dry-run` has nothing to correct.

import { describe, expect, test } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, runProgram } from '../support/git-repo.js';
import { NPM_TEST_ENV } from '../support/packed.js';

const env = { ...process.env, ...NPM_TEST_ENV };
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; bin: Record<string, string> };

describe('the package', () => {
  test('holds the bundles, the CommonJS entries and .d.ts files only', () => {
    const r = runProgram('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PROJECT_ROOT, env });
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();
    const unexpected = files.filter((f) => !(/^dist\/cli\/[\w-]+\.c?js$/.test(f) || f.endsWith('.d.ts') || ['dist/index.cjs', 'dist/scanner.cjs', 'package.json', 'README.md'].includes(f)));
    expect(unexpected).toEqual([]);
    for (const entry of ['dist/cli/mirra-scan.js', 'dist/cli/plugin.js', 'dist/cli/scanner.js', 'dist/cli/action.js', 'dist/cli/file-worker.cjs', 'dist/src/scanner/index.d.ts', 'dist/src/index.d.ts']) expect(files).toContain(entry);
    expect(files.filter((f) => f.startsWith('dist/src/') && f.endsWith('.js'))).toEqual([]);
  });

  test('runtime dependencies are only what the bundles load when needed (createRequire, import()), and no bundle inlines them', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['cosmiconfig', 'ignore', 'simple-git']);
    const bundles = fs.readdirSync(path.join(PROJECT_ROOT, 'dist/cli')).map((f) => fs.readFileSync(path.join(PROJECT_ROOT, 'dist/cli', f), 'utf8')).join('\n');
    expect(bundles).not.toMatch(/node_modules\/(cosmiconfig|ignore|simple-git|@simple-git)\//);
  });

  test('npm publish --dry-run has nothing to auto-correct (the bin survives)', () => {
    expect(pkg.bin['mirra-scan']).toBe('dist/cli/mirra-scan.js');
    const r = runProgram('npm', ['publish', '--dry-run', '--ignore-scripts'], { cwd: PROJECT_ROOT, env });
    expect(r.stderr).not.toMatch(/auto-corrected|invalid and removed|normalized/);
    expect(r.stdout + r.stderr).toContain('eslint-plugin-mirra@');
  });
});
