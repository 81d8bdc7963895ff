/**
 * Plain-fetch Graph client (providers.md 3.4 explains why not the SDK): bearer token with one forced
 * refresh on 401, `Prefer: odata.maxpagesize` on every request (it does not ride in links),
 * Retry-After / exponential backoff with jitter on 429 and 5xx, retries of the same URL after a
 * dropped connection, and at most 4 requests in flight per mailbox (Outlook's concurrency limit).
 */
import { randomUUID } from 'node:crypto';
import { ProviderError } from '../provider';
import { abortableSleep, retryDelay as backoffDelay, type BackoffPolicy } from '../retry';
import type { TokenSource } from './auth';

/** Waits `ms`, rejecting early when `signal` aborts. Injectable so tests run storms instantly. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A Graph error status with its envelope code; internal, never shown to users as is. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly headers: Headers,
  ) {
    super(`Graph answered ${status} ${code}`);
    this.name = 'GraphError';
  }
}

export interface GraphResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly json?: unknown;
  readonly bytes?: Uint8Array;
}

export interface RequestOptions {
  readonly json?: unknown;
  readonly bytes?: Uint8Array;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface GraphClientOptions {
  readonly baseUrl: string;
  readonly tokens: TokenSource;
  readonly pageSize: number;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly maxConcurrency?: number;
  /** Attempts for throttling and 5xx answers before giving up. */
  readonly maxRetries?: number;
  /** Wall time in ms, for Retry-After given as an HTTP date. */
  readonly now?: () => number;
  /** The fetch to send with (one trusting the account's extra CA; the global fetch otherwise). */
  readonly fetch?: typeof fetch;
}

export interface GraphClient {
  readonly baseUrl: string;
  readonly pageSize: number;
  readonly sleep: Sleep;
  /** Sends one request (path relative to baseUrl, or an absolute link from Graph). */
  request(method: string, pathOrUrl: string, options?: RequestOptions): Promise<GraphResponse>;
  getJson<T>(pathOrUrl: string, signal?: AbortSignal): Promise<T>;
  /** Every page of a collection, following `@odata.nextLink`. */
  pages<T>(pathOrUrl: string, signal?: AbortSignal): AsyncGenerator<T[]>;
  /** The delay before retry number `attempt` (0-based), honouring a Retry-After value. */
  retryDelay(attempt: number, retryAfter: string | null | undefined): number;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const MAX_NETWORK_RETRIES = 6;
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** A counting semaphore: at most `limit` holders, FIFO. */
function semaphore(limit: number): { acquire(): Promise<() => void> } {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active -= 1;
    const next = waiting.shift();
    if (next) {
      active += 1;
      next();
    }
  };
  return {
    acquire() {
      if (active < limit) {
        active += 1;
        return Promise.resolve(release);
      }
      return new Promise((resolve) => waiting.push(() => resolve(release)));
    },
  };
}

async function readBody(response: Response): Promise<{ json?: unknown; bytes?: Uint8Array }> {
  const buffer = new Uint8Array(await response.arrayBuffer());
  if (buffer.length === 0) return {};
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return { json: JSON.parse(Buffer.from(buffer).toString('utf8')) };
    } catch {
      throw new ProviderError(
        'invalid-response',
        'Microsoft Graph sent an answer that could not be read.',
        true,
      );
    }
  }
  return { bytes: buffer };
}

function errorCode(json: unknown): string {
  const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : '';
}

/** One Graph client per mailbox, so the concurrency limit is per mailbox. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const sleep = options.sleep ?? abortableSleep;
  // Retry-After replaces the backoff (capped at 5 minutes); otherwise 1 s, 2 s, 4 s ... capped at
  // 60 s, each scaled by 0.5–1.0.
  const backoff: BackoffPolicy = {
    baseDelayMs: 1000,
    maxDelayMs: 60_000,
    retryAfter: { mode: 'instead', capMs: MAX_RETRY_AFTER_MS },
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
  const maxRetries = options.maxRetries ?? 8;
  const gate = semaphore(options.maxConcurrency ?? 4);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const send = options.fetch ?? fetch;

  function retryDelay(attempt: number, retryAfter: string | null | undefined): number {
    return backoffDelay(attempt, retryAfter, backoff);
  }

  async function request(
    method: string,
    pathOrUrl: string,
    req: RequestOptions = {},
  ): Promise<GraphResponse> {
    const url = /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
    let forceRefresh = false;
    let refreshed = false;
    let throttleAttempt = 0;
    let networkAttempt = 0;
    for (;;) {
      const token = await options.tokens.getToken(forceRefresh);
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        prefer: `odata.maxpagesize=${options.pageSize}`,
        'client-request-id': randomUUID(),
        accept: 'application/json',
      };
      let body: string | Uint8Array<ArrayBuffer> | undefined;
      if (req.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.json);
      } else if (req.bytes) {
        headers['content-type'] = req.contentType ?? 'application/octet-stream';
        body = new Uint8Array(req.bytes);
      }
      const release = await gate.acquire();
      let response: Response;
      let parsed: { json?: unknown; bytes?: Uint8Array };
      try {
        response = await send(url, { method, headers, body, signal: req.signal });
        parsed = await readBody(response);
      } catch (error) {
        release();
        if (req.signal?.aborted) throw req.signal.reason;
        if (error instanceof ProviderError) throw error;
        // A reset or refused connection: retry the very same URL (a page link is never skipped).
        if (networkAttempt >= MAX_NETWORK_RETRIES) {
          throw new ProviderError(
            'network',
            'Microsoft Graph could not be reached. Check the connection.',
            true,
          );
        }
        await sleep(retryDelay(networkAttempt, undefined), req.signal);
        networkAttempt += 1;
        continue;
      }
      release();
      const { status } = response;
      if (status === 401 && !refreshed) {
        refreshed = true;
        forceRefresh = true;
        continue;
      }
      forceRefresh = false;
      if (status === 401) {
        throw new ProviderError(
          'auth-required',
          'Sign in to this Microsoft account again to continue backing it up.',
        );
      }
      if (RETRYABLE.has(status)) {
        if (throttleAttempt >= maxRetries) {
          throw new ProviderError(
            'throttled',
            'Microsoft Graph is busy and asked to slow down. The backup will try again later.',
            true,
          );
        }
        await sleep(retryDelay(throttleAttempt, response.headers.get('retry-after')), req.signal);
        throttleAttempt += 1;
        continue;
      }
      if (status >= 400) throw new GraphError(status, errorCode(parsed.json), response.headers);
      return { status, headers: response.headers, ...parsed };
    }
  }

  async function getJson<T>(pathOrUrl: string, signal?: AbortSignal): Promise<T> {
    const response = await request('GET', pathOrUrl, { signal });
    if (response.json === undefined || typeof response.json !== 'object') {
      throw new ProviderError(
        'invalid-response',
        'Microsoft Graph sent an answer that could not be read.',
        true,
      );
    }
    return response.json as T;
  }

  async function* pages<T>(pathOrUrl: string, signal?: AbortSignal): AsyncGenerator<T[]> {
    let next: string | undefined = pathOrUrl;
    while (next) {
      const page: { value?: T[]; '@odata.nextLink'?: string } = await getJson(next, signal);
      yield page.value ?? [];
      next = page['@odata.nextLink'];
    }
  }

  return { baseUrl, pageSize: options.pageSize, sleep, request, getJson, pages, retryDelay };
}
