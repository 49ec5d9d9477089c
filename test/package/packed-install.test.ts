// The package as users get it: `npm pack`, then `npm install` of the tarball into fresh `npm init -y`
// projects (CommonJS, as npm makes them), with ESLint 10 and with ESLint 8. There: the CLI, README's
// ESLint snippets as written (flat: eslint.config.mjs and the require form; legacy .eslintrc.cjs under
// ESLint 8), and the programmatic API from ESM, CommonJS and TypeScript.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { PROJECT_ROOT, runProgram } from '../support/git-repo.js';
import { NPM_TEST_ENV, packProject } from '../support/packed.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 300_000 });

const README = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
/** README's js code block whose first line is `// <file>`. */
function snippet(file: string): string {
  const block = [...README.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.startsWith(`// ${file}\n`));
  if (!block) throw new Error(`README has no snippet for ${file}`);
  return block;
}

/** `pkg@<the version this project has in node_modules/dir>`: what npm's cache already holds. */
function installed(dir: string, pkg: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', dir, 'package.json'), 'utf8')) as { version: string };
  return `${pkg}@${version}`;
}

const env = { ...process.env, ...NPM_TEST_ENV, NO_COLOR: '1' };
let tarball: string;
let root: string;
const key = fakeKey('script');
const source = `export const client = { apiKey: '${key}' };\n`;

/** A fresh `npm init -y` project with the tarball and `extra` installed, and src/app.js holding a key. */
function freshProject(name: string, ...extra: string[]): string {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  const init = runProgram('npm', ['init', '-y'], { cwd: dir, env });
  expect(init.status, init.stderr).toBe(0);
  const install = runProgram('npm', ['install', '--save-dev', tarball, ...extra], { cwd: dir, env });
  expect(install.status, install.stderr).toBe(0);
  fs.writeFileSync(path.join(dir, 'src/app.js'), source);
  return dir;
}

function eslint(dir: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return runProgram(path.join(dir, 'node_modules/.bin/eslint'), ['src'], { cwd: dir, env: { ...env, ...extraEnv } });
}

function expectRuleFires(r: { status: number | null; stdout: string; stderr: string }): void {
  expect(r.status, r.stdout + r.stderr).toBe(1);
  expect(r.stdout).toContain('mirra/no-hardcoded-api-key');
  expect(r.stdout).toContain('src/app.js');
  expect(r.stdout + r.stderr).not.toContain(key);
}

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-packed-')));
  tarball = packProject();
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});

describe('installed with ESLint 10 into a fresh npm init -y project', () => {
  let dir: string;
  beforeAll(() => {
    dir = freshProject('flat', installed('eslint', 'eslint'));
  });

  test('the CLI: npx mirra-scan finds the key, redacted', () => {
    const r = runProgram(path.join(dir, 'node_modules/.bin/mirra-scan'), ['scan', 'src'], { cwd: dir, env });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('src/app.js:1:');
    expect(r.stdout).not.toContain(key);
  });

  for (const config of ['eslint.config.mjs', 'eslint.config.js']) {
    test(`README's ${config}, as written`, () => {
      fs.writeFileSync(path.join(dir, config), snippet(config));
      try {
        expectRuleFires(eslint(dir));
      } finally {
        fs.rmSync(path.join(dir, config));
      }
    });
  }

  test('the API from ESM and from CommonJS: same findings as the JSON report, no key', () => {
    const calls = `
      const report = await api.scanPaths(['src'], { cwd: process.cwd() });
      const detected = api.detectKeys(require_fs.readFileSync('src/app.js', 'utf8'), { file: 'src/app.js' });
      let error = null;
      try { await api.scanCommits('main..HEAD', { cwd: process.cwd() }); } catch (e) { error = e.name + ': ' + e.message; }
      process.stdout.write(JSON.stringify({ report, detected, error }));`;
    fs.writeFileSync(path.join(dir, 'use.mjs'), `import * as api from 'eslint-plugin-mirra/scanner';\nimport require_fs from 'node:fs';\n${calls}\n`);
    fs.writeFileSync(path.join(dir, 'use.cjs'), `const api = require('eslint-plugin-mirra/scanner');\nconst require_fs = require('node:fs');\n(async () => {${calls}\n})();\n`);
    const cli = JSON.parse(runProgram(path.join(dir, 'node_modules/.bin/mirra-scan'), ['scan', 'src', '--format', 'json'], { cwd: dir, env }).stdout) as { findings: Array<Record<string, unknown>> };
    const strip = (f: Record<string, unknown>) => ({ ...f, hint: typeof f.hint === 'string' ? f.hint.length > 0 : f.hint });
    for (const file of ['use.mjs', 'use.cjs']) {
      const r = runProgram(process.execPath, [file], { cwd: dir, env });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toContain(key);
      const out = JSON.parse(r.stdout) as { report: { findings: Array<Record<string, unknown>> }; detected: Array<Record<string, unknown>>; error: string };
      expect(out.report.findings).toEqual(cli.findings);
      expect(out.detected.map(strip)).toEqual(cli.findings.map(strip));
      expect(out.error).toMatch(/^MirraScanError: /); // not a git repository: a clear error, not a crash
    }
  });

  test('the API has types: a TypeScript file using it type-checks (module nodenext)', () => {
    fs.writeFileSync(
      path.join(dir, 'use.ts'),
      `import { scanPaths, detectKeys, type Report, type ReportFinding } from 'eslint-plugin-mirra/scanner';\n` +
        `const r: Promise<Report> = scanPaths(['src']);\nconst f: ReportFinding[] = detectKeys('x');\nconst n: number = f.length;\nvoid r; void n;\n` +
        `// @ts-expect-error: detectKeys takes text or bytes\ndetectKeys(42);\n`,
    );
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: [] }, files: ['use.ts'] }));
    const r = runProgram(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, env });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});

describe('installed with ESLint 8 into a fresh npm init -y project', () => {
  test("README's .eslintrc.cjs, as written", () => {
    const dir = freshProject('legacy', installed('eslint-v8', 'eslint'));
    fs.writeFileSync(path.join(dir, '.eslintrc.cjs'), snippet('.eslintrc.cjs'));
    expectRuleFires(eslint(dir));
  });
});
