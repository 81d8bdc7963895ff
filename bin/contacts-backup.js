#!/usr/bin/env node
// Runs the built command line (out/cli, made by `npm run build`): plain JavaScript, no compiler at
// start-up. Node 22.1+ also keeps V8's compiled code between runs, which shortens every start.
import { existsSync } from 'node:fs';
import module from 'node:module';

const cli = new URL('../out/cli/contacts-backup.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('contacts-backup: the command line is not built yet: run `npm run build` first.\n');
  process.exit(70);
}
module.enableCompileCache?.();
await import(cli.href);
