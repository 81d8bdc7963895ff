/**
 * Switchable faults for the Graph fake: throttling (429 + Retry-After), 503, slow answers and dropped
 * connections, matched by method and path, optionally only for $batch items.
 */

export type FaultKind = 'throttle' | 'unavailable' | 'slow' | 'drop';

export interface FaultRule {
  readonly kind: FaultKind;
  /** Matches `METHOD path` (path after /v1.0, decoded), e.g. /GET .*\/contacts\/delta/. Absent: all. */
  readonly match?: RegExp;
  /** How many requests it hits before it disarms; Infinity for a storm. */
  times: number;
  /** Seconds for Retry-After (throttle, unavailable); omitted header when undefined. */
  readonly retryAfter?: number;
  /** Delay for 'slow' in ms. */
  readonly delayMs?: number;
  /** Only $batch items (true), only top-level requests (false), or both (undefined). */
  readonly inBatch?: boolean;
  /** Requests that matched but were let through before the fault starts (e.g. fail the 3rd page). */
  skip?: number;
}

export class Faults {
  private rules: FaultRule[] = [];

  add(rule: Omit<FaultRule, 'times'> & { times?: number }): void {
    this.rules.push({ ...rule, times: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to apply to this request, consuming one use of it. */
  take(method: string, path: string, inBatch: boolean): FaultRule | undefined {
    const line = `${method} ${path}`;
    for (const rule of this.rules) {
      if (rule.times <= 0) continue;
      if (rule.inBatch !== undefined && rule.inBatch !== inBatch) continue;
      if (rule.match && !rule.match.test(line)) continue;
      if (rule.skip && rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      rule.times -= 1;
      return rule;
    }
    return undefined;
  }
}
