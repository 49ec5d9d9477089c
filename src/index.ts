// The ESLint plugin, as the package's default export. It works in both config systems:
//   flat (ESLint 9, 10):   import mirra from 'eslint-plugin-mirra'; export default [mirra.configs.recommended];
//   legacy (ESLint 8, 9):  { plugins: ['mirra'], extends: ['plugin:mirra/legacy-recommended'] }
// Kept free of the CLI, so that loading it into ESLint stays light.

import type { ESLint, Linter, Rule } from 'eslint';
import noHardcodedApiKey from '../rules/no-hardcoded-api-key.js';
import { PACKAGE } from './version.js';

export type { RuleOptions as NoHardcodedApiKeyOptions } from '../rules/no-hardcoded-api-key.js';

export interface MirraPlugin extends ESLint.Plugin {
  meta: { name: string; version: string };
  rules: { 'no-hardcoded-api-key': Rule.RuleModule };
  configs: {
    /** Flat config: the plugin and its rule as errors. */
    recommended: Linter.Config;
    /** Legacy `.eslintrc` config, for `extends: ['plugin:mirra/legacy-recommended']`. */
    'legacy-recommended': Linter.LegacyConfig;
  };
}

const rules = { 'no-hardcoded-api-key': noHardcodedApiKey };

const plugin: MirraPlugin = {
  meta: { name: PACKAGE.name, version: PACKAGE.version },
  rules,
  configs: {
    recommended: {},
    'legacy-recommended': {
      plugins: ['mirra'],
      rules: { 'mirra/no-hardcoded-api-key': 'error' },
    },
  },
};

// The flat config names the plugin object itself, so it is filled in once the object exists.
plugin.configs.recommended = {
  name: 'mirra/recommended',
  plugins: { mirra: plugin },
  rules: { 'mirra/no-hardcoded-api-key': 'error' },
};

export default plugin;
