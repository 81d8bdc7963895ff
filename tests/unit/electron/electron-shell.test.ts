import { describe, expect, it, vi } from 'vitest';

// Electron cannot run here; the shell's security decisions are checked with `electron` mocked.
const handled = new Map<string, (event: unknown, request: unknown) => unknown>();
const exposed: Record<string, unknown> = {};
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, request: unknown) => unknown) =>
      handled.set(channel, handler),
    removeHandler: (channel: string) => handled.delete(channel),
  },
  ipcRenderer: {
    invoke: vi.fn(async () => ({ ok: true, value: 'from-main' })),
    on: vi.fn(),
    removeListener: vi.fn(),
  },
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
  Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((template: unknown) => template) },
}));

const { secureWindowOptions, hardenWebContents, hardenSession, isAppUrl, APP_CSP, httpsSignInOpener } =
  await import('../../../main/electron/window-security');
const { registerIpcTransport } = await import('../../../main/electron/ipc-transport');
const { buildPreloadApi } = await import('../../../preload/preload');
const { CHANNELS } = await import('../../../main/core/contract/contract-types');
const { nextBackupLabel, trayState } = await import('../../../main/electron/tray');
const { menuTemplate } = await import('../../../main/electron/app-menu');

const APP_URL = 'app://contacts-backup/index.html';

