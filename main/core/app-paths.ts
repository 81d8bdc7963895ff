/**
 * The one layout of the app's files, the same in the repository, the npm package and the packaged
 * app: `assets/`, `out/renderer/` under one root, and the data folder wherever the host says.
 */
import { join } from 'node:path';
import type { Paths } from './ports';

/** Builds the Paths port from the package (or app.asar) root and the data folder. */
export function layoutPaths(root: string, data: string): Paths {
  const assets = join(root, 'assets');
  return {
    data,
    assets,
    sampleAddressBook: join(assets, 'sample', 'sample-contacts.vcf'),
    renderer: join(root, 'out', 'renderer'),
    logs: join(data, 'logs'),
  };
}
