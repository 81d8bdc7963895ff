/**
 * The CLI's OpenBrowser port: always prints the sign-in address (so it works over SSH or with
 * --no-browser), and opens the system browser unless told not to.
 */
import { spawn } from 'node:child_process';
import { platform } from 'node:os';
import type { OpenBrowser } from '../core/ports';

export function cliOpenBrowser(options: { noBrowser?: boolean } = {}): OpenBrowser {
  return {
    async open(url) {
      process.stderr.write(`Sign in at: ${url}\n`);
      if (options.noBrowser || !/^https?:\/\//.test(url)) return;
      const command = platform() === 'darwin' ? 'open' : platform() === 'win32' ? 'explorer.exe' : 'xdg-open';
      try {
        const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
        child.on('error', () => undefined);
        child.unref();
      } catch {
        // No browser here: the printed address is enough.
      }
    },
  };
}
