import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Benchmark corpora and fixture projects hold copied code; never collect tests from them.
    exclude: ['**/node_modules/**', 'bench/**', 'fixtures/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
