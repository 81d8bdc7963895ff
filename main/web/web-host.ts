/**
 * The loopback web host: serves the production renderer build and the WebSocket transport on
 * 127.0.0.1 only, for headless machines and the browser tests. Every request needs the random token
 * from the URL the host prints; the WebSocket also checks its Origin, so another site open in the
 * same browser cannot drive the app (cross-site WebSocket hijacking).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppCore } from '../core/app';
import { createRouter } from '../core/api/router';
import type { InvokeMessage, ServerMessage } from '../core/api/ws-protocol';
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

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => undefined);
  const router = createRouter(options.app, log);
  const root = normalize(options.rendererFolder);
  let port = 0;

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const transfer = {
      app: options.app,
      headers: securityHeaders(port),
      authorised: (u: URL) => sameToken(u.searchParams.get('token'), token),
    };
    void handleFileTransfer(request, response, url, transfer)
      .then((handled) => (handled ? undefined : serveStatic(request, response)))
      .catch(() => {
        response.writeHead(500).end();
      });
  });

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    const isPage = url.pathname === '/' || url.pathname === '/index.html';
    // The page needs the token; its assets are public build files with no data in them.
    if (isPage && !sameToken(url.searchParams.get('token'), token)) {
      response.writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Open the URL printed by `contacts-backup serve` (it carries the access token).');
      return;
    }
    const relative = isPage ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const path = normalize(join(root, relative));
    if (!path.startsWith(root + sep) && path !== join(root, 'index.html')) {
      response.writeHead(404, headers).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      // Browsers ask for a favicon on their own; answer it without an error in the console.
      response.writeHead(url.pathname === '/favicon.ico' ? 204 : 404, headers).end();
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
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    const origin = request.headers.origin;
    const allowedOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    const originOk = origin === undefined || allowedOrigins.includes(origin);
    if (url.pathname !== '/api' || !sameToken(url.searchParams.get('token'), token) || !originOk) {
      log(`Refused a WebSocket (${url.pathname}, origin ${origin ?? 'none'}).`);
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  const unsubscribe = options.app.subscribe((event, payload) => {
    const message = JSON.stringify({ type: 'event', event, payload } as ServerMessage);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(message);
  });

  wss.on('connection', (socket: WebSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      let message: InvokeMessage;
      try {
        message = JSON.parse(data.toString()) as InvokeMessage;
      } catch {
        return;
      }
      if (message?.type !== 'invoke' || typeof message.id !== 'number') return;
      void router
        .call(String(message.channel), message.request, { trusted: true, description: 'web socket' })
        .then((result) => {
          if (socket.readyState === socket.OPEN) {
            socket.send(JSON.stringify({ type: 'result', id: message.id, result } satisfies ServerMessage));
          }
        });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
