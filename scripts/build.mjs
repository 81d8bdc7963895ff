// Builds everything the app runs, as plain JavaScript with its dependencies bundled in:
// - out/renderer: the React renderer (Vite);
// - out/main/main.cjs and out/preload/preload.cjs: the Electron main process and the sandboxed
//   preload (CommonJS, as Electron's sandboxed preload requires);
// - out/cli/contacts-backup.cjs: the `contacts-backup` command line (bin/ runs it, with V8's code
//   cache in contacts-backup.cache), so no command pays for compiling TypeScript at start-up.
// Nothing from node_modules is left to load at run time except Electron itself and ws's optional
// native speed-ups, which ws does without. `node scripts/build.mjs --cli` builds the CLI only.
import { build as esbuild } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Optional natives ws tries to load and falls back from; Electron is provided by the runtime. */
const EXTERNAL = ['electron', 'bufferutil', 'utf-8-validate'];

const cliOnly = process.argv.includes('--cli');

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

// A release bundle refuses test-only overrides such as the licence public key
// (main/core/licensing/test-build.ts). The tests' own build (tests/support/build-once.ts) sets
// CONTACTS_BACKUP_TEST_BUILD=1, the only way to make bundles without this define.
const testBuild = process.env.CONTACTS_BACKUP_TEST_BUILD === '1';
const RELEASE_DEFINE = { __CONTACTS_BACKUP_RELEASE__: 'true' };

/**
 * Bundled modules read import.meta.url (in CommonJS: this file's URL); the registrations and the
 * release marker ride along.
 */
const importMetaUrl = {
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  define: {
    'import.meta.url': '__importMetaUrl',
    __CONTACTS_BACKUP_APP_REGISTRATIONS__: JSON.stringify(JSON.stringify(registrations)),
    ...(testBuild ? {} : RELEASE_DEFINE),
  },
};

/**
 * The PST reader's worker thread (pst-provider.ts looks for it next to the bundle that starts it):
 * pst-extractor can loop for ever on a damaged file, so reading runs where it can be stopped.
 */
async function buildPstWorker(folder) {
  await esbuild({
    entryPoints: ['main/core/providers/pst/pst-read-worker.ts'],
    outfile: `${folder}/pst-read-worker.cjs`,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    minify: true,
    legalComments: 'linked',
    logLevel: 'warning',
    ...importMetaUrl,
  });
}

/**
 * The CLI: one CommonJS file that bin/contacts-backup.js runs through V8's code cache (Node 20 has
 * no module compile cache), then run once so the cache of what start-up compiles is written.
 */
export async function buildCli() {
  await esbuild({
    entryPoints: ['main/cli/main.ts'],
    outfile: 'out/cli/contacts-backup.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    minify: true,
    legalComments: 'linked',
    sourcemap: 'linked',
    logLevel: 'warning',
    // The package root is found from import.meta.url.
    ...importMetaUrl,
  });
  await buildPstWorker('out/cli');
  execFileSync(process.execPath, ['bin/contacts-backup.js', '--help'], { stdio: 'ignore' });
}

async function buildDesktop() {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });

  await esbuild({
    entryPoints: ['main/electron/main.ts'],
    outfile: 'out/main/main.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: EXTERNAL,
    minify: true,
    legalComments: 'linked',
    sourcemap: 'linked',
    logLevel: 'warning',
    ...importMetaUrl,
  });
  await buildPstWorker('out/main');

  await esbuild({
    entryPoints: ['preload/preload.ts'],
    outfile: 'out/preload/preload.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome140',
    external: ['electron'],
    logLevel: 'warning',
  });
}

if (cliOnly) {
  rmSync('out/cli', { recursive: true, force: true });
  await buildCli();
  console.log('Built out/cli.');
} else {
  rmSync('out', { recursive: true, force: true });
  await buildDesktop();
  await buildCli();
  // The tests' globalSetup (tests/support/build-once.ts) rebuilds when a source is newer than this.
  writeFileSync('out/.built', testBuild ? 'test' : 'release');
  console.log('Built out/renderer, out/main, out/preload and out/cli.');
}
