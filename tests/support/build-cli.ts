/**
 * vitest globalSetup: the CLI tests run the built command line (out/cli), as users do, so it is
 * built once before any test file runs, and only when a source under main/ is newer than the bundle.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-paths';

const BUNDLE = join(REPO_ROOT, 'out', 'cli', 'contacts-backup.mjs');

function newestChange(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function bundleTime(): number {
  try {
    return statSync(BUNDLE).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds out/cli when it is missing or older than the sources it is built from. */
export function setup(): void {
  const sources = Math.max(
    newestChange(join(REPO_ROOT, 'main')),
    statSync(join(REPO_ROOT, 'package.json')).mtimeMs,
    statSync(join(REPO_ROOT, 'scripts', 'build.mjs')).mtimeMs,
  );
  if (bundleTime() >= sources) return;
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli'], { cwd: REPO_ROOT, stdio: 'inherit' });
}
