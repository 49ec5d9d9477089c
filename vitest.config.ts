import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Benchmark corpora and fixture projects hold copied code; never collect tests from them.
    exclude: ['**/node_modules/**', 'bench/**', 'fixtures/**', 'dist/**'],
    // End-to-end tests run the build: refuse a dist/ older than the sources it is built from.
    globalSetup: ['test/support/fresh-build.ts'],
    // Generous: e2e tests drive real git, npm and ESLint on shared 2-core machines; speed is the benchmarks' job.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
