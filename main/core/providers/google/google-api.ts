/**
 * One user's API handles: the People client on the account's root URL with gaxios' own retry off,
 * and `call`, which runs every request through our retry (retry.ts) with the job's abort signal.
 */
import { people, type people_v1 } from '@googleapis/people';
import type { WorkContext } from '../provider';
import type { FetchImplementation, GoogleAuth } from './auth-clients';
import { withRetry, type RetryPolicy } from './retry';

/** Per-request options every call gets: our retry instead of gaxios', a timeout, the job's signal. */
export interface CallOptions {
  retry: false;
  timeout: number;
  signal: AbortSignal;
}

/** The People API of one user plus the shared retry policy. */
export interface UserApi {
  readonly userId: string;
  readonly email: string;
  readonly people: people_v1.People;
  readonly auth: GoogleAuth;
  /** Runs one request with our retry; errors come back raw for the caller to classify. */
  call<T>(
    label: string,
    request: (options: CallOptions) => Promise<{ data: T }>,
    context: WorkContext,
  ): Promise<T>;
  /** Downloads a photo URL (with retry). */
  download(url: string, context: WorkContext): Promise<{ mediaType: string; bytes: Uint8Array }>;
}

/** Settings the API handles need. */
export interface ApiOptions {
  readonly rootUrl?: string;
  readonly requestTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly fetchImplementation?: FetchImplementation;
}

/** Builds the handles for one user. */
export function userApi(userId: string, email: string, auth: GoogleAuth, options: ApiOptions): UserApi {
  const client = people({
    version: 'v1',
    auth: asApiAuth(auth),
    rootUrl: options.rootUrl,
    retry: false,
    fetchImplementation: options.fetchImplementation,
  });
  const call = async <T>(
    label: string,
    request: (callOptions: CallOptions) => Promise<{ data: T }>,
    context: WorkContext,
  ): Promise<T> => {
    const response = await withRetry(
      label,
      () => request({ retry: false, timeout: options.requestTimeoutMs, signal: context.signal }),
      options.retry,
      context.signal,
      (line) => context.log(line),
    );
    return response.data;
  };
  const fetchImpl = options.fetchImplementation ?? fetch;
  const download = (url: string, context: WorkContext) =>
    withRetry(
      'photo download',
      async () => {
        const signal = AbortSignal.any([context.signal, AbortSignal.timeout(options.requestTimeoutMs)]);
        const response = await fetchImpl(url, { signal });
        if (!response.ok) {
          await response.body?.cancel();
          throw Object.assign(new Error(`Photo download failed with status ${response.status}`), {
            response: { status: response.status, headers: response.headers },
          });
        }
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { mediaType: response.headers.get('content-type')?.split(';')[0] ?? 'image/jpeg', bytes };
      },
      options.retry,
      context.signal,
      (line) => context.log(line),
    );
  return { userId, email, people: client, auth, call, download };
}

/**
 * googleapis 178 bundles its own google-auth-library (10.5.0) while the app uses 10.9.1 directly, so
 * the two OAuth2Client types differ although googleapis only calls `request()` on it (duck typing).
 */
export function asApiAuth(auth: GoogleAuth): people_v1.Options['auth'] {
  return auth as unknown as people_v1.Options['auth'];
}
