/**
 * The Electron entry: single instance, the main window and the Task Manager window, the tray, the
 * IPC transport and the host ports (paths, log, keychain, notifications, system browser). Everything
 * else is the core, shared with the CLI and the web host.
 */
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  Notification,
  protocol,
  shell,
  session as electronSession,
} from 'electron';
import { join } from 'node:path';
import { createApp } from '../core/app';
import { layoutPaths } from '../core/app-paths';
import { createRouter } from '../core/api/router';
import { defaultHome } from '../core/default-home';
import { createAppLog } from '../core/diagnostics/app-log';
import { userKeyOf } from '../core/history/types';
import { enqueueBackup } from '../core/session/backup-service';
import { nextBackup } from '../core/session/schedule-service';
import { registerIpcTransport } from './ipc-transport';
import { hardenSession, hardenWebContents, secureWindowOptions, httpsSignInOpener } from './window-security';
import { safeStorageSecrets } from './safe-storage-secrets';
import { createTray } from './tray';
import { installAppMenu } from './app-menu';
import { APP_INDEX_URL, APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol';

// The app's files sit under app.getAppPath() (app.asar when packaged, the project folder in
// development): out/ and assets/ in the same layout as the repository (see core/app-paths.ts).
const paths = layoutPaths(app.getAppPath(), defaultHome());
const preloadPath = join(app.getAppPath(), 'out', 'preload', 'preload.cjs');
const log = createAppLog(paths.logs);

// Crashes are bugs: logged redacted (the user can copy the report from Help or Settings).
process.on('uncaughtException', (error) => log.log('fatal', 'Uncaught exception', { error }));
process.on('unhandledRejection', (reason) => log.log('fatal', 'Unhandled rejection', { error: reason }));

// Before ready: app:// must be privileged (standard, secure) to serve ES modules.
registerAppScheme(protocol);

// A packaged build verifies licences with the product key only (no test-key override).
if (app.isPackaged) process.env.CONTACTS_BACKUP_PACKAGED = '1';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const home = paths.data;
  const core = createApp({
    home,
    paths,
    log,
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
    openBrowser: httpsSignInOpener((url) => shell.openExternal(url)),
  });
  const router = createRouter(core, (line) => log.log('error', line));
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
    hardenWebContents(window.webContents, APP_INDEX_URL, (url) => void shell.openExternal(url));
    window.webContents.on('render-process-gone', (_event, details) =>
      log.log('error', 'Renderer gone', { reason: details.reason, exitCode: details.exitCode }),
    );
    windows.push(window);
    window.on('closed', () => windows.splice(windows.indexOf(window), 1));
    void window.loadURL(`${APP_INDEX_URL}#${hash}`);
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
    for (const account of session.accounts.all()) {
      for (const user of account.users.filter((candidate) => candidate.enabled)) {
        try {
          enqueueBackup(session, { userKey: userKeyOf(account.id, user.id) }, 'tray', true);
        } catch (error) {
          log.log('warn', 'Back up now refused', { error });
        }
      }
    }
  };
  const quit = () => {
    quitting = true;
    void core.lock().finally(() => app.quit());
  };

  const copyDiagnosticReport = async () => {
    clipboard.writeText(await core.diagnosticReport());
    new Notification({
      title: 'Diagnostic report copied',
      body: 'Paste it into your message to support. It holds no passwords and no contacts.',
    }).show();
  };

  void app.whenReady().then(() => {
    hardenSession(electronSession.defaultSession, APP_ORIGIN);
    serveAppProtocol(protocol, paths.renderer);
    installAppMenu({
      backUpNow,
      openTaskManager: () => showTasks(),
      lock: () => void core.lock(),
      quit,
      copyDiagnosticReport: () => void copyDiagnosticReport(),
      showLogFolder: () => void shell.openPath(paths.logs),
    });
    registerIpcTransport({ router, app: core, rendererIndexUrl: APP_INDEX_URL, windows: () => windows });
    const tray = createTray(
      {
        idle: join(paths.assets, 'tray-idle.png'),
        busy: join(paths.assets, 'tray-busy.png'),
        failed: join(paths.assets, 'tray-failed.png'),
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
      nextBackup(session).then(tray.setNextBackup, (error: unknown) =>
        log.log('error', 'The next backup time could not be computed', { error: String(error) }),
      );
    };
    core.subscribe((event, payload) => {
      if (event === 'tasks.changed') tray.update(payload as Parameters<typeof tray.update>[0]);
      if (event === 'session.changed' || event === 'backup.finished') refreshNextBackup();
    });
    log.log('info', `Started ${core.version}`, { packaged: app.isPackaged });
    // A schedule saved in Settings changes it too; once a minute is soon enough for a menu line.
    setInterval(refreshNextBackup, 60_000).unref();
    // Started at login: stay in the tray so scheduled backups run without a window.
    if (!process.argv.includes('--hidden')) showMain();
  });
}
