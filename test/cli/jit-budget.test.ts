// The CLI's interrupt budget (src/cli/jit-budget.ts): which calls set it, that a host's own choice
// is kept, and that on the V8 it was measured on it does what it is for (fewer optimizing compiles
// in a walk of many files). What it saves in time is a benchmark's to show (bench/scan/README.md),
// never a test's.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCAN_INTERRUPT_BUDGET, wantsJitBudget } from '../../src/cli/jit-budget.js';
import { namedScan } from '../../src/sources/files/worker-start.js';
import { CLI, PROJECT_ROOT, runProgram, TempRepo } from '../support/git-repo.js';

const temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-jit-budget-')));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const tree = path.join(temp, 'tree');
const small = path.join(temp, 'small.js');
const asked = path.join(temp, 'asked.txt');
const preload = path.join(temp, 'record-flags.cjs');

beforeAll(() => {
  // 2,000 small files in 40 folders: a walk that starts the second thread.
  for (let d = 0; d < 40; d++) {
    fs.mkdirSync(path.join(tree, `d${d}`), { recursive: true });
    for (let f = 0; f < 50; f++) fs.writeFileSync(path.join(tree, `d${d}`, `f${f}.js`), `const n = ${f};\n${'function greet() { return "hello"; }\n'.repeat(40)}`);
  }
  fs.writeFileSync(small, 'const k = process.env.MIRRA_API_KEY;\n');
  // Records each V8 flag the process sets (the bin reaches node:v8 through process.getBuiltinModule,
  // which hands out the same module object).
  fs.writeFileSync(preload, `const v8 = require('node:v8');\nconst set = v8.setFlagsFromString;\nv8.setFlagsFromString = (flags) => { require('node:fs').appendFileSync(${JSON.stringify(asked)}, flags + '\\n'); set(flags); };\n`);
});

/** The flags the built CLI set when run with `args` (node's own options in `nodeArgs`). */
function flagsSet(args: string[], nodeArgs: string[] = [], cwd = temp): string[] {
  fs.rmSync(asked, { force: true });
  const r = runProgram(process.execPath, [...nodeArgs, '-r', preload, CLI, ...args], { cwd });
  expect(r.stderr).not.toMatch(/unrecognized flag|Error/);
  expect(r.status, r.stderr).toBe(0);
  return fs.existsSync(asked) ? fs.readFileSync(asked, 'utf8').split('\n').filter(Boolean) : [];
}

const v8Is11 = /^11\./.test(process.versions.v8);
const budgetFlag = `--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`;

