/**
 * A stand-in for the `electron` module, enough for the built main bundle (out/main/main.cjs) to
 * start: it records windows, IPC handlers, the app:// handler and the menus, so a test can drive the
 * real bundle as the preload and the window would. Electron itself cannot run on this machine.
 */
import { EventEmitter } from 'node:events';
import Module, { createRequire } from 'node:module';

export interface FakeWindow {
  readonly url: string;
  readonly webContents: { readonly id: number; readonly sent: unknown[][] } & EventEmitter;
}

export interface FakeElectron {
  readonly module: Record<string, unknown>;
  readonly ipcHandlers: Map<string, (event: unknown, request: unknown) => Promise<unknown>>;
  readonly protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  readonly privilegedSchemes: unknown[];
  readonly windows: FakeWindow[];
  readonly menus: unknown[];
  readonly clipboardText: string[];
  /** Every push (event name, payload) sent to a window. */
  readonly pushes: EventEmitter;
  /** 'window' when a window is made, 'clipboard' when text is copied. */
  readonly events: EventEmitter;
  ready(): void;
}

export function fakeElectron(appPath: string): FakeElectron {
  const ipcHandlers = new Map<string, (event: unknown, request: unknown) => Promise<unknown>>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const privilegedSchemes: unknown[] = [];
  const windows: FakeWindow[] = [];
  const menus: unknown[] = [];
  const clipboardText: string[] = [];
  const pushes = new EventEmitter();
  const events = new EventEmitter();
  const appEvents = new EventEmitter();
  let markReady: () => void = () => undefined;
  const whenReady = new Promise<void>((resolve) => (markReady = resolve));
  let nextId = 1;

  class BrowserWindow extends EventEmitter {
    url = '';
    readonly webContents: FakeWindow['webContents'];
    constructor(readonly options: unknown) {
      super();
      const contents = Object.assign(new EventEmitter(), {
        id: nextId++,
        sent: [] as unknown[][],
        setWindowOpenHandler: () => undefined,
        send: (channel: string, ...args: unknown[]) => {
          contents.sent.push([channel, ...args]);
          pushes.emit('push', args[0], args[1]);
        },
      });
      this.webContents = contents;
      windows.push(this);
      events.emit('window', this);
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    isDestroyed = () => false;
    show = () => undefined;
    hide = () => undefined;
    focus = () => undefined;
  }

  const module = {
    app: Object.assign(appEvents, {
      getAppPath: () => appPath,
      isPackaged: false,
      requestSingleInstanceLock: () => true,
      whenReady: () => whenReady,
      quit: () => appEvents.emit('quit'),
      setLoginItemSettings: () => undefined,
      getPath: () => appPath,
    }),
    BrowserWindow,
    clipboard: {
      writeText: (text: string) => {
        clipboardText.push(text);
        events.emit('clipboard', text);
      },
    },
    dialog: { showSaveDialog: async () => ({ canceled: true }) },
    Notification: class {
      show() {}
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) =>
        protocolHandlers.set(scheme, handler),
    },
    shell: { openExternal: async () => undefined, openPath: async () => '' },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => undefined },
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, request: unknown) => Promise<unknown>) =>
        ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    Menu: {
      setApplicationMenu: (menu: unknown) => menus.push(menu),
      buildFromTemplate: (template: unknown) => template,
    },
    Tray: class {
      setContextMenu() {}
      on() {}
      setToolTip() {}
      setImage() {}
      destroy() {}
    },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '{}',
    },
  };
  return {
    module,
    ipcHandlers,
    protocolHandlers,
    privilegedSchemes,
    windows,
    menus,
    clipboardText,
    pushes,
    events,
    ready: markReady,
  };
}

/** Makes `require('electron')` from `bundle` return `fake` (Node's module cache, no loader hooks). */
export function installFakeElectron(bundle: string, fake: FakeElectron): void {
  const resolved = createRequire(bundle).resolve('electron');
  const entry = new Module(resolved);
  entry.filename = resolved;
  entry.loaded = true;
  entry.exports = fake.module;
  createRequire(bundle).cache[resolved] = entry;
}
