/**
 * Our retry of Google calls. gaxios' built-in retry is switched off on every call (providers.md 3.1:
 * it ignores Retry-After and only covers GET-like methods), so throttling and transient faults are
 * handled here, the same way for reads and writes, and tests can see and time every attempt.
 */
import { ProviderError } from '../provider';
import { abortableSleep, retryDelay, type BackoffPolicy } from '../retry';

/**
 * How hard to retry; `sleep` and `random` are injectable so tests run in milliseconds. Retry-After
 * is a lower bound: the wait is the longer of it and the backoff.
 */
export interface RetryPolicy extends BackoffPolicy {
  readonly maxAttempts: number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The defaults: 10 attempts, 1 s doubling to at most 64 s (Google's recommended truncated backoff). */
export function defaultRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    maxAttempts: 10,
    baseDelayMs: 1000,
    maxDelayMs: 64_000,
    retryAfter: { mode: 'at-least' },
    sleep: abortableSleep,
    random: Math.random,
    now: Date.now,
    ...overrides,
  };
}

interface ErrorLike {
  status?: number;
  code?: string | number;
  message?: string;
  cause?: unknown;
  name?: string;
  response?: { status?: number; headers?: unknown; data?: unknown };
}

/** The HTTP status of a gaxios error, if the server answered. */
export function statusOf(error: unknown): number | undefined {
  const candidate = error as ErrorLike | undefined;
  return (
    candidate?.response?.status ?? (typeof candidate?.status === 'number' ? candidate.status : undefined)
  );
}

/** The `google.rpc.ErrorInfo` reason of an API error (e.g. EXPIRED_SYNC_TOKEN), or the OAuth `error` code. */
export function reasonOf(error: unknown): string | undefined {
  const data = (error as ErrorLike | undefined)?.response?.data as
    { error?: string | { status?: string; details?: { reason?: string }[] } } | undefined;
  if (!data?.error) return undefined;
  if (typeof data.error === 'string') return data.error;
  return data.error.details?.find((detail) => detail.reason)?.reason ?? data.error.status;
}

function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as ErrorLike | undefined)?.response?.headers;
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TimeoutError',
]);

/** True for failures where no answer arrived or it broke off: resets, timeouts, truncated bodies. */
export function isNetworkError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as ErrorLike;
    if (candidate.response) return false;
    if (candidate.code !== undefined && networkCodes.has(String(candidate.code))) return true;
    // gaxios reports its own timeout as an AbortError; callers check the job's signal first, so an
    // abort that reaches here is a timed-out request, not a cancelled job.
    if (candidate.name === 'TimeoutError' || candidate.name === 'AbortError') return true;
    if (
      /terminated|socket hang up|other side closed|fetch failed|network|Unexpected end of JSON/i.test(
        candidate.message ?? '',
      )
    ) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
}

function isRetryableStatus(status: number | undefined): boolean {
  return status === 408 || status === 429 || (status !== undefined && status >= 500 && status <= 599);
}

/**
 * Turns a Google failure into the ProviderError the app shows. Messages are our own sentences: raw
 * SDK text may hold request details and means nothing to a user (style.md).
 */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const status = statusOf(error);
  const reason = reasonOf(error);
  if (reason === 'invalid_grant' || reason === 'unauthorized_client' || reason === 'invalid_client') {
    return new ProviderError(
      'auth-required',
      'Google no longer accepts the saved sign-in for this account. Sign in again.',
    );
  }
  if (status === 401)
    return new ProviderError(
      'auth-required',
      'Google did not accept the sign-in for this account. Sign in again.',
    );
  if (status === 403) {
    return new ProviderError(
      'auth-required',
      'Google refused access to these contacts. Check the account’s permissions and sign in again.',
    );
  }
  if (status === 404)
    return new ProviderError('not-found', 'Google could not find the requested contact or group.');
  if (status === 429)
    return new ProviderError(
      'throttled',
      'Google is limiting requests for this account. Try again later.',
      true,
    );
  if (status !== undefined && status >= 500) {
    return new ProviderError(
      'network',
      'Google’s contacts service is not answering properly. Try again later.',
      true,
    );
  }
  if (status !== undefined && status >= 400)
    return new ProviderError('invalid-input', 'Google rejected the request.');
  if (isNetworkError(error))
    return new ProviderError('network', 'Could not reach Google. Check the connection and try again.', true);
  return new ProviderError('invalid-response', 'Google sent an answer this app does not understand.');
}

/** Progress lines for the job log; only counts and status codes, never contact data or tokens. */
export type RetryLog = (line: string) => void;

/**
 * Runs `call`, retrying 408/429/5xx and network failures with exponential backoff and jitter,
 * waiting at least what Retry-After asks. Any other error is thrown as-is for the caller to map.
 */
export async function withRetry<T>(
  label: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  log?: RetryLog,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    if (signal.aborted) throw signal.reason;
    try {
      return await call();
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const status = statusOf(error);
      const retryable = isRetryableStatus(status) || (status === undefined && isNetworkError(error));
      if (!retryable || attempt >= policy.maxAttempts) throw error;
      const delay = retryDelay(attempt - 1, headerOf(error, 'retry-after'), policy);
      log?.(`${label}: ${status ?? 'network error'}, retry ${attempt} in ${Math.round(delay)} ms`);
      await policy.sleep(delay, signal);
    }
  }
}
