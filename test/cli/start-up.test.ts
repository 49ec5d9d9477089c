// What a plain `scan` loads before it scans (src/cli/scan-main.ts, scripts/finish-build.js): the bin
// and one file holding the command line with `scan` alone, no chunk, no other command, and none of
// the Node modules only other commands use (child_process, crypto). Counted, never timed: each
// module loaded is start-up time every scan pays (bench/scan/README.md has the figures).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { COMMAND_NAMES, commandsFor, runsScanOnly } from '../../src/cli/command-names.js';
import { CLI, PROJECT_ROOT, runProgram } from '../support/git-repo.js';

const dist = path.join(PROJECT_ROOT, 'dist/cli');
const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-start-up-')));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

describe('which calls take the scan path', () => {
  test('any call that names no command and asks for no help runs scan alone', () => {
    for (const args of [[], ['scan'], ['.'], ['src', 'lib'], ['scan', '--format', 'json', 'x'], ['--format', 'json'], ['--format', 'json', 'x'], ['-']]) {
      expect(commandsFor(args), args.join(' ')).toEqual(['scan']);
      expect(runsScanOnly(args), args.join(' ')).toBe(true);
    }
  });

  test('another command loads that command; help loads them all, as it lists them', () => {
    for (const name of COMMAND_NAMES.filter((n) => n !== 'scan')) expect(commandsFor([name, '--format', 'json'])).toEqual([name]);
    for (const args of [['--help'], ['-h'], ['help'], ['help', 'scan'], ['.', '--help']]) {
      expect(commandsFor(args), args.join(' ')).toEqual(COMMAND_NAMES);
      expect(runsScanOnly(args), args.join(' ')).toBe(false);
    }
    // `scan --help` prints scan's own help: scan alone is enough.
    expect(commandsFor(['scan', '--help'])).toEqual(['scan']);
  });
});

describe('the built scan path', () => {
  test('is one file: it imports no other file of the package and holds no other command', () => {
    const bundle = fs.readFileSync(path.join(dist, 'scan-main.js'), 'utf8');
    expect(bundle.match(/\bfrom\s*["']\.\.?\/|\bimport\s*\(\s*["']\.\.?\//g) ?? []).toEqual([]);
    expect(bundle).toMatch(/dist\/src\/cli\/commands\/scan\.js/);
    for (const name of COMMAND_NAMES.filter((n) => n !== 'scan')) expect(bundle).not.toContain(`dist/src/cli/commands/${name}.js`);
  });

  test('the worker a big scan starts is one file too', () => {
    // CommonJS (it boots faster than an ES module in a new thread): no file of the package required or imported.
    const worker = fs.readFileSync(path.join(dist, 'file-worker.cjs'), 'utf8');
    expect(worker.match(/\bfrom\s*["']\.\.?\/|\b(?:import|require)\s*\(\s*["']\.\.?\//g) ?? []).toEqual([]);
    expect(fs.existsSync(path.join(dist, 'file-worker.js'))).toBe(false);
  });

  test('a clean scan of one file loads two files of the package, and neither child_process nor crypto', () => {
    // A module hook (Node's module.register) lists each file the run loads; Node lists its own modules.
    const hooks = path.join(temp, 'hooks.mjs');
    fs.writeFileSync(hooks, `import fs from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) fs.appendFileSync(process.env.LOADED_FILES, url + '\\n');\n  return next(url, context);\n}\n`);
    const preload = path.join(temp, 'preload.mjs');
    fs.writeFileSync(preload, `import fs from 'node:fs';\nimport { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)});\nprocess.on('exit', () => fs.writeFileSync(process.env.NODE_MODULES_LOADED, JSON.stringify(process.moduleLoadList)));\n`);
    fs.writeFileSync(path.join(temp, 'app.js'), 'const k = process.env.MIRRA_API_KEY;\n');
    const loadedFiles = path.join(temp, 'loaded.txt');
    const nodeModules = path.join(temp, 'node-modules.json');
    const r = runProgram(process.execPath, ['--import', new URL(`file://${preload}`).href, CLI, 'scan', '--format', 'json', 'app.js'], {
      cwd: temp,
      env: { ...process.env, LOADED_FILES: loadedFiles, NODE_MODULES_LOADED: nodeModules },
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).stats.files).toBe(1);

    const ours = fs.readFileSync(loadedFiles, 'utf8').split('\n').filter((u) => u.startsWith(new URL(`file://${PROJECT_ROOT}/`).href));
    expect(ours.map((u) => path.relative(PROJECT_ROOT, new URL(u).pathname)).sort()).toEqual(['dist/cli/mirra-scan.js', 'dist/cli/scan-main.js']);
    const builtins = (JSON.parse(fs.readFileSync(nodeModules, 'utf8')) as string[]).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
    // (net is not asked: Node loads it for a standard output that is a pipe, as here.)
    // (internal/perf/usertiming: what the first `performance.now()` loads; src/sources/clock.ts.)
    for (const unused of ['child_process', 'crypto', 'internal/perf/usertiming']) expect(builtins, unused).not.toContain(unused);
  });
});
