/**
 * Plays the user's browser for the CLI's sign-in (`account add google|microsoft --no-browser`): the
 * CLI prints `Sign in at: <url>` on stderr (main/cli/open-browser.ts); these helpers read that line,
 * act on the fake's consent page as a browser would, and wait for the CLI to finish.
 */
import type { OpenBrowser } from '../../main/core/ports';
import type { FakeMicrosoft } from '../fakes/graph/fake-microsoft';
import { scriptedBrowser } from '../integration/microsoft/harness';
import { startCli, type CliResult } from './run-cli';

/**
 * Google: GET the auth URL at the fake, which answers 302 to the app's loopback listener; follow it
 * (the listener's page is read to the end so the app sees the answer delivered).
 */
export function googleRedirectBrowser(seen: string[] = []): OpenBrowser & { seen: string[] } {
  return {
    seen,
    async open(url: string) {
      seen.push(url);
      const response = await fetch(url, { redirect: 'follow' });
      await response.text();
    },
  };
}

/** Microsoft (msal-node form_post): load the authorize page and POST its hidden fields to MSAL's listener. */
export function microsoftBrowser(fake: FakeMicrosoft): OpenBrowser & { urls: string[] } {
  return scriptedBrowser(fake);
}

/** Only a complete line: a chunk may end in the middle of the address. */
const SIGN_IN_LINE = /Sign in at: (\S+)\r?\n/;

/**
 * Runs a CLI command that signs in (pass `--no-browser`), hands the printed address to `browser`
 * once, and resolves with the CLI's result. A browser failure is reported in `browserError`.
 */
export function runCliWithSignIn(
  home: string,
  args: readonly string[],
  browser: OpenBrowser,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult & { signInUrl?: string; browserError?: unknown }> {
  return new Promise((resolve, reject) => {
    const child = startCli(home, args, env);
    let stdout = '';
    let stderr = '';
    let signInUrl: string | undefined;
    let browserError: unknown;
    let browsing: Promise<void> = Promise.resolve();
    // Decoded by the streams so a UTF-8 character split across chunks stays whole.
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const match = signInUrl === undefined ? SIGN_IN_LINE.exec(stderr) : null;
      if (match) {
        signInUrl = match[1];
        browsing = browser.open(signInUrl).catch((error: unknown) => {
          browserError = error;
        });
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      void browsing.then(() => resolve({ code, stdout, stderr, signInUrl, browserError }));
    });
    child.stdin!.end('');
  });
}
