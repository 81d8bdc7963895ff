/**
 * The app's Paths when it runs from this repository (tests, scripts, benches): the same layout the
 * CLI and the packaged app use, rooted at the repository.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { layoutPaths } from '../../main/core/app-paths';
import type { Paths } from '../../main/core/ports';
import { SAMPLE_ADDRESS_BOOK_FILE } from '../../main/core/providers/vcard/sample';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The committed sample address book. */
export const SAMPLE_ADDRESS_BOOK_PATH = join(REPO_ROOT, SAMPLE_ADDRESS_BOOK_FILE);

/** Paths for an app whose data folder is `data`, with the repository's assets and renderer build. */
export function repoPaths(data: string): Paths {
  return layoutPaths(REPO_ROOT, data);
}
