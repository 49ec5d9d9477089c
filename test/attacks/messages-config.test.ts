// Attack class: a broken config file gets a message with the wrong cause, or none. Each names the
// file and what is wrong with it, in one line, exit 2: an ES module with a syntax error (not a
// "require() race condition"), a config that throws a string or `{}`, a getter that throws,
// `module.exports = null` (not taken for "no config").

import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../support/git-repo.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

function scanWithConfig(name: string, text: string) {
  const repo = new TempRepo({ prefix: 'mirra-attack-config-' });
  repos.push(repo);
  repo.write('app.js', 'const x = 1;\n').write(name, text);
  return repo.mirraScan(['scan']);
}

const expectOneLine = (r: { status: number | null; stderr: string }, pattern: RegExp) => {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
};

describe('a broken config is named, with its real cause', () => {
  it('an ES module config with a syntax error', () => {
    expectOneLine(scanWithConfig('mirra-scan.config.mjs', 'export default {\n  ignorePaths: [\n};\n'), /config mirra-scan\.config\.mjs: .*syntax error at line 3: Unexpected token/);
  });

  it('a CommonJS config with a syntax error', () => {
    expectOneLine(scanWithConfig('mirra-scan.config.cjs', 'module.exports = { ignorePaths: [ };\n'), /config mirra-scan\.config\.cjs: .*syntax error at line 1/);
  });

  it('a config that throws a string', () => {
    expectOneLine(scanWithConfig('mirra-scan.config.cjs', 'throw "no config today";\n'), /config mirra-scan\.config\.cjs: .*threw the string "no config today"/);
  });

  it('a config that throws {}', () => {
    expectOneLine(scanWithConfig('mirra-scan.config.cjs', 'throw {};\n'), /config mirra-scan\.config\.cjs: .*threw an object, not an Error/);
  });

  it('a config whose field is a throwing getter', () => {
    expectOneLine(
      scanWithConfig('mirra-scan.config.cjs', 'module.exports = { get ignorePaths() { throw new Error("not now"); } };\n'),
      /config mirra-scan\.config\.cjs: reading it failed: not now/,
    );
  });

  it('module.exports = null', () => {
    expectOneLine(scanWithConfig('mirra-scan.config.cjs', 'module.exports = null;\n'), /config mirra-scan\.config\.cjs: .*exports null/);
  });

  it('an ES module with no default export', () => {
    expectOneLine(scanWithConfig('mirra-scan.config.mjs', 'export const ignorePaths = [];\n'), /config mirra-scan\.config\.mjs: .*exports nothing/);
  });
});
