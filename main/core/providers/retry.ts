/**
 * Backoff shared by the Google and Microsoft providers: the wait before a retry (exponential backoff
 * with jitter, or what the server's Retry-After asks), Retry-After parsing, and an abortable sleep.
 * Each provider keeps its own loop, because what counts as retryable differs (gaxios errors for
 * Google; Graph statuses, a token refresh on 401 and separate network/throttle budgets for Graph).
 */

/** How long to wait before a retry. `random` and `now` are injectable so tests are exact. */
export interface BackoffPolicy {
  /** The first wait; each retry doubles it, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * How a Retry-After answer counts: `at-least` waits the longer of it and the backoff (Google);
   * `instead` waits what it asks, at most `capMs` (Graph).
   */
  readonly retryAfter: { readonly mode: 'at-least' } | { readonly mode: 'instead'; readonly capMs: number };
  /** 0..1, for jitter. */
  random(): number;
  /** Wall clock in ms, to read Retry-After given as an HTTP date. */
  now(): number;
}

/** Retry-After in ms (delta seconds or an HTTP date, RFC 9110 §10.2.3), or undefined. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `attempt` (0-based): base·2^attempt capped at maxDelayMs, scaled by
 * 0.5–1.0 (jitter, so many clients do not retry in step), combined with Retry-After per the policy.
 */
export function retryDelay(
  attempt: number,
  retryAfter: string | null | undefined,
  policy: BackoffPolicy,
): number {
  const asked = parseRetryAfter(retryAfter, policy.now());
  if (asked !== undefined && policy.retryAfter.mode === 'instead')
    return Math.min(asked, policy.retryAfter.capMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.round(ceiling * (0.5 + policy.random() / 2));
  return asked !== undefined ? Math.max(asked, jittered) : jittered;
}

/** Sleeps `ms` unless `signal` aborts first (then rejects with its reason). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
