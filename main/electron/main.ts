/**
 * The Electron entry: single instance, the main window and the Task Manager window, the tray, the
 * IPC transport and the host ports (keychain, notifications, system browser). Everything else is
 * the core, shared with the CLI and the web host.
 */
import { app, BrowserWindow, dialog, Notification, shell, session as electronSession } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../core/app';
import { createRouter } from '../core/api/router';
import { defaultHome } from '../core/default-home';
import { userKeyOf } from '../core/history/types';
import { enqueueBackup } from '../core/session/backup-service';
import { nextBackup } from '../core/session/schedule-service';
import { registerIpcTransport } from './ipc-transport';
import { hardenSession, hardenWebContents, secureWindowOptions } from './window-security';
import { safeStorageSecrets } from './safe-storage-secrets';
import { createTray } from './tray';
import { installAppMenu } from './app-menu';

const rendererIndex = join(__dirname, '..', 'renderer', 'index.html');
const rendererIndexUrl = pathToFileURL(rendererIndex).toString();
const preloadPath = join(__dirname, '..', 'preload', 'preload.cjs');
const assets = join(__dirname, '..', '..', 'assets');

function redact(text: string): string {
  return text
    .replace(/(token|password|secret|code)=([^&\s]+)/gi, '$1=[redacted]')
    .replace(/Bearer\s+\S+/g, 'Bearer [redacted]');
}

process.on('uncaughtException', (error) =>
  console.error('Uncaught exception:', redact(String(error?.stack ?? error))),
);
process.on('unhandledRejection', (reason) => console.error('Unhandled rejection:', redact(String(reason))));

// A packaged build verifies licences with the product key only (no test-key override).
if (app.isPackaged) process.env.CONTACTS_BACKUP_PACKAGED = '1';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const home = defaultHome();
  const core = createApp({
    home,
    host: 'electron',
    scheduler: true,
    chooseSavePath: async ({ defaultName, extension }) => {
      const result = await dialog.showSaveDialog({
        defaultPath: defaultName,
        filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
      });
      return result.canceled ? undefined : result.filePath;
    },
    chooseOpenPath: async ({ title, filterName, extensions }) => {
      const result = await dialog.showOpenDialog({
        title,
        properties: ['openFile'],
        filters: [{ name: filterName, extensions }],
      });
      return result.canceled ? undefined : result.filePaths[0];
    },
    setStartAtLogin: (on) => app.setLoginItemSettings({ openAtLogin: on, args: ['--hidden'] }),
    secretStore: safeStorageSecrets(home),
    notifier: { notify: (value) => new Notification({ title: value.title, body: value.body }).show() },
    openBrowser: { open: (url) => shell.openExternal(url) },
  });
  const router = createRouter(core, (line) => console.error(redact(line)));
  const windows: BrowserWindow[] = [];
  let mainWindow: BrowserWindow | undefined;
  let taskWindow: BrowserWindow | undefined;
  let quitting = false;

  const openWindow = (hash: string, title: string): BrowserWindow => {
    const options = secureWindowOptions(preloadPath, { title });
    // The security switches are restated in the literal so that a reviewer (and Electronegativity)
    // sees them where the window is made; secureWindowOptions is the unit-tested source of truth.
    const window = new BrowserWindow({
      ...options,
      webPreferences: {
        ...options.webPreferences,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
      },
    });
    hardenWebContents(window.webContents, rendererIndexUrl, (url) => void shell.openExternal(url));
    window.webContents.on('render-process-gone', (_event, details) =>
      console.error(`Renderer gone: ${details.reason}`),
    );
    windows.push(window);
    window.on('closed', () => windows.splice(windows.indexOf(window), 1));
    void window.loadFile(rendererIndex, { hash });
    window.once('ready-to-show', () => window.show());
    return window;
  };

  const showMain = () => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = openWindow('/', 'Contacts Backup');
      // Closing the window keeps the app in the tray so scheduled backups run.
      mainWindow.on('close', (event) => {
        if (!quitting) {
          event.preventDefault();
          mainWindow?.hide();
        }
      });
    }
    mainWindow.show();
    mainWindow.focus();
  };
  const showTasks = () => {
    if (!taskWindow || taskWindow.isDestroyed())
      taskWindow = openWindow('/tasks', 'Task Manager – Contacts Backup');
    taskWindow.show();
    taskWindow.focus();
  };

  app.on('second-instance', showMain);
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => undefined);

  const backUpNow = () => {
    const session = core.session;
    if (!session) return showMain();
    for (const account of session.accounts.data.accounts) {
      for (const user of account.users.filter((candidate) => candidate.enabled)) {
        try {
          enqueueBackup(session, { userKey: userKeyOf(account.id, user.id) }, 'tray', true);
        } catch (error) {
          console.error(redact(String(error)));
        }
      }
    }
  };
  const quit = () => {
    quitting = true;
    void core.lock().finally(() => app.quit());
  };

  void app.whenReady().then(() => {
    hardenSession(electronSession.defaultSession);
    installAppMenu({ backUpNow, openTaskManager: () => showTasks(), lock: () => void core.lock(), quit });
    registerIpcTransport({ router, app: core, rendererIndexUrl, windows: () => windows });
    const tray = createTray(
      {
        idle: join(assets, 'tray-idle.png'),
        busy: join(assets, 'tray-busy.png'),
        failed: join(assets, 'tray-failed.png'),
      },
      {
        backUpNow,
        openMain: showMain,
        openTaskManager: showTasks,
        quit,
      },
    );
    // "Next backup at ..." follows unlocking, locking, finished backups and saved schedules.
    const refreshNextBackup = () => {
      const session = core.session;
      if (!session) return tray.setNextBackup(undefined);
      nextBackup(session).then(tray.setNextBackup, (error: unknown) => console.error(redact(String(error))));
    };
    core.subscribe((event, payload) => {
      if (event === 'tasks.changed') tray.update(payload as Parameters<typeof tray.update>[0]);
      if (event === 'session.changed' || event === 'backup.finished') refreshNextBackup();
    });
    // A schedule saved in Settings changes it too; once a minute is soon enough for a menu line.
    setInterval(refreshNextBackup, 60_000).unref();
    // Started at login: stay in the tray so scheduled backups run without a window.
    if (!process.argv.includes('--hidden')) showMain();
  });
}
