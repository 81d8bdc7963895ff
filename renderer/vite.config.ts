/**
 * Build of the renderer: `npx vite build --config renderer/vite.config.ts` writes out/renderer with
 * relative URLs (base './') so the same files load from file:// in Electron and from the loopback web
 * host. Everything is bundled: no CDN, no inline script, so the strict CSP in index.html holds.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The config runs in Node, but renderer/ lints as browser code; a URL avoids importing node:path.
const rendererRoot = decodeURIComponent(new URL('.', import.meta.url).pathname).replace(
  /^\/([A-Za-z]:)/,
  '$1',
);

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${rendererRoot}/../out/renderer`,
    emptyOutDir: true,
    // Inlined assets would become data: URLs for fonts or scripts; keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    target: 'es2022',
  },
});
