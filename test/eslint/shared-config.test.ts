// The rule reads the same config file as the CLI: allowed keys, the env variable for suggestions,
// ignored paths and the inline-allow switch. A broken config is one clear report, not a crash.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { clearConfigCache } from '../../src/config/index.js';
import { keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';

const dirs: string[] = [];
afterEach(() => {
  clearConfigCache();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function project(config: unknown, files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-rule-config-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, '.git'));
  if (config !== undefined) fs.writeFileSync(path.join(dir, '.mirrascanrc.json'), typeof config === 'string' ? config : JSON.stringify(config));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function lint(dir: string, file: string) {
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });
  const [result] = await eslint.lintFiles([path.join(dir, file)]);
  return result.messages;
}

describe('no-hardcoded-api-key with the shared mirra-scan config', () => {
  it('takes the env variable for its suggestion from the config', async () => {
    const key = fakeKey('script', 80, 11);
    const dir = project({ envVar: 'MY_MIRRA_KEY' }, { 'a.js': `const k = '${key}';\n` });
    const [m] = await lint(dir, 'a.js');
    expect(m.ruleId).toBe('mirra/no-hardcoded-api-key');
    expect(m.suggestions?.[0].fix.text).toBe('process.env.MY_MIRRA_KEY');
    expect(m.message).not.toContain(key);
  });

  it('does not report a key the config allows by its keySha256', async () => {
    const allowedKey = fakeKey('test', 70, 12);
    const otherKey = fakeKey('test', 70, 13);
    const dir = project(
      { allowedKeys: [{ keySha256: keySha256(allowedKey), reason: 'revoked sample key used by the tests' }] },
      { 'a.js': `const a = '${allowedKey}';\nconst b = '${otherKey}';\n` },
    );
    const messages = await lint(dir, 'a.js');
    expect(messages.map((m) => m.line)).toEqual([2]);
  });

  it('skips files under the config ignorePaths', async () => {
    const key = fakeKey('untyped', 70, 14);
    const dir = project({ ignorePaths: ['samples/'] }, { 'samples/a.js': `const k = '${key}';\n`, 'src/a.js': `const k = '${key}';\n` });
    expect(await lint(dir, 'samples/a.js')).toEqual([]);
    expect(await lint(dir, 'src/a.js')).toHaveLength(1);
  });

  it('ignores mirra-scan:allow comments when the config turns inline allows off', async () => {
    const key = fakeKey('install', 90, 15);
    const text = `const k = '${key}'; // mirra-scan:allow\n`;
    expect(await lint(project(undefined, { 'a.js': text }), 'a.js')).toEqual([]);
    expect(await lint(project({ inlineAllow: false }, { 'a.js': text }), 'a.js')).toHaveLength(1);
  });

  it('reports a broken config once, naming the file, instead of crashing', async () => {
    const dir = project('{ "envVar": 42 }', { 'a.js': `const k = '${fakeKey('script', 80, 16)}';\n` });
    const messages = await lint(dir, 'a.js');
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toMatch(/mirra-scan config could not be read: .*\.mirrascanrc\.json.*envVar/);
  });
});
