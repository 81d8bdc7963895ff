// Starts the PST read worker from TypeScript sources (the CLI through tsx, vitest): a worker thread
// does not inherit the parent's tsx loader, so it registers its own before importing the entry.
// The esbuild bundle uses out/main/pst-read-worker.cjs instead (scripts/build.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./pst-read-worker.ts');
