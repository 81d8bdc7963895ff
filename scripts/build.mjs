// Builds what the desktop app and the web host load: the renderer (Vite) into out/renderer, and the
// Electron main process and preload (esbuild, CommonJS as Electron's sandboxed preload requires)
// into out/main and out/preload. The CLI needs no build: it runs the TypeScript through tsx.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { rmSync } from 'node:fs';

rmSync('out', { recursive: true, force: true });

await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });

const importMetaUrl = {
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
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
  // A release bundle: test-only overrides (the licence public key) are refused (licensing/test-build.ts).
  define: { ...importMetaUrl.define, __CONTACTS_BACKUP_RELEASE__: 'true' },
});

// The PST reader's worker thread has its own entry next to main.cjs (pst-provider.ts finds it there).
await esbuild({
  entryPoints: ['main/core/providers/pst/pst-read-worker.ts'],
  outfile: 'out/main/pst-read-worker.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  ...importMetaUrl,
  define: { ...importMetaUrl.define, __CONTACTS_BACKUP_RELEASE__: 'true' },
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

console.log('Built out/renderer, out/main (with the PST read worker) and out/preload.');
