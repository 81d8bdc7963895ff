import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The CLI and bundle tests run the built app (out/); build it once, before the first test file.
    globalSetup: ['tests/support/build-once.ts'],
  },
});
