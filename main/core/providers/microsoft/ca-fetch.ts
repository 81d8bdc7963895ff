/**
 * A `fetch` for Graph that also trusts the account's extra CA certificate.
 *
 * Why: Node's global fetch only trusts NODE_EXTRA_CA_CERTS, read once at process start, so an
 * account's `--ca-file` (a corporate TLS-inspecting proxy) reached sign-in (MSAL's network client)
 * but not Graph, and every backup failed after its retries with "could not be reached" (issue 14,
 * item 6). This sends the same requests over node:https with the system roots plus that certificate.
 * Only what graph-client.ts uses is implemented: method, headers, a string or byte body, a signal.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** Statuses whose Response may not carry a body (the Fetch standard's null-body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function headersOf(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(key, one);
  }
  return headers;
}

function bodyBytes(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('Only string and byte bodies are supported.');
}

/** A fetch whose https requests trust the system roots plus `extraCaPem`. */
export function fetchTrusting(extraCaPem: string): typeof fetch {
  const ca = [...rootCertificates, extraCaPem];
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const body = bodyBytes(init.body);
      const headers = new Headers(init.headers);
      if (body) headers.set('content-length', String(body.length));
      const options = { method: init.method ?? 'GET', headers: Object.fromEntries(headers), ca };
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const bytes = Buffer.concat(chunks);
          resolve(
            new Response(NULL_BODY.has(status) ? null : bytes, {
              status,
              statusText: res.statusMessage,
              headers: headersOf(res),
            }),
          );
        });
      });
      const onAbort = () =>
        req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => signal?.removeEventListener('abort', onAbort));
      req.on('error', (error) =>
        reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error })),
      );
      req.end(body);
    });
}
