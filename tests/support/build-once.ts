/**
 * vitest globalSetup: the CLI tests run the built command line (out/cli) and the bundle tests load
 * out/main and out/renderer, as users get them; so `node scripts/build.mjs` runs once before any
 * test file, and only when a source is newer than the last build (or the last build was a release
 * build, whose bundles refuse the test licence key).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-paths';

const STAMP = join(REPO_ROOT, 'out', '.built');
const SOURCES = ['main', 'preload', 'renderer', 'package.json', 'scripts/build.mjs'];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** When out/ was last built as a test build (0: never, or a release build is there). */
function builtAt(): number {
  try {
    return readFileSync(STAMP, 'utf8') === 'test' ? statSync(STAMP).mtimeMs : 0;
  } catch {
    return 0;
  }
}

/** Builds out/ when it is missing or older than the sources it is built from. */
export function setup(): void {
  const sources = Math.max(...SOURCES.map((source) => newestChange(join(REPO_ROOT, source))));
  if (builtAt() >= sources) return;
  // vitest sets NODE_ENV=test, which would make Vite build React's development bundle. A test
  // build is the release build without the release marker, so the licence tests may use their key.
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', CONTACTS_BACKUP_TEST_BUILD: '1' },
  });
}
