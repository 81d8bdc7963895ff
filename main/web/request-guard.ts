/**
 * The checks every request to the loopback web host passes before anything else, kept apart from
 * the server so each can be tested with hostile input:
 * - the Host header must name this host exactly (`127.0.0.1:PORT` or `localhost:PORT`), so a page
 *   on another site whose DNS name is rebound to 127.0.0.1 cannot talk to us;
 * - the path is decoded and normalised before anything looks at it, so `/%69ndex.html`,
 *   `/index%2ehtml` or `/assets/../index.html` are the page and need the same access;
 * - access is the token from the printed URL (first load only) or the session cookie the host sets
 *   in exchange for it, compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import { posix } from 'node:path';
import type { IncomingMessage } from 'node:http';

/** Whether the Host header is this host on its port (DNS rebinding defence). */
export function hostAllowed(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A request target split into its decoded, normalised path and its query; undefined when invalid. */
export interface RequestTarget {
  /** Decoded and normalised, always starting with `/`, never containing `..` segments. */
  readonly path: string;
  readonly query: URLSearchParams;
}

/**
 * Parses the request target (`request.url`). Only origin-form targets (`/path?query`) are valid;
 * absolute URLs, malformed percent escapes, NUL bytes and backslashes are refused.
 */
export function parseTarget(raw: string | undefined): RequestTarget | undefined {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return undefined;
  const queryAt = raw.indexOf('?');
  const rawPath = queryAt === -1 ? raw : raw.slice(0, queryAt);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  // posix.normalize resolves `.` and `..`; a leading `/` keeps `..` from climbing above the root.
  const path = posix.normalize(decoded);
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  } catch {
    return undefined;
  }
  return { path, query };
}

/** Constant-time string comparison that is false for a missing value. */
export function sameSecret(given: string | null | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of one cookie in the request's Cookie header. */
export function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The page is `/` and `/index.html`, however they were spelled. */
export function isPagePath(path: string): boolean {
  return path === '/' || path === '/index.html';
}
