// Attack class: the ESLint rule prints a key that reached it from outside the linted code: a config
// file with a key as a field name, a config that throws an error holding a key, a key pasted into the
// rule's options (ESLint's own schema errors print the refused value). Each of ESLint 8, 9 and 10
// must show the problem without the key.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Linter as Linter8 } from 'eslint-v8';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../rules/no-hardcoded-api-key.js';
import { clearConfigCache } from '../../src/config/index.js';
import { keySha256 } from '../../src/detector/index.js';
import { fakeKey } from '../support/fake-keys.js';
import { flatLinter } from '../support/linters.js';
import { expectNoKey } from '../support/no-key.js';

const secret = fakeKey('script', 90, 801);
const inCode = fakeKey('untyped', 80, 802);
const code = `const k = '${inCode}';\n`;
const RULE = 'mirra/no-hardcoded-api-key';
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder holding `files` and a .git (so the config search stops there). */
function project(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mirra-attack-rule-')));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Everything the linter says (messages, or the error it throws), as one text. */
function lintWith(version: 8 | 9 | 10, options: unknown[], dir: string): string {
  clearConfigCache();
  const filename = path.join(dir, 'app.js');
  try {
    if (version === 8) {
      const linter = new Linter8();
      linter.defineRule(RULE, rule as never);
      return JSON.stringify(linter.verify(code, { rules: { [RULE]: ['error', ...options] }, parserOptions: { ecmaVersion: 2022 } } as never, { filename }));
    }
    const linter = flatLinter(version, dir);
    const config = [{ files: ['**/*.js'], plugins: { mirra: { rules: { 'no-hardcoded-api-key': rule } } }, rules: { [RULE]: ['error', ...options] } }];
    return JSON.stringify(linter.verify(code, config as never, { filename }));
  } catch (e) {
    return e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  }
}

const plain = () => project({});
const attacks: Array<[string, unknown[], () => string]> = [
  ['a key pasted into allowedKeySha256', [{ allowedKeySha256: [secret] }], plain],
  ['a key as allowedKeySha256 itself', [{ allowedKeySha256: secret }], plain],
  ['a key as envVar', [{ envVar: secret }], plain],
  ['a key as an option name', [{ [secret]: true }], plain],
  ['a key as the whole options', [secret], plain],
  ['a key as a second option', [{}, secret], plain],
  ['a config file with a key as a field name', [], () => project({ '.mirrascanrc.json': JSON.stringify({ [secret]: [] }) })],
  ['a config that throws an error holding a key', [], () => project({ 'mirra-scan.config.cjs': `throw new Error('cannot read ${secret}');\n` })],
  ['a config whose allowedKeys holds the key itself', [], () => project({ '.mirrascanrc.json': JSON.stringify({ allowedKeys: [{ keySha256: secret, reason: 'x' }] }) })],
];

describe('the rule never prints a key that reached it from outside the code', () => {
  for (const version of [8, 9, 10] as const) {
    for (const [name, options, dir] of attacks) {
      it(`ESLint ${version}: ${name}`, () => {
        const said = lintWith(version, options, dir());
        expect(said).toMatch(/options|config/i); // the problem was said
        expect(said).not.toMatch(/File ignored/); // and the rule did run
        expectNoKey(said, secret, `ESLint ${version}`);
      });
    }
  }

  it('a key pasted into allowedKeySha256 is reported with the hash to write instead', () => {
    const said = lintWith(10, [{ allowedKeySha256: [secret] }], plain());
    expect(said).toContain(keySha256(secret));
    expect(said).toMatch(/Mirra key mirra_[0-9a-f]{4}…[0-9a-f]{4}/); // the key in the code is still reported
  });
});
