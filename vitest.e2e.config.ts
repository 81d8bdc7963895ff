import { defineConfig } from 'vitest/config';

// End-to-end tests: the production renderer build in Debian's Chromium against the real core.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
