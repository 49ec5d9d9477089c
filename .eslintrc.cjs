// The legacy (eslintrc) twin of eslint.config.js, for ESLint 8 and for ESLint 9 with
// ESLINT_USE_FLAT_CONFIG=false. The plugin resolves by name to this package's own build.
module.exports = {
  root: true,
  env: { node: true, es2022: true },
  parser: '@typescript-eslint/parser',
  parserOptions: { ecmaVersion: 'latest', sourceType: 'module' },
  plugins: ['@typescript-eslint', 'mirra'],
  extends: ['eslint:recommended', 'plugin:@typescript-eslint/recommended', 'plugin:mirra/legacy-recommended'],
  // A scanner strips and matches control characters on purpose (binary files, masked snippets).
  rules: {
    'no-control-regex': 'off',
    // This typescript-eslint rule wraps ESLint's core rule, which it loads from the `eslint`
    // package: here that is ESLint 10 (ESLint 8 is installed as the `eslint-v8` alias), whose
    // rule does not run under ESLint 8. A project on ESLint 8 alone can keep it on.
    '@typescript-eslint/no-unused-expressions': 'off',
    'no-unused-expressions': 'error',
  },
  ignorePatterns: ['dist/', 'coverage/', 'fixtures/', 'bench/.corpus/', 'bench/**/.corpus/', '.bench/', 'node_modules/'],
  overrides: [
    {
      files: ['*.cjs'],
      parserOptions: { sourceType: 'script' },
      rules: { '@typescript-eslint/no-require-imports': 'off' },
    },
  ],
};
