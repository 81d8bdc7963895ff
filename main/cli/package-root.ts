/**
 * The package root of the running CLI (the folder with our package.json, `assets/` and `out/`),
 * found by walking up from this module: it sits at a different depth in the sources (main/cli/)
 * and in the bundle (out/cli/), and the Paths port is built from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest ancestor folder whose package.json is this app's. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) return folder;
    if (dirname(folder) === folder) throw new Error(`No contacts-backup package.json above ${from}.`);
  }
}

function isOurs(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'contacts-backup';
  } catch {
    return false;
  }
}
