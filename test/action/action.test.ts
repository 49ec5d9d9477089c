// The GitHub Action (action.yml) run as the runner runs it, on real repositories, push and pull_request
// events (test/support/action-runner.ts).

import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ActionRunner, type ActionRun } from '../support/action-runner.js';
import { fakeKey } from '../support/fake-keys.js';
import { TempRepo } from '../support/git-repo.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let runner: ActionRunner;
const made: TempRepo[] = [];
beforeAll(() => {
  runner = new ActionRunner();
});
afterAll(() => {
  runner.cleanup();
  for (const r of made) r.cleanup();
});
const runAction = (workspace: string, eventName: string, event: object, inputs: Record<string, string> = {}) => runner.run(workspace, eventName, event, inputs);

/** origin (bare) and a CI clone with `base` then `head` (which adds src/key.js with a key). */
function pushedRepo(key: string): { ci: TempRepo; base: string; head: string } {
  const dev = new TempRepo({ prefix: 'mirra-action-' });
  made.push(dev);
  const base = dev.commitFiles({ 'README.md': '# app\n' }, 'base');
  const head = dev.commitFiles({ 'src/key.js': `export const k = '${key}';\n`, 'src/ok.js': 'export const ok = 1;\n' }, 'add key');
  return { ci: dev, base, head };
}

function expectNoKey(run: ActionRun, sarif: string | null, key: string): void {
  expect(run.log).not.toContain(key);
  expect(JSON.stringify(run.outputs)).not.toContain(key);
  if (sarif !== null) expect(sarif).not.toContain(key);
}

describe('action.yml, run as the runner runs it', () => {
  test('push event with a key: annotation on the line, SARIF written, outputs set, step fails', () => {
    const key = fakeKey('script');
    const { ci, base, head } = pushedRepo(key);
    const run = runAction(ci.dir, 'push', { before: base, after: head, ref: 'refs/heads/main' });
    expect(run.status, run.log).toBe(1);
    expect(run.log).toMatch(/^::error file=src\/key\.js,line=1,col=\d+/m);
    expect(run.log).toContain('mirra-scan: ci: GitHub push');
    expect(run.outputs).toEqual({ findings: '1', 'sarif-file': 'mirra-scan.sarif' });
    const sarif = fs.readFileSync(ci.path('mirra-scan.sarif'), 'utf8');
    expect(JSON.parse(sarif).runs[0].results).toHaveLength(1);
    expectNoKey(run, sarif, key);
  });

  test('pull_request event: the range is base.sha..head.sha; fail-on-findings false reports without failing', () => {
    const key = fakeKey('install');
    const { ci, base, head } = pushedRepo(key);
    const event = { number: 7, pull_request: { number: 7, base: { sha: base }, head: { sha: head } } };
    const run = runAction(ci.dir, 'pull_request', event, { 'fail-on-findings': 'false', 'sarif-file': 'reports/scan.sarif' });
    expect(run.status, run.log).toBe(0);
    expect(run.log).toContain('GitHub pull request #7');
    expect(run.log).toMatch(/^::error file=src\/key\.js,line=1/m);
    expect(run.outputs).toEqual({ findings: '1', 'sarif-file': 'reports/scan.sarif' });
    expectNoKey(run, fs.readFileSync(ci.path('reports/scan.sarif'), 'utf8'), key);
  });

  test('a clean pull request passes with findings 0', () => {
    const dev = new TempRepo({ prefix: 'mirra-action-' });
    made.push(dev);
    const base = dev.commitFiles({ 'README.md': '# app\n' }, 'base');
    const head = dev.commitFiles({ 'src/app.js': 'export const apiKey = process.env.MIRRA_API_KEY;\n' }, 'clean');
    const run = runAction(dev.dir, 'pull_request', { pull_request: { base: { sha: base }, head: { sha: head } } });
    expect(run.status, run.log).toBe(0);
    expect(run.log).not.toContain('::error');
    expect(run.outputs.findings).toBe('0');
  });

  test('command: scan with paths; a bad input fails with exit 2 and a clear annotation', () => {
    const key = fakeKey('test');
    const { ci } = pushedRepo(key);
    const run = runAction(ci.dir, 'push', {}, { command: 'scan', paths: 'src' });
    expect(run.status, run.log).toBe(1);
    expect(run.outputs.findings).toBe('1');
    expectNoKey(run, fs.readFileSync(ci.path('mirra-scan.sarif'), 'utf8'), key);

    const bad = runAction(ci.dir, 'push', {}, { command: 'scna' });
    expect(bad.status).toBe(2);
    expect(bad.log).toContain('::error title=mirra-scan::input command must be one of ci, scan, history');
    const badBool = runAction(ci.dir, 'push', {}, { verify: 'yes' });
    expect(badBool.status).toBe(2);
    expect(badBool.log).toContain('input verify must be true or false');
  });

  test('a pull request whose base the clone lacks fails the step (exit 2) and sets no findings output', () => {
    const { ci, head } = pushedRepo(fakeKey('script'));
    const run = runAction(ci.dir, 'pull_request', { pull_request: { base: { sha: 'f'.repeat(40) }, head: { sha: head } } });
    expect(run.status, run.log).toBe(2);
    expect(run.log).toContain('is not in this clone');
    expect(run.outputs.findings).toBe('');
  });
});
