/**
 * The application menu: the same actions as the tray and the window, with the platform's standard
 * Edit and Window menus so copy/paste and window keys work as users expect.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  backUpNow(): void;
  openTaskManager(): void;
  lock(): void;
  quit(): void;
  /** Puts the redacted diagnostic report on the clipboard (Help menu). */
  copyDiagnosticReport(): void;
  /** Opens the folder of the log files. */
  showLogFolder(): void;
}

/** The menu template; pure so it is unit-tested with electron mocked. */
export function menuTemplate(
  actions: MenuActions,
  platform: NodeJS.Platform = process.platform,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Back Up Now', accelerator: 'CmdOrCtrl+B', click: actions.backUpNow },
        { label: 'Lock Profile', accelerator: 'CmdOrCtrl+L', click: actions.lock },
        { type: 'separator' },
        mac ? { role: 'close' } : { label: 'Quit', accelerator: 'Ctrl+Q', click: actions.quit },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Task Manager', accelerator: 'CmdOrCtrl+T', click: actions.openTaskManager },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Copy Diagnostic Report', click: actions.copyDiagnosticReport },
        { label: 'Show Log Files', click: actions.showLogFolder },
      ],
    },
  ];
}

export function installAppMenu(actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions)));
}
