/**
 * The Electron IPC transport: the only file that touches ipcMain (lint enforces it). Every channel
 * of the contract is handled here and goes through the shared router, after checking that the
 * sender is one of our own windows showing our own page.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../core/contract/contract-types';
import type { Router } from '../core/api/router';
import type { AppCore } from '../core/app';
import { isAppUrl } from './window-security';

export const EVENT_CHANNEL = 'contacts-backup:event';

export function registerIpcTransport(options: {
  router: Router;
  app: AppCore;
  rendererIndexUrl: string;
  windows: () => readonly BrowserWindow[];
}): () => void {
  const senderOk = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    // Only the top frame of one of our windows, showing our page, may call the core.
    const ours = options.windows().some((window) => window.webContents.id === event.sender.id);
    return Boolean(ours && frame && frame.parent === null && isAppUrl(frame.url, options.rendererIndexUrl));
  };
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) =>
      options.router.call(channel, request, {
        trusted: senderOk(event),
        description: `frame ${event.senderFrame?.url ?? 'unknown'}`,
      }),
    );
  }
  const unsubscribe = options.app.subscribe((event, payload) => {
    for (const window of options.windows()) {
      if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
