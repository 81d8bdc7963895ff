/**
 * The CLI's OpenBrowser port: always prints the sign-in address (so it works over SSH or with
 * --no-browser), and opens the system browser unless told not to.
 */
import { spawn } from 'node:child_process';
import { platform } from 'node:os';
import type { OpenBrowser } from '../core/ports';
import { childEnvironment } from './secret-environment';

export function cliOpenBrowser(options: { noBrowser?: boolean } = {}): OpenBrowser {
  return {
    async open(url) {
      process.stderr.write(`Sign in at: ${url}\n`);
      if (options.noBrowser || !/^https?:\/\//.test(url)) return;
      const command = platform() === 'darwin' ? 'open' : platform() === 'win32' ? 'explorer.exe' : 'xdg-open';
      try {
        // The browser gets a filtered environment: no backup password, client secret or other token.
        const child = spawn(command, [url], { detached: true, stdio: 'ignore', env: childEnvironment() });
        child.on('error', () => undefined);
        child.unref();
      } catch {
        // No browser here: the printed address is enough.
      }
    },
  };
}
