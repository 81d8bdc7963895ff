// `npm start`: builds, makes sure Electron's binary is present (electron 45 installs it on request
// with its `install-electron` command rather than at npm install), then starts the desktop app.
// Where no binary can be had (no internet, no display), it says so and points to the web host.
import { spawnSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let binary = electronBinary();
if (!binary) {
  console.log('Downloading the Electron binary (first start only)…');
  spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'inherit' });
  binary = electronBinary();
}
if (!binary) {
  console.error(
    'Electron could not be installed here (no network access to its binary?).\n' +
      'Run the same app in a browser instead: npx contacts-backup serve',
  );
  process.exit(1);
}
const child = spawn(binary, ['.'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
