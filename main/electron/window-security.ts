/**
 * The window baseline in one function (Electron Fiddle): context isolation, sandbox, no Node in the
 * renderer, a strict CSP, no navigation away from the app, no new windows, no permissions.
 * Unit-tested with `electron` mocked.
 */
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/** The CSP of the packaged app: only our own files, images as data: URLs for contact photos. */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function secureWindowOptions(
  preloadPath: string,
  extra: BrowserWindowConstructorOptions = {},
): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    ...extra,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** True when `url` is the app's own page (app://contacts-backup/index.html, any hash or query). */
export function isAppUrl(url: string, rendererIndexUrl: string): boolean {
  try {
    const candidate = new URL(url);
    const app = new URL(rendererIndexUrl);
    return (
      candidate.protocol === app.protocol &&
      candidate.host === app.host &&
      candidate.pathname === app.pathname
    );
  } catch {
    return false;
  }
}

/** Blocks navigation, new windows and webviews; external https links open in the system browser. */
export function hardenWebContents(
  contents: WebContents,
  rendererIndexUrl: string,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, rendererIndexUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, rendererIndexUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * The OpenBrowser port for sign-in (issue 14): the system browser opens https sign-in pages only,
 * never file:, javascript: or any other scheme a compromised answer might slip in.
 */
export function httpsSignInOpener(openExternal: (url: string) => Promise<void>): {
  open(url: string): Promise<void>;
} {
  return {
    async open(url) {
      if (!/^https:\/\//i.test(url)) throw new Error('Only https sign-in pages are opened.');
      await openExternal(url);
    },
  };
}

/** The one permission our own pages get: writing text to the clipboard ("Copy diagnostic report"). */
const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

function originOf(url: string | undefined): string | undefined {
  try {
    const parsed = new URL(url ?? '');
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

/**
 * CSP on every response and no permission granted (camera, notifications from pages, ...), except
 * clipboard writes from the app's own origin (app://contacts-backup).
 */
export function hardenSession(session: Session, appOrigin?: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  const allowed = (permission: string, origin: string | undefined) =>
    permission === CLIPBOARD_WRITE && appOrigin !== undefined && origin === appOrigin;
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, originOf(details?.requestingUrl))),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, originOf(requestingOrigin)),
  );
}
