/**
 * The preload: exposes window.contactsBackup, built from the contract's channel list, and nothing
 * else. The only file that touches ipcRenderer (lint enforces it). `on` returns its unsubscribe
 * function so listeners can always be removed (Bitwarden's lesson).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, EVENTS, type ContactsBackupApi } from '../main/core/contract/contract-types';

const EVENT_CHANNEL = 'contacts-backup:event';
const channels: ReadonlySet<string> = new Set(CHANNELS);
const events: ReadonlySet<string> = new Set(EVENTS);

/** Built as a plain object so tests can check it exposes exactly the contract's channels. */
export function buildPreloadApi(): ContactsBackupApi & { readonly channels: readonly string[] } {
  return {
    channels: [...CHANNELS],
    invoke: (channel, request) => {
      if (!channels.has(channel)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'invalid-request', message: 'Unknown request.', retryable: false },
        });
      }
      return ipcRenderer.invoke(channel, request);
    },
    on: (event, listener) => {
      if (!events.has(event)) return () => undefined;
      const wrapped = (_event: IpcRendererEvent, name: string, payload: unknown) => {
        if (name === event) (listener as (value: unknown) => void)(payload);
      };
      ipcRenderer.on(EVENT_CHANNEL, wrapped);
      return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    },
  };
}

contextBridge.exposeInMainWorld('contactsBackup', buildPreloadApi());