describe('window baseline', () => {
  it('isolates the renderer: context isolation, sandbox, no Node', () => {
    const options = secureWindowOptions('/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(APP_CSP).toMatch(/^default-src 'none'/);
    expect(APP_CSP).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('blocks navigation away from the app and every new window, opening https links outside', () => {
    const listeners = new Map<string, (event: { preventDefault: () => void }, url?: string) => void>();
    let openHandler: ((details: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (name: string, listener: (event: { preventDefault: () => void }, url?: string) => void) =>
        listeners.set(name, listener),
      setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    };
    const opened: string[] = [];
    hardenWebContents(contents as never, APP_URL, (url) => opened.push(url));
    const navigate = (url: string) => {
      const event = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      listeners.get('will-navigate')!(event, url);
      return event.prevented;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(`${APP_URL}#/tasks`)).toBe(false);
    expect(openHandler!({ url: 'https://support.example/help' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://support.example/help']);
    expect(isAppUrl('app://contacts-backup/other.html', APP_URL)).toBe(false);
    expect(isAppUrl('app://evil/index.html', APP_URL)).toBe(false);
    expect(isAppUrl('file:///opt/contacts-backup/out/renderer/index.html', APP_URL)).toBe(false);
  });

  it('opens https sign-in pages in the system browser and refuses every other scheme', async () => {
    const opened: string[] = [];
    const opener = httpsSignInOpener(async (url) => void opened.push(url));
    await opener.open('https://accounts.google.com/o/oauth2/v2/auth?x=1');
    await expect(opener.open('file:///etc/passwd')).rejects.toThrow('Only https');
    await expect(opener.open('http://127.0.0.1:8080/')).rejects.toThrow('Only https');
    expect(opened).toEqual(['https://accounts.google.com/o/oauth2/v2/auth?x=1']);
  });

  it('denies every permission request and sets the CSP header on responses', () => {
    let permission:
      ((contents: unknown, name: string, callback: (granted: boolean) => void) => void) | undefined;
    let headers:
      | ((details: { responseHeaders: Record<string, string[]> }, callback: (value: unknown) => void) => void)
      | undefined;
    const session = {
      webRequest: { onHeadersReceived: (listener: typeof headers) => (headers = listener) },
      setPermissionRequestHandler: (handler: typeof permission) => (permission = handler),
      setPermissionCheckHandler: vi.fn(),
    };
    hardenSession(session as never);
    const answers: boolean[] = [];
    permission!(undefined, 'media', (granted) => answers.push(granted));
    permission!(undefined, 'notifications', (granted) => answers.push(granted));
    expect(answers).toEqual([false, false]);
    let result: { responseHeaders: Record<string, string[]> } | undefined;
    headers!({ responseHeaders: {} }, (value) => (result = value as typeof result));
    expect(result!.responseHeaders['Content-Security-Policy']).toEqual([APP_CSP]);
  });
});

describe('IPC transport', () => {
  it('handles every contract channel and marks only our own top frame as trusted', async () => {
    const calls: { channel: string; trusted: boolean }[] = [];
    const router = {
      call: async (channel: string, _request: unknown, sender: { trusted: boolean }) => (
        calls.push({ channel, trusted: sender.trusted }),
        { ok: true, value: null }
      ),
    };
    const app = { subscribe: () => () => undefined };
    const window = { webContents: { id: 1 }, isDestroyed: () => false };
    registerIpcTransport({
      router: router as never,
      app: app as never,
      rendererIndexUrl: APP_URL,
      windows: () => [window as never],
    });
    expect([...handled.keys()].sort()).toEqual([...CHANNELS].sort());
    const call = (senderId: number, url: string, parent: unknown = null) =>
      handled.get('app.status')!({ sender: { id: senderId }, senderFrame: { url, parent } }, {});
    await call(1, APP_URL);
    await call(2, APP_URL);
    await call(1, 'https://evil.example/');
    await call(1, APP_URL, { url: APP_URL });
    expect(calls.map((entry) => entry.trusted)).toEqual([true, false, false, false]);
  });
});

describe('preload', () => {
  it('exposes exactly the contract channels, refusing others without calling ipcRenderer', async () => {
    const api = buildPreloadApi();
    expect(api.channels).toEqual([...CHANNELS]);
    expect(Object.keys(exposed)).toEqual(['contactsBackup']);
    const refused = await api.invoke('fs.read' as never, {} as never);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await api.invoke('app.status', {})).toEqual({ ok: true, value: 'from-main' });
    const unsubscribe = api.on('tasks.changed', () => undefined);
    expect(typeof unsubscribe).toBe('function');
  });
});

describe('tray', () => {
  it('shows running jobs and the last backup, and turns red after a failure', () => {
    const job = (state: string, finishedAt?: string) => ({ kind: 'backup', state, finishedAt }) as never;
    expect(trayState([]).tooltip).toMatch(/No backup yet/);
    expect(trayState([job('running')]).icon).toBe('busy');
    expect(trayState([job('failed', '2026-11-25T10:00:00Z')]).icon).toBe('failed');
    expect(trayState([job('succeeded', '2026-11-25T10:00:00Z')])).toMatchObject({
      icon: 'idle',
      tooltip: expect.stringMatching(/Last backup: .*succeeded/),
    });
  });

  it('says when the next backup runs, or why none is scheduled', () => {
    const at = '2026-11-25T14:07:00.000Z';
    expect(nextBackupLabel({ at, userKey: 'a/u', userLabel: 'ada@example.org' })).toBe(
      `Next backup at ${new Date(at).toLocaleString()}`,
    );
    expect(nextBackupLabel({})).toBe('No backup scheduled');
    expect(nextBackupLabel(undefined)).toMatch(/^Locked/);
  });
});

describe('application menu', () => {
  it('offers Back Up Now, Lock and the Task Manager, wired to the actions, with platform menus', () => {
    const calls: string[] = [];
    const actions = {
      backUpNow: () => calls.push('backup'),
      openTaskManager: () => calls.push('tasks'),
      lock: () => calls.push('lock'),
      quit: () => calls.push('quit'),
      copyDiagnosticReport: () => calls.push('report'),
      showLogFolder: () => calls.push('logs'),
    };
    const template = menuTemplate(actions, 'linux');
    const items = template.flatMap((menu) => (Array.isArray(menu.submenu) ? menu.submenu : []));
    const byLabel = (label: string) => items.find((item) => item.label === label)!;
    for (const label of [
      'Back Up Now',
      'Lock Profile',
      'Task Manager',
      'Quit',
      'Copy Diagnostic Report',
      'Show Log Files',
    ]) {
      (byLabel(label).click as () => void)();
    }
    expect(calls).toEqual(['backup', 'lock', 'tasks', 'quit', 'report', 'logs']);
    expect(template.at(-1)?.role).toBe('help');
    expect(template.some((menu) => menu.role === 'editMenu')).toBe(true);
    expect(menuTemplate(actions, 'darwin')[0]).toEqual({ role: 'appMenu' });
  });
});
