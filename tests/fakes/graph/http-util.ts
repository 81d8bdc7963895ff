/** Small request/response shapes shared by the fake's HTTP front and its $batch executor. */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface FakeRequest {
  readonly method: string;
  /** Path after the version prefix, raw (still percent-encoded), e.g. `/me/contacts/AAMk..%3D`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The fake's own origin plus version prefix, for absolute links. */
  readonly base: string;
  readonly inBatch: boolean;
}

export interface FakeResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** JSON value, raw bytes, or nothing. */
  readonly json?: unknown;
  readonly bytes?: Uint8Array;
}

/** Graph's error envelope (providers.md 2.4). */
export function graphError(
  status: number,
  code: string,
  message: string,
  request?: FakeRequest,
  headers?: Record<string, string>,
): FakeResponse {
  return {
    status,
    headers,
    json: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': randomUUID(),
          'client-request-id': request?.headers['client-request-id'] ?? randomUUID(),
        },
      },
    },
  };
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') out[key.toLowerCase()] = value;
    else if (Array.isArray(value)) out[key.toLowerCase()] = value.join(', ');
  }
  return out;
}

export function parseJsonBody(
  req: FakeRequest,
): { ok: true; value: Record<string, unknown> } | { ok: false } {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8') || 'null');
    if (value && typeof value === 'object' && !Array.isArray(value))
      return { ok: true, value: value as Record<string, unknown> };
    return { ok: false };
  } catch {
    return { ok: false };
  }
}

/** `Prefer: odata.maxpagesize=N`, clamped like the service; undefined when absent. */
export function preferredPageSize(req: FakeRequest): number | undefined {
  const match = /odata\.maxpagesize=(\d+)/i.exec(req.headers.prefer ?? '');
  if (!match) return undefined;
  return Math.max(1, Math.min(1000, Number(match[1])));
}
