/**
 * Switchable faults: answers with a status (429, 500, 503), slow answers, connections dropped
 * mid-response, and Google's per-user per-minute quotas counted on the fake clock (providers.md 1.5:
 * the real limits are unpublished, so they are settings here).
 */
import { FakeGoogleError } from './errors';

/** What a matching request gets instead of (or before) its normal answer. */
export type FaultAction =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'drop' }
  | { readonly kind: 'delay'; readonly ms: number }
  /** Runs `run` just before the request is handled: a change "at the source" racing the client. */
  | { readonly kind: 'before'; readonly run: () => void };

/** A rule: requests whose op (and user) match get `action`, `times` times after skipping `skip`. */
export interface FaultRule {
  readonly op?: string | RegExp;
  readonly user?: string;
  readonly times?: number;
  readonly skip?: number;
  readonly action: FaultAction;
}

/** Per-user per-minute limits; undefined means unlimited. */
export interface QuotaSettings {
  readsPerMinute?: number;
  writesPerMinute?: number;
  /**
   * The fixed extra quota on the first page of a full sync (providers.md 1.2): connections.list
   * calls with neither pageToken nor syncToken.
   */
  fullSyncFirstPagesPerMinute?: number;
  /** Google sends no Retry-After on People 429s as far as is known; set this to test clients that honour it. */
  retryAfterSeconds?: number;
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  fired: number;
}

const statusNames: Record<number, string> = {
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export class Faults {
  private rules: ActiveRule[] = [];
  quota: QuotaSettings = {};
  private readonly windows = new Map<string, { minute: number; count: number }>();
  /** How many 429s the quota counters produced; tests read it to prove a storm happened. */
  quotaRejections = 0;

  add(rule: FaultRule): void {
    this.rules.push({ rule, seen: 0, fired: 0 });
  }

  clear(): void {
    this.rules = [];
    this.quota = {};
    this.windows.clear();
  }

  /** The fault for this request, if a rule fires. */
  match(op: string, user: string | undefined): FaultAction | undefined {
    for (const active of this.rules) {
      const { rule } = active;
      const opMatches =
        rule.op === undefined || (typeof rule.op === 'string' ? rule.op === op : rule.op.test(op));
      if (!opMatches || (rule.user && rule.user.toLowerCase() !== user)) continue;
      active.seen += 1;
      if (active.seen <= (rule.skip ?? 0)) continue;
      if (active.fired >= (rule.times ?? 1)) continue;
      active.fired += 1;
      return rule.action;
    }
    return undefined;
  }

  /** Counts a call against the user's per-minute quota; throws 429 RESOURCE_EXHAUSTED past it. */
  count(user: string, bucket: 'read' | 'write' | 'fullSyncFirstPage', now: number): void {
    const limits = {
      read: this.quota.readsPerMinute,
      write: this.quota.writesPerMinute,
      fullSyncFirstPage: this.quota.fullSyncFirstPagesPerMinute,
    };
    const limit = limits[bucket];
    if (limit === undefined) return;
    const minute = Math.floor(now / 60_000);
    const key = `${user}|${bucket}`;
    const window = this.windows.get(key);
    const current = window && window.minute === minute ? window : { minute, count: 0 };
    current.count += 1;
    this.windows.set(key, current);
    if (current.count > limit) {
      this.quotaRejections += 1;
      const headers: Record<string, string> = {};
      if (this.quota.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(this.quota.retryAfterSeconds);
      const metric =
        bucket === 'read' ? 'Critical read requests (Contact and Profile Reads)' : 'Write requests';
      throw new FakeGoogleError(
        429,
        'RESOURCE_EXHAUSTED',
        `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'people.googleapis.com'.`,
        'RATE_LIMIT_EXCEEDED',
        headers,
      );
    }
  }
}

/** The error an injected status fault answers with. */
export function statusFault(action: { status: number; retryAfterSeconds?: number }): FakeGoogleError {
  const headers: Record<string, string> = {};
  if (action.retryAfterSeconds !== undefined) headers['retry-after'] = String(action.retryAfterSeconds);
  const reason = action.status === 429 ? 'RATE_LIMIT_EXCEEDED' : undefined;
  return new FakeGoogleError(
    action.status,
    statusNames[action.status] ?? 'UNKNOWN',
    action.status === 429
      ? 'Resource has been exhausted (e.g. check quota).'
      : 'The service is currently unavailable.',
    reason,
    headers,
  );
}
