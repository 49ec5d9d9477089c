// `npm run test:unit`: the pure unit tests (no build, no CLI process, no hook), in seconds. Everything
// else, and these too, runs with `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/detector/**/*.test.ts',
      'test/rules/**/*.test.ts',
      'test/report/**/*.test.ts',
      'test/sources/**/*.test.ts',
      'test/fragments/**/*.test.ts',
      'test/hints/hints.test.ts',
      'test/policy/policy.test.ts',
      'test/verify/url.test.ts',
      'test/verify/cache.test.ts',
      'test/ci/github-format.test.ts',
      'test/attacks/dense-traces.test.ts',
      'test/attacks/long-lines.test.ts',
      'test/attacks/rule-folding.test.ts',
      'test/package/layout.test.ts',
    ],
    exclude: ['**/node_modules/**', 'bench/**', 'fixtures/**', 'dist/**'],
  },
});
