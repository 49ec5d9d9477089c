// `mirra-scan install` in the projects people really have, made by the real package managers (npm,
// pnpm, yarn 1, yarn 4, bun) and hook managers (husky 9, lefthook, simple-git-hooks, the pre-commit
// framework). Each either works (a commit with a key is stopped, a clean one goes through, and the
// hooks survive the next `install` of the package or hook manager) or fails loudly: exit 2, a reason,
// and nothing changed. Tools come from .ci/tools (installed by .ci/run) or PATH; a missing one skips
// with a message, and fails under CI=true.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { fakeKey } from '../support/fake-keys.js';
import { PROJECT_ROOT, TempRepo, type RunResult } from '../support/git-repo.js';
import { describeWithTool, toolWorks } from '../support/tools.js';

vi.setConfig({ testTimeout: 180_000 });

const TOOLS_BIN = path.join(PROJECT_ROOT, '.ci/tools/node_modules/.bin');
const YARN4 = path.join(PROJECT_ROOT, '.ci/tools/node_modules/@yarnpkg/cli-dist/bin/yarn.js');
const YARN1 = path.join(PROJECT_ROOT, '.ci/tools/yarn1/node_modules/yarn/bin/yarn.js');
/** PATH with the tools .ci/run installs first; registries pinned to the npm registry. */
const env = {
  PATH: `${TOOLS_BIN}${path.delimiter}${process.env.PATH}`,
  YARN_NPM_REGISTRY_SERVER: 'https://registry.npmjs.org',
  YARN_REGISTRY: 'https://registry.npmjs.org',
  YARN_ENABLE_TELEMETRY: '0',
  YARN_ENABLE_GLOBAL_CACHE: '0',
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', // yarn 4 turns it on under CI=true; these projects are new
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const has = (tool: string, args: string[] = ['--version']) => toolWorks(path.join(TOOLS_BIN, tool), args) || toolWorks(tool, args);

const made: TempRepo[] = [];
afterAll(() => {
  for (const r of made) r.cleanup();
});

const line = (key: string) => `export const client = new MirraSDK({ apiKey: "${key}" });\n`;
const dep = `file:${PROJECT_ROOT}`;

function repo(files: Record<string, string>): TempRepo {
  const r = new TempRepo({ prefix: 'mirra-real-' });
  made.push(r);
  for (const [f, text] of Object.entries(files)) r.write(f, text);
  r.write('.gitignore', 'node_modules/\n.yarn/\n.pnp.*\n');
  return r;
}

function sh(r: TempRepo, command: string, args: string[], cwd = r.dir): RunResult {
  const res = r.run(command, args, { cwd, env });
  return res;
}

function must(res: RunResult, what: string): RunResult {
  expect(res.status, `${what}: ${res.stdout}${res.stderr}`).toBe(0);
  return res;
}

function install(r: TempRepo, cwd = r.dir, args: string[] = [], extraEnv: NodeJS.ProcessEnv = {}): RunResult {
  return r.mirraScan(['install', ...args], { cwd, env: { ...env, ...extraEnv } });
}

/** A commit with a key is stopped from `cwd`, and a clean one goes through. */
function expectGuarded(r: TempRepo, where = '') {
  const file = `${where}leak-${made.length}.ts`;
  r.write(file, line(fakeKey()));
  r.gitWith(['add', file], { env });
  const blocked = r.gitWith(['commit', '-m', 'key'], { env });
  expect(blocked.status, blocked.stdout + blocked.stderr).not.toBe(0);
  expect(blocked.stdout + blocked.stderr).toContain(`${file}:1:`);
  r.write(file, 'export const x = process.env.MIRRA_API_KEY;\n');
  r.gitWith(['add', file], { env });
  const ok = r.gitWith(['commit', '-m', 'clean'], { env });
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
}

const pkg = (o: Record<string, unknown>) => JSON.stringify({ version: '1.0.0', private: true, ...o }, null, 2) + '\n';

describeWithTool('npm', toolWorks('npm'), 'npm workspaces', () => {
  test('in a workspace package: husky added with npm, the bin found hoisted at the root, hooks active', () => {
    const r = repo({
      'package.json': pkg({ name: 'root', workspaces: ['packages/*'] }),
      'packages/app/package.json': pkg({ name: 'app', devDependencies: { 'eslint-plugin-mirra': dep } }),
    });
    must(sh(r, 'npm', ['install', '--no-audit', '--no-fund']), 'npm install');
    // bun 1.2+ links a workspace's bins into the package's node_modules/.bin (isolated installs);
    // older bun hoisted them to the root's: the hooks look in both, from the package up.
    expect(['node_modules/.bin/mirra-scan', 'packages/web/node_modules/.bin/mirra-scan'].some((f) => fs.existsSync(r.path(f)))).toBe(true);
    expect(fs.existsSync(r.path('packages/app/node_modules/.bin/mirra-scan'))).toBe(false);
    const res = install(r, r.path('packages/app'));
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('husky added to devDependencies');
    expect(res.stdout).toMatch(/commit these so your team gets the hooks: .*packages\/app\/package\.json/);
    expect(res.stdout).toContain('✔ hooks active');
    expect(JSON.parse(r.read('packages/app/package.json')).devDependencies.husky).toBeTruthy();
    r.add();
    r.commit('set up');
    expectGuarded(r, 'packages/app/');
  });

  test('npm fails (registry unreachable): its own error is shown, package.json and the lockfile are as they were', () => {
    const r = repo({ 'package.json': pkg({ name: 'app', devDependencies: { 'eslint-plugin-mirra': dep } }) });
    must(sh(r, 'npm', ['install', '--no-audit', '--no-fund']), 'npm install');
    const before = [r.read('package.json'), r.read('package-lock.json')];
    // An empty cache: npm must ask the (unreachable) registry, whatever earlier installs left in the user's cache.
    const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-npm-cache-'));
    const res = install(r, r.dir, [], { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_offline: 'false', npm_config_cache: emptyCache });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('`npm install --save-dev husky` failed');
    expect(res.stderr).toMatch(/npm said:\n[\s\S]*(ECONNREFUSED|127\.0\.0\.1)/);
    expect([r.read('package.json'), r.read('package-lock.json')]).toEqual(before);
    expect(fs.existsSync(r.path('.husky'))).toBe(false);
  });
});

describeWithTool('pnpm', has('pnpm'), 'pnpm workspaces', () => {
  test('at the workspace root: `pnpm add --save-dev -w husky`; a failure shows pnpm\'s error and changes nothing', () => {
    const r = repo({
      'package.json': pkg({ name: 'root', devDependencies: { 'eslint-plugin-mirra': `link:${PROJECT_ROOT}` } }),
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'packages/lib/package.json': pkg({ name: 'lib' }),
    });
    must(sh(r, 'pnpm', ['install']), 'pnpm install');
    const before = [r.read('package.json'), r.read('pnpm-lock.yaml')];
    const failed = install(r, r.dir, [], { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain('`pnpm add --save-dev -w husky` failed');
    expect(failed.stderr).toContain('pnpm said:');
    expect([r.read('package.json'), r.read('pnpm-lock.yaml')]).toEqual(before);

    const res = install(r);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('ran `pnpm add --save-dev -w husky`');
    expect(res.stdout).toMatch(/commit these .*pnpm-lock\.yaml/);
    r.add();
    r.commit('set up');
    expectGuarded(r);
  });
});

describeWithTool('yarn 4', fs.existsSync(YARN4) && has('yarn'), 'yarn 4 Plug\'n\'Play', () => {
  test('detected before anything is changed: exit 2 with the fix (nodeLinker: node-modules)', () => {
    const r = repo({
      'package.json': pkg({ name: 'app', packageManager: 'yarn@4.18.1' }),
      '.yarnrc.yml': `yarnPath: ${YARN4}\n`,
    });
    must(sh(r, 'yarn', ['install']), 'yarn install');
    expect(fs.existsSync(r.path('.pnp.cjs'))).toBe(true);
    const before = [r.read('package.json'), r.read('yarn.lock')];
    const res = r.run(process.execPath, [path.join(PROJECT_ROOT, 'dist/cli/mirra-scan.js'), 'install'], { env });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("yarn Plug'n'Play");
    expect(res.stderr).toContain('nodeLinker: node-modules');
    expect([r.read('package.json'), r.read('yarn.lock')]).toEqual(before);
    expect(fs.existsSync(r.path('.husky'))).toBe(false);
  });
});

describeWithTool('yarn 1', fs.existsSync(YARN1), 'yarn v1 workspaces', () => {
  test('in a workspace package: the bin yarn hoisted to the root node_modules/.bin is found, hooks active; offline', () => {
    const r = repo({
      // The dev tools declared at the root, as monorepos keep them: yarn 1 links their bins into the
      // root's node_modules/.bin only (a workspace's own dependencies get theirs in its folder too).
      'package.json': pkg({ name: 'root', workspaces: ['packages/*'], devDependencies: { scanner: '1.0.0' } }),
      'packages/web/package.json': pkg({ name: 'web', devDependencies: { husky: `file:${path.join(PROJECT_ROOT, 'node_modules/husky')}` } }),
      // A workspace package whose bin is this build's CLI, as eslint-plugin-mirra's would be.
      'packages/scanner/package.json': pkg({ name: 'scanner', type: 'module', bin: { 'mirra-scan': 'cli.js' } }),
      'packages/scanner/cli.js': `#!/usr/bin/env node\nawait import(${JSON.stringify(path.join(PROJECT_ROOT, 'dist/cli/mirra-scan.js'))});\n`,
      '.yarnrc': 'disable-self-update-check true\n',
    });
    fs.chmodSync(r.path('packages/scanner/cli.js'), 0o755);
    // Offline, from the workspace and a local folder only; the registry points nowhere.
    const offline = { ...env, YARN_REGISTRY: 'http://127.0.0.1:9/', npm_config_registry: 'http://127.0.0.1:9/', YARN_CACHE_FOLDER: r.path('.yarn/cache') };
    must(r.run(process.execPath, [YARN1, 'install', '--offline', '--non-interactive', '--no-progress'], { env: offline }), 'yarn install');
    expect(r.read('yarn.lock')).toContain('# yarn lockfile v1');
    expect(fs.existsSync(r.path('node_modules/.bin/mirra-scan'))).toBe(true);
    expect(fs.existsSync(r.path('packages/web/node_modules/.bin/mirra-scan'))).toBe(false);
    const res = install(r, r.path('packages/web'), [], offline);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('✔ hooks active');
    expect(res.stdout + res.stderr).not.toContain('mirra-scan is missing');
    expect(JSON.parse(r.read('packages/web/package.json')).scripts.prepare).toBe('cd ../.. && husky packages/web/.husky');
    r.add();
    r.commit('set up');
    expectGuarded(r, 'packages/web/');
  });
});

describeWithTool('bun', has('bun'), 'bun workspaces', () => {
  test('in a workspace package: `bun add --dev husky`, the bin found where bun put it', () => {
    const r = repo({
      'package.json': pkg({ name: 'root', workspaces: ['packages/*'] }),
      'packages/web/package.json': pkg({ name: 'web', devDependencies: { scanner: 'workspace:*' } }),
      // A workspace package whose bin is this build's CLI, as eslint-plugin-mirra's would be.
      'packages/scanner/package.json': pkg({ name: 'scanner', bin: { 'mirra-scan': 'cli.js' } }),
      'packages/scanner/cli.js': `#!/usr/bin/env node\nawait import(${JSON.stringify(path.join(PROJECT_ROOT, 'dist/cli/mirra-scan.js'))});\n`,
    });
    fs.chmodSync(r.path('packages/scanner/cli.js'), 0o755);
    must(sh(r, 'bun', ['install']), 'bun install');
    // bun 1.2+ links a workspace's bins into the package's node_modules/.bin (isolated installs);
    // older bun hoisted them to the root's: the hooks look in both, from the package up.
    expect(['node_modules/.bin/mirra-scan', 'packages/web/node_modules/.bin/mirra-scan'].some((f) => fs.existsSync(r.path(f)))).toBe(true);
    const res = install(r, r.path('packages/web'));
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('ran `bun add --dev husky`');
    r.add();
    r.commit('set up');
    expectGuarded(r, 'packages/web/');
  });
});

describeWithTool('npm', toolWorks('npm'), 'husky 9 with its own folder', () => {
  test('"prepare": "husky .config/husky": hooks go there, and still run after the next npm install', () => {
    const r = repo({ 'package.json': pkg({ name: 'app', scripts: { prepare: 'husky .config/husky' }, devDependencies: { 'eslint-plugin-mirra': dep, husky: '^9.1.7' } }) });
    must(sh(r, 'npm', ['install', '--no-audit', '--no-fund']), 'npm install');
    expect(r.git('config', 'core.hooksPath').trim()).toBe('.config/husky/_');
    const res = install(r);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/created +\.config\/husky\/pre-commit/);
    expect(fs.existsSync(r.path('.husky'))).toBe(false);
    expect(JSON.parse(r.read('package.json')).scripts.prepare).toBe('husky .config/husky');
    must(sh(r, 'npm', ['install', '--no-audit', '--no-fund']), 'npm install again');
    r.add();
    r.commit('set up');
    expectGuarded(r);
  });
});

describeWithTool('simple-git-hooks', has('simple-git-hooks', ['--help']) || fs.existsSync(path.join(TOOLS_BIN, 'simple-git-hooks')), 'simple-git-hooks in place', () => {
  test('installs through its config in package.json; re-running simple-git-hooks keeps the hook', () => {
    const r = repo({ 'package.json': pkg({ name: 'app', 'simple-git-hooks': { 'pre-commit': 'echo user hook ran' }, devDependencies: { 'eslint-plugin-mirra': dep } }) });
    must(sh(r, 'npm', ['install', '--no-audit', '--no-fund']), 'npm install');
    const res = install(r);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('hooks manager: simple-git-hooks');
    expect(JSON.parse(r.read('package.json'))['simple-git-hooks']['pre-commit']).toBe('echo user hook ran && node_modules/.bin/mirra-scan staged');
    must(sh(r, 'simple-git-hooks', []), 'simple-git-hooks again');
    r.add();
    r.commit('set up');
    expectGuarded(r);
  });
});

describeWithTool('lefthook', has('lefthook', ['version']), 'lefthook in place', () => {
  test('an empty lefthook.yml gets the recipe; one whose pre-commit is taken is refused with the exact lines', () => {
    const r = repo({ 'package.json': pkg({ name: 'app', devDependencies: { 'eslint-plugin-mirra': dep } }), 'lefthook.yml': 'output:\n  - summary\n' });
    must(sh(r, 'npm', ['install', '--no-audit', '--no-fund']), 'npm install');
    const res = install(r);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/appended +lefthook\.yml/);
    must(sh(r, 'lefthook', ['install']), 'lefthook install again');
    r.add();
    r.commit('set up');
    expectGuarded(r);

    const taken = repo({ 'package.json': pkg({ name: 'app' }), 'lefthook.yml': 'pre-commit:\n  commands:\n    lint:\n      run: npm run lint\n' });
    const before = taken.read('lefthook.yml');
    const refused = install(taken);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('lefthook.yml already configures pre-commit; nothing was changed');
    expect(refused.stderr).toContain('run: node_modules/.bin/mirra-scan staged');
    expect(taken.read('lefthook.yml')).toBe(before);

    // Asking for husky beside lefthook is refused too: re-running `lefthook install` would drop it.
    const beside = install(taken, taken.dir, ['--hooks-manager', 'husky']);
    expect(beside.status).toBe(2);
    expect(beside.stderr).toContain('already uses lefthook (lefthook.yml)');
    expect(fs.existsSync(taken.path('.husky'))).toBe(false);
  });
});

describeWithTool('pre-commit', toolWorks('pre-commit'), 'the pre-commit framework in place', () => {
  test('.pre-commit-config.yaml gets a repo: local entry; pre-commit install; a key is stopped', () => {
    const r = repo({
      'package.json': pkg({ name: 'app', devDependencies: { 'eslint-plugin-mirra': dep } }),
      '.pre-commit-config.yaml': 'repos:\n  - repo: local\n    hooks:\n      - id: noop\n        name: always passes\n        entry: "true"\n        language: system\n',
    });
    must(sh(r, 'npm', ['install', '--no-audit', '--no-fund']), 'npm install');
    const res = install(r, r.dir, [], { PRE_COMMIT_HOME: r.path('.cache-pre-commit') });
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('hooks manager: pre-commit');
    r.write('.gitignore', 'node_modules/\n.cache-pre-commit/\n');
    r.add();
    r.commit('set up');
    expectGuarded(r);
  });
});

describe('package.json as people write it, and hooks that are not active', () => {
  test('BOM, CRLF and tabs are kept; invalid JSON is named; HUSKY=0 and a locked .git/config exit 2 with the reason', () => {
    const text = '\uFEFF{\r\n\t"name": "app",\r\n\t"version": "1.0.0"\r\n}\r\n';
    const r = repo({ 'package.json': text });
    fs.mkdirSync(r.path('node_modules/.bin'), { recursive: true });
    fs.symlinkSync(PROJECT_ROOT, r.path('node_modules/eslint-plugin-mirra'), 'dir');
    fs.symlinkSync('../eslint-plugin-mirra/dist/cli/mirra-scan.js', r.path('node_modules/.bin/mirra-scan'));
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules/husky'), r.path('node_modules/husky'), 'dir');

    const off = install(r, r.dir, [], { HUSKY: '0' });
    expect(off.status).toBe(2);
    expect(off.stdout).toContain('✖ hooks written but not active');
    expect(off.stdout).toContain('HUSKY=0');

    fs.writeFileSync(r.path('.git/config.lock'), '');
    const locked = install(r);
    expect(locked.status).toBe(2);
    expect(locked.stdout).toContain('could not lock config file');
    fs.rmSync(r.path('.git/config.lock'));

    const ok = install(r);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(r.read('package.json')).toBe('\uFEFF{\r\n\t"name": "app",\r\n\t"version": "1.0.0",\r\n\t"scripts": {\r\n\t\t"prepare": "husky"\r\n\t}\r\n}\r\n');

    r.write('package.json', '{ "name": "app", }\n');
    const bad = install(r);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`${r.path('package.json')} is not valid JSON`);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