describe('when the CLI sets it', () => {
  test('only on V8 11, and never over a budget given to node itself', () => {
    expect(wantsJitBudget('11.3.244.8-node.30', [])).toBe(true);
    expect(wantsJitBudget('12.4.254.21-node.33', [])).toBe(false);
    expect(wantsJitBudget('13.6.233.10-node.18', [])).toBe(false);
    expect(wantsJitBudget('11.3.244.8-node.30', ['--interrupt-budget=1000'])).toBe(false);
    expect(wantsJitBudget('11.3.244.8-node.30', ['--interrupt_budget', '1000'])).toBe(false);
    expect(wantsJitBudget('11.3.244.8-node.30', ['--max-old-space-size=100'])).toBe(true);
  });

  test('what a scan command line names: folders to walk, a big file, or neither', () => {
    expect(namedScan([], temp)).toEqual({ walks: true, bigFile: false });
    expect(namedScan(['scan'], temp)).toEqual({ walks: true, bigFile: false });
    expect(namedScan(['scan', '--format', 'json', 'tree'], temp)).toEqual({ walks: true, bigFile: false });
    expect(namedScan(['small.js'], temp)).toEqual({ walks: false, bigFile: false });
    expect(namedScan(['scan', '-'], temp)).toEqual({ walks: false, bigFile: false });
    expect(namedScan(['no-such-file', 'small.js'], temp)).toEqual({ walks: false, bigFile: false });
    // A flag's value is a word too: one that names nothing is passed over.
    expect(namedScan(['--format', 'json'], temp)).toEqual({ walks: true, bigFile: false });
    expect(namedScan(['--format', 'json', 'small.js'], temp)).toEqual({ walks: false, bigFile: false });
  });

  test.skipIf(!v8Is11)('a walk and the other commands set it; a scan of named small files and a hook call do not', () => {
    expect(flagsSet(['scan', '--format', 'json', 'tree'])).toEqual([budgetFlag]);
    expect(flagsSet(['--format', 'json'], [], tree)).toEqual([budgetFlag]);
    expect(flagsSet(['baseline', '--help'])).toEqual([budgetFlag]);
    expect(flagsSet(['scan', '--format', 'json', 'small.js'])).toEqual([]);
    // Outside a git repository the hook's fast path has nothing staged to read: exit 0 or 2 is its
    // own business here; what counts is that it sets no flag.
    fs.rmSync(asked, { force: true });
    runProgram(process.execPath, ['-r', preload, CLI, 'staged'], { cwd: temp });
    expect(fs.existsSync(asked)).toBe(false);
  });

  test.skipIf(!v8Is11)('the hook sets it once git has printed a MiB of the staged change, not for a small commit', () => {
    const repo = new TempRepo({ prefix: 'mirra-jit-staged-' });
    try {
      repo.commitFiles({ 'README.md': 'start\n' });
      const hook = () => {
        fs.rmSync(asked, { force: true });
        // The hook's own call (no flags): the fast path.
        const r = runProgram(process.execPath, ['-r', preload, CLI, 'staged'], { cwd: repo.path() });
        expect(r.status, r.stderr).toBe(0);
        return fs.existsSync(asked) ? fs.readFileSync(asked, 'utf8').split('\n').filter(Boolean) : [];
      };
      repo.write('small.js', 'export const n = 1;\n').add('small.js');
      expect(hook()).toEqual([]);
      repo.write('big.txt', 'a line of text that holds no key at all\n'.repeat(40_000)).add('big.txt');
      expect(hook()).toEqual([budgetFlag]);
    } finally {
      repo.cleanup();
    }
  });

  test.skipIf(!v8Is11)('the library never sets one: its host process keeps its own V8 flags', () => {
    fs.rmSync(asked, { force: true });
    const scanner = path.join(PROJECT_ROOT, 'dist/cli/scanner.js');
    const script = `const { scanPaths } = await import(${JSON.stringify(scanner)}); const r = await scanPaths(['tree']); console.log(r.stats.files);`;
    const r = runProgram(process.execPath, ['-r', preload, '--input-type=module', '-e', script], { cwd: temp });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('2000');
    expect(fs.existsSync(asked)).toBe(false);
  });

  test.skipIf(!v8Is11)('a budget given to node itself is kept', () => {
    expect(flagsSet(['scan', '--format', 'json', 'tree'], ['--interrupt-budget=100000'])).toEqual([]);
  });
});

describe.skipIf(!v8Is11)('what it does on V8 11', () => {
  test('a walk of many files has far fewer functions optimized than under V8 default budget', () => {
    // `--trace-opt` prints a line for each optimized compile. A budget given to node is kept (above),
    // so `--interrupt-budget=67584` (V8 11's default) runs the same CLI without the CLI's own budget.
    const compiles = (nodeArgs: string[]) => {
      const r = runProgram(process.execPath, [...nodeArgs, '--trace-opt', CLI, 'scan', '--format', 'json', 'tree'], { cwd: temp });
      expect(r.status, r.stderr).toBe(0);
      return (r.stdout.match(/completed compiling/g) ?? []).length;
    };
    const ours = compiles([]);
    const defaults = compiles(['--interrupt-budget=67584']);
    expect(defaults).toBeGreaterThan(0);
    expect(ours * 2).toBeLessThan(defaults);
  });
});
