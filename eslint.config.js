// The project lints its own code with its own plugin (loaded from the build: `npm test` builds
// before it lints). `.eslintrc.cjs` is the legacy twin, used by the ESLint 8 integration test.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import mirra from './dist/src/index.js';

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'structuredClone', 'fetch', 'AbortController', 'AbortSignal', 'TextDecoder', 'TextEncoder', 'performance', 'queueMicrotask', 'globalThis'].map((name) => [name, 'readonly']),
);

export default [
  {
    ignores: ['dist/', 'coverage/', 'fixtures/', 'bench/.corpus/', 'bench/**/.corpus/', '.bench/', '**/node_modules/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  mirra.configs.recommended,
  {
    languageOptions: { globals: nodeGlobals },
    // A scanner strips and matches control characters on purpose (binary files, masked snippets).
    rules: { 'no-control-regex': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
