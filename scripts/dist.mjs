// `npm run dist`: builds the app and packs it with electron-builder: the Linux AppImage and deb by
// default; pass targets through for the others (`npm run dist -- --win`, `npm run dist -- --mac`,
// which need Windows or macOS, or their signing tools, to finish).
// electron-builder needs Electron's binary for the target. Where it is missing and cannot be
// fetched (no network, a locked-down machine), this says so plainly and packs nothing.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronDist() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? dirname(binary) : undefined;
  } catch {
    return undefined;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);

const targets = process.argv.slice(2);
const hostLinux = process.platform === 'linux';
let dist = electronDist();
if (!dist) {
  console.log("Fetching Electron's binary (electron 45 fetches it on request)…");
  run(process.execPath, [require.resolve('electron/install.js')]);
  dist = electronDist();
}
if (!dist && !targets.length) {
  console.error(
    [
      '',
      "Not packaged: Electron's binary is not available on this machine and could not be downloaded",
      '(electron-builder needs it to make the AppImage and the deb). Nothing was written to dist/.',
      'On a machine with network access: npx install-electron, then npm run dist.',
      'The same app runs here without Electron: npx contacts-backup serve',
    ].join('\n'),
  );
  process.exit(1);
}

// With the binary at hand, electron-builder uses it instead of downloading its own copy.
const args = [
  ...(targets.length ? targets : hostLinux ? ['--linux', 'AppImage', 'deb'] : []),
  ...(dist ? [`-c.electronDist=${dist}`] : []),
  '--publish',
  'never',
];
const cli = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
const status = run(process.execPath, [cli, ...args]);
if (status !== 0) {
  console.error(
    '\nelectron-builder failed (see above). The deb and AppImage also need tools electron-builder downloads\n' +
      'on first use (fpm, appimagetool): without network access they cannot be made here.',
  );
}
process.exit(status);
