#!/usr/bin/env node
// Runs the built command line (out/cli, made by `npm run build`): plain JavaScript, no compiler at
// start-up. The bundle is compiled with V8's code cache (out/cli/contacts-backup.cache, written by
// the first run after a build), which halves the start-up time of every command.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const bundle = fileURLToPath(new URL('../out/cli/contacts-backup.cjs', import.meta.url));
const cache = bundle.replace(/\.cjs$/, '.cache');
if (!existsSync(bundle)) {
  process.stderr.write('contacts-backup: the command line is not built yet: run `npm run build` first.\n');
  process.exit(70);
}

/** The cache, unless it is older than the bundle (V8 checks only the source's length). */
function cachedData() {
  try {
    return statSync(cache).mtimeMs >= statSync(bundle).mtimeMs ? readFileSync(cache) : undefined;
  } catch {
    return undefined;
  }
}

const data = cachedData();
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData: data });
if (!data || script.cachedDataRejected) {
  // Written at exit, so it holds the functions this run compiled; a read-only install just skips it.
  process.once('exit', () => {
    try {
      // Whole or not at all: another process may be reading it.
      const temporary = `${cache}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cache);
    } catch {
      // No cache: the next start compiles again.
    }
  });
}
const entry = new Module(bundle);
entry.filename = bundle;
entry.paths = Module._nodeModulePaths(dirname(bundle));
script.runInThisContext()(entry.exports, createRequire(bundle), entry, bundle, dirname(bundle));
