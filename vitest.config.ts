import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time: many tests wait on child processes (the built CLI, readpst, Radicale),
    // so two workers keep both cores busy; one worker left a core idle for half the run.
    maxWorkers: 2,
    // The CLI and bundle tests run the built app (out/); build it once, before the first test file.
    globalSetup: ['tests/support/build-once.ts'],
  },
});
