/**
 * Starts the built Electron main bundle (out/main/main.cjs) in this process with `electron` faked
 * (fake-electron.ts), on a temporary data folder, and hands back what its window would have: the
 * IPC handlers as our own top frame calls them, the pushes, and the app:// handler.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fakeElectron, installFakeElectron, type FakeElectron, type FakeWindow } from './fake-electron';
import { REPO_ROOT } from './repo-paths';

export const MAIN_BUNDLE = join(REPO_ROOT, 'out', 'main', 'main.cjs');

export interface DesktopBundle {
  readonly electron: FakeElectron;
  readonly window: FakeWindow;
  /** Calls a channel as the main window's top frame (the preload's ipcRenderer.invoke). */
  invoke(channel: string, request?: unknown, sender?: { id: number; url: string }): Promise<unknown>;
  /** Resolves with the job once it has ended (from the `tasks.changed` pushes, or at once if it has). */
  jobEnded(jobId: string): Promise<{ id: string; state: string }>;
  /** Clicks a menu item by label, as the user would. */
  clickMenu(label: string): void;
  /** Removes the process handlers the bundle installed. */
  dispose(): void;
}

export async function startDesktopBundle(home: string): Promise<DesktopBundle> {
  process.env.CONTACTS_BACKUP_HOME = home;
  const electron = fakeElectron(REPO_ROOT);
  installFakeElectron(MAIN_BUNDLE, electron);
  const before = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  createRequire(MAIN_BUNDLE)(MAIN_BUNDLE);
  const windowShown = new Promise<void>((resolve) => electron.events.once('window', () => resolve()));
  electron.ready();
  await windowShown;
  const window = electron.windows[0];
  return {
    electron,
    window,
    invoke: (channel, request = {}, sender = { id: window.webContents.id, url: window.url }) =>
      electron.ipcHandlers.get(channel)!(
        { sender: { id: sender.id }, senderFrame: { url: sender.url, parent: null } },
        request,
      ),
    jobEnded: (jobId) =>
      new Promise((resolve) => {
        type Job = { id: string; state: string };
        const ended = (jobs: readonly Job[]) =>
          jobs.find((job) => job.id === jobId && !['queued', 'running'].includes(job.state));
        const listener = (name: string, payload: unknown) => {
          const job = name === 'tasks.changed' ? ended(payload as Job[]) : undefined;
          if (!job) return;
          electron.pushes.off('push', listener);
          resolve(job);
        };
        electron.pushes.on('push', listener);
        // It may have ended before this listener was added.
        for (const sent of window.webContents.sent.filter((push) => push[1] === 'tasks.changed')) {
          listener('tasks.changed', sent[2]);
        }
      }),
    clickMenu(label) {
      type Item = { label?: string; submenu?: Item[]; click?: () => void };
      const items = (electron.menus.at(-1) as Item[]).flatMap((menu) => menu.submenu ?? []);
      const item = items.find((candidate) => candidate.label === label);
      if (!item?.click) throw new Error(`No menu item "${label}".`);
      item.click();
    },
    dispose() {
      for (const listener of process.listeners('uncaughtException')) {
        if (!before.uncaughtException.includes(listener)) process.off('uncaughtException', listener);
      }
      for (const listener of process.listeners('unhandledRejection')) {
        if (!before.unhandledRejection.includes(listener)) process.off('unhandledRejection', listener);
      }
    },
  };
}
