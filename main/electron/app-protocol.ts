/**
 * The renderer is served from a privileged `app://` scheme (protocol.handle) instead of file://:
 * a standard, secure origin for ES modules and fetch, so the `grantFileProtocolExtraPrivileges`
 * fuse stays off (Electron's security guide), and a page can reach only the renderer build folder.
 */
import type { Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { APP_CSP } from './window-security';

export const APP_SCHEME = 'app';
/** The one origin of the app's pages; `isAppUrl` allows navigation only to its index page. */
export const APP_ORIGIN = `${APP_SCHEME}://contacts-backup`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Registers the scheme's privileges; Electron allows this only before the app is ready. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: a real origin ('self' in the CSP, relative URLs); secure: like https.
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: false, corsEnabled: false },
    },
  ]);
}

/**
 * The file under `rendererFolder` that an app:// URL names, or undefined for another host, a path
 * outside the folder (../, encoded or not) or a malformed URL.
 */
export function resolveAppFile(url: string, rendererFolder: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const root = normalize(rendererFolder);
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  return file.startsWith(root.endsWith(sep) ? root : root + sep) ? file : undefined;
}

/** Answers one app:// request: the file with its type and the app's CSP, or 404. */
export function appRequestHandler(
  rendererFolder: string,
  read: (path: string) => Promise<Uint8Array> = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = request.method === 'GET' ? resolveAppFile(request.url, rendererFolder) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const bytes = await read(file);
      // A copy of exactly the file's bytes (a Buffer may be a view into a larger pool).
      const body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': APP_CSP,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-cache',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}

/** Serves the renderer build on app:// for the default session; call once the app is ready. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererFolder: string): void {
  protocol.handle(APP_SCHEME, appRequestHandler(rendererFolder));
}
