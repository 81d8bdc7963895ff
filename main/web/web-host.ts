/**
 * The loopback web host: serves the production renderer build and the WebSocket transport on
 * 127.0.0.1 only, for headless machines and the browser tests. Every request needs the random token
 * from the URL the host prints; the first load trades it for an HttpOnly SameSite=Strict session
 * cookie and redirects to the same address without it, so the token leaves the address bar and the
 * history. The WebSocket accepts the cookie or the token and also checks its Origin, so another site
 * open in the same browser cannot drive the app (cross-site WebSocket hijacking). Host headers other
 * than 127.0.0.1:PORT and localhost:PORT are refused (DNS rebinding), paths are decoded before any
 * check (request-guard.ts), source maps are never served, and no request, upgrade or frame, however
 * malformed, can end the process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppCore } from '../core/app';
import { createRouter } from '../core/api/router';
import type { InvokeMessage, ServerMessage } from '../core/api/ws-protocol';
import {
  cookieValue,
  hostAllowed,
  isPagePath,
  parseTarget,
  sameSecret,
  type RequestTarget,
} from './request-guard';
import { handleFileTransfer } from './file-transfer';

export interface WebHostOptions {
  readonly app: AppCore;
  /** Folder of the renderer build (index.html). */
  readonly rendererFolder: string;
  readonly port?: number;
  readonly token?: string;
  readonly log?: (line: string) => void;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

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

function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Answers a refused upgrade and closes the socket; the process never ends over a bad request. */
function refuseUpgrade(socket: Duplex, status: string): void {
  closeWith(socket, `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Sends a last answer and destroys the socket once it is written (or at once if it cannot be). */
function closeWith(socket: Duplex, answer: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(answer, () => socket.destroy());
}

/** The headers every answer of the host carries (files and pages alike). */
function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  // The cookie carries a secret of its own, so the token itself never sits in the browser's cookie jar.
  const session = randomBytes(32).toString('base64url');
  const log = options.log ?? (() => undefined);
  const router = createRouter(options.app, log);
  const root = normalize(options.rendererFolder);
  let port = 0;
  // Cookies are not scoped by port: the name carries it, so two hosts on one machine do not collide.
  const cookieName = () => `contacts_backup_session_${port}`;

  const authorised = (request: IncomingMessage, target: RequestTarget): boolean =>
    sameSecret(target.query.get('token'), token) || sameSecret(cookieValue(request, cookieName()), session);

  const server = createServer((request, response) => {
    const target = parseTarget(request.url);
    let url: URL | undefined;
    try {
      url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      url = undefined;
    }
    const transfer = {
      app: options.app,
      headers: securityHeaders(port),
      // The same gate as the page: the token or the session cookie.
      authorised: () => target !== undefined && authorised(request, target),
    };
    // Files in and out only for an allowed Host; everything else is the page and its assets.
    const transferred =
      url && hostAllowed(request, port)
        ? handleFileTransfer(request, response, url, transfer)
        : Promise.resolve(false);
    void transferred
      .then((handled) => (handled ? undefined : serveStatic(request, response)))
      .catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
  });
  // A malformed request line or header: answer 400 and close; never an uncaught error.
  server.on('clientError', (_error, socket: Duplex) => {
    closeWith(socket, 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('connection', (socket) => socket.on('error', () => socket.destroy()));

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.on('error', () => undefined);
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    const text = { ...headers, 'Content-Type': 'text/plain; charset=utf-8' };
    if (!hostAllowed(request, port)) {
      response.writeHead(400, text).end(`Open this app at 127.0.0.1:${port} or localhost:${port}.`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    const target = parseTarget(request.url);
    if (!target) {
      response.writeHead(400, headers).end();
      return;
    }
    // Browsers ask for a favicon on their own; answer it without an error in the console.
    if (target.path === '/favicon.ico') {
      response.writeHead(204, headers).end();
      return;
    }
    if (!authorised(request, target)) {
      response.writeHead(403, text);
      response.end('Open the URL printed by `contacts-backup serve` (it carries the access token).');
      return;
    }
    if (target.query.has('token')) {
      // The token leaves the address bar and the history: it is exchanged for an HttpOnly cookie and
      // the browser goes to the same path without it (the #route, if any, is kept by the browser).
      response.writeHead(303, {
        ...headers,
        // Always a same-origin path: parseTarget collapses leading slashes, so never `//host`.
        Location: encodeURI(target.path),
        'Set-Cookie': `${cookieName()}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      });
      response.end();
      return;
    }
    // The web shim asks this when its socket closes, to tell "no access" from "host gone".
    if (target.path === '/session') {
      response.writeHead(204, headers).end();
      return;
    }
    // Source maps would hand out the app's source; the build's are never served.
    if (target.path.endsWith('.map')) {
      response.writeHead(404, headers).end();
      return;
    }
    const relative = isPagePath(target.path) ? 'index.html' : target.path.slice(1);
    const path = normalize(join(root, relative));
    if (!path.startsWith(root + sep)) {
      response.writeHead(404, headers).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      response.writeHead(404, headers).end();
      return;
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
  });
  wss.on('error', (error) => log(`WebSocket server error: ${error.message}`));
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Registered first: a reset or a write after close must never become an uncaught error.
    socket.on('error', () => socket.destroy());
    const target = parseTarget(request.url);
    if (!target || !hostAllowed(request, port)) {
      log('Refused a WebSocket (invalid address or Host).');
      refuseUpgrade(socket, '400 Bad Request');
      return;
    }
    const origin = request.headers.origin;
    const allowedOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    const originOk = origin === undefined || allowedOrigins.includes(origin);
    if (target.path !== '/api' || !authorised(request, target) || !originOk) {
      log(`Refused a WebSocket (${target.path}, origin ${origin ?? 'none'}).`);
      refuseUpgrade(socket, '403 Forbidden');
      return;
    }
    try {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    } catch {
      refuseUpgrade(socket, '400 Bad Request');
    }
  });

  const unsubscribe = options.app.subscribe((event, payload) => {
    const message = JSON.stringify({ type: 'event', event, payload } as ServerMessage);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(message);
  });

  wss.on('connection', (socket: WebSocket) => {
    sockets.add(socket);
    // An oversized or invalid frame makes ws emit 'error' (then it closes with 1009/1002): without a
    // listener that error would end the process.
    socket.on('error', () => socket.terminate());
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      let message: InvokeMessage;
      try {
        message = JSON.parse(data.toString()) as InvokeMessage;
      } catch {
        return;
      }
      if (typeof message !== 'object' || message === null) return;
      if (message.type !== 'invoke' || typeof message.id !== 'number') return;
      void router
        .call(String(message.channel), message.request, { trusted: true, description: 'web socket' })
        .then((result) => {
          if (socket.readyState === socket.OPEN) {
            socket.send(JSON.stringify({ type: 'result', id: message.id, result } satisfies ServerMessage));
          }
        })
        .catch((error: unknown) => log(`A WebSocket call failed: ${String(error)}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => log(`Web host error: ${error.message}`));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const socket of sockets) socket.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A request still open (a browser's keep-alive socket mid-request) would hold close() for as
      // long as the browser keeps it: a host that stops ends every connection.
      server.closeAllConnections();
      await closed;
    },
  };
}
