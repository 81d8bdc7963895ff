// Builds what the desktop app and the web host load: the renderer (Vite) into out/renderer, and the
// Electron main process and preload (esbuild, CommonJS as Electron's sandboxed preload requires)
// into out/main and out/preload. The CLI needs no build: it runs the TypeScript through tsx.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, readFileSync, rmSync } from 'node:fs';

rmSync('out', { recursive: true, force: true });

await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });

// The app's own OAuth registrations (config/README.md): the file, else the build environment.
const registrationsFile = 'config/app-registrations.json';
const fromFile = existsSync(registrationsFile) ? JSON.parse(readFileSync(registrationsFile, 'utf8')) : {};
const env = process.env;
const registrations = {
  google: fromFile.google ?? {
    clientId: env.CONTACTS_BACKUP_GOOGLE_CLIENT_ID,
    clientSecret: env.CONTACTS_BACKUP_GOOGLE_CLIENT_SECRET,
  },
  microsoft: fromFile.microsoft ?? { clientId: env.CONTACTS_BACKUP_MICROSOFT_CLIENT_ID },
};

const importMetaUrl = {
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: {
    'import.meta.url': '__importMetaUrl',
    __CONTACTS_BACKUP_APP_REGISTRATIONS__: JSON.stringify(JSON.stringify(registrations)),
  },
};

await esbuild({
  entryPoints: ['main/electron/main.ts'],
  outfile: 'out/main/main.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  ...importMetaUrl,
});

await esbuild({
  entryPoints: ['preload/preload.ts'],
  outfile: 'out/preload/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome130',
  external: ['electron'],
  logLevel: 'warning',
});

console.log('Built out/renderer, out/main and out/preload.');
