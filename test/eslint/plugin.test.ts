// The package's default export is an ESLint plugin for both config systems, the same object
// whether it is imported (flat configs) or required (eslintrc, which loads plugins with require()).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import rule from '../../rules/no-hardcoded-api-key.js';

const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

describe('the plugin object', () => {
  it('names itself', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version });
  });

  it('has the rule', () => {
    expect(plugin.rules['no-hardcoded-api-key']).toBe(rule);
  });

  it('has a flat recommended config that carries the plugin itself', () => {
    expect(plugin.configs.recommended).toEqual({
      name: 'mirra/recommended',
      plugins: { mirra: plugin },
      rules: { 'mirra/no-hardcoded-api-key': 'error' },
    });
    expect(plugin.configs.recommended.plugins?.mirra).toBe(plugin);
  });

  it('has a legacy config for extends: ["plugin:mirra/legacy-recommended"]', () => {
    expect(plugin.configs['legacy-recommended']).toEqual({
      plugins: ['mirra'],
      rules: { 'mirra/no-hardcoded-api-key': 'error' },
    });
  });
});

describe('the built package', () => {
  const built = new URL('../../dist/src/index.js', import.meta.url);
  const ready = fs.existsSync(built) && fs.existsSync(new URL('../../dist/index.cjs', import.meta.url));

  it.runIf(ready)('gives the plugin itself to require() and to import, the same object, without warnings', () => {
    // In a plain Node process, as ESLint loads it (vitest's own module loader would make a copy).
    const script = [
      "import { createRequire } from 'node:module';",
      "const required = createRequire(import.meta.url)('eslint-plugin-mirra');",
      "const imported = (await import('eslint-plugin-mirra')).default;",
      'console.log(JSON.stringify({ same: required === imported, keys: Object.keys(required).sort(), name: required.meta.name }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../../', import.meta.url)), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ same: true, keys: ['configs', 'meta', 'rules'], name: 'eslint-plugin-mirra' });
  });

  it('is built (npm run build) before these tests run', () => {
    expect(ready, 'run `npm run build` first: the integration tests load the plugin from dist/').toBe(true);
  });
});
