/** `serve`: the loopback web host, for machines without Electron or a display, and the browser tests. */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openApp, pathsOf, type GlobalOptions } from '../cli-context';
import { startWebHost } from '../../web/web-host';
import { CliError } from '../cli-error';

export function registerServeCommand(program: Command, globals: () => GlobalOptions): void {
  program
    .command('serve')
    .description('serve the app on 127.0.0.1 for a browser (prints the address with its access token)')
    .option('--port <n>', 'port (default: a free one)', (value) => Number.parseInt(value, 10))
    .action(async (options: { port?: number }) => {
      const rendererFolder = pathsOf(globals()).renderer;
      if (!existsSync(join(rendererFolder, 'index.html'))) {
        throw new CliError('The app is not built yet: run `npm run build` first.');
      }
      const app = openApp(globals(), { serve: true });
      const host = await startWebHost({
        app,
        rendererFolder,
        port: options.port,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`Contacts Backup is running at ${host.url}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await app.lock();
      await host.close();
    });
}
