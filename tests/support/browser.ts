/**
 * Debian's Chromium driven by playwright-core: no browser download, loopback only, a fresh profile
 * folder per launch, the flags this machine needs (no background networking).
 */
import { chromium, type BrowserContext } from 'playwright-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'cb-chromium-'));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
