/**
 * An MSAL network client over node:https that also trusts one extra CA certificate.
 *
 * Why: MSAL only accepts https authorities (providers.md 3.3), and NODE_EXTRA_CA_CERTS is read once
 * at process start, so it cannot be set by a test or per account. We chose setup A (a real TLS
 * authority) over setup B (rewriting login.microsoftonline.com to another origin): production code
 * then never rewrites URLs, MSAL runs its normal authority and metadata logic, and without
 * `extraCaPem` this client is not installed at all, so production uses MSAL's own HTTP client.
 */
import { request } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

function send<T>(
  url: string,
  method: 'GET' | 'POST',
  ca: readonly string[],
  options: NetworkRequestOptions | undefined,
  timeoutMs: number | undefined,
): Promise<NetworkResponse<T>> {
  return new Promise((resolve, reject) => {
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    const headers: Record<string, string> = { ...(options?.headers ?? {}) };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const req = request(url, { method, headers, ca: [...ca], timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers)) {
          if (value !== undefined)
            responseHeaders[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        let parsed: unknown = {};
        try {
          parsed = text ? JSON.parse(text) : {};
        } catch {
          // MSAL inspects status and headers; a non-JSON error page becomes an empty body.
          parsed = {};
        }
        resolve({ headers: responseHeaders, body: parsed as T, status: res.statusCode ?? 0 });
      });
    });
    req.on('timeout', () => req.destroy(new Error('Request timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** The network module for MSAL's `system.networkClient`, trusting the system roots plus `extraCaPem`. */
export function httpsNetworkClient(extraCaPem: string): INetworkModule {
  const ca = [...rootCertificates, extraCaPem];
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>(url, 'GET', ca, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      send<T>(url, 'POST', ca, options, undefined),
  };
}
