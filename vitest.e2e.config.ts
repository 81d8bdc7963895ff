import { defineConfig } from 'vitest/config';

// End-to-end tests: the production renderer build in Debian's Chromium against the real core.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    // The production renderer and bundles, built once (a test build: see tests/support/build-once.ts).
    globalSetup: ['tests/support/build-once.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
