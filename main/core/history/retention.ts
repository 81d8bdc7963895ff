/**
 * Retention (product.md B6): which old revisions a policy lets go. The current revision of every
 * contact is always kept; contacts deleted at the source are kept for a set time (default
 * forever); an optional purge delay postpones every removal. Pure: the caller purges what this says.
 */
import type { HistoryIndex } from './history-index';
import { count } from '../plural';

export type RetentionPolicy =
  | { readonly kind: 'all' }
  | { readonly kind: 'last'; readonly revisions: number }
  | { readonly kind: 'days'; readonly days: number }
  | { readonly kind: 'gfs'; readonly daily: number; readonly weekly: number; readonly monthly: number };

export interface RetentionSettings {
  readonly policy: RetentionPolicy;
  /** Days to keep contacts deleted at the source; undefined keeps them forever. */
  readonly deletedKeepDays?: number;
  /** Days to wait before anything the policy lets go is removed. */
  readonly purgeDelayDays?: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { policy: { kind: 'all' } };

const DAY = 86_400_000;

export interface RetentionDrops {
  /** `${contactId}|${snapshotId}` of revisions to remove. */
  readonly versions: Set<string>;
  /** Contacts deleted at the source long enough ago to remove entirely. */
  readonly contacts: Set<string>;
}

/** The moments GFS keeps: end of each of the last `daily` days, `weekly` weeks, `monthly` months. */
function gfsMoments(now: number, policy: Extract<RetentionPolicy, { kind: 'gfs' }>): number[] {
  const moments: number[] = [];
  const endOfDay = Math.floor(now / DAY) * DAY + DAY - 1;
  for (let day = 0; day < policy.daily; day += 1) moments.push(endOfDay - day * DAY);
  for (let week = 0; week < policy.weekly; week += 1) moments.push(endOfDay - week * 7 * DAY);
  const date = new Date(now);
  for (let month = 0; month < policy.monthly; month += 1) {
    moments.push(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - month + 1, 1) - 1);
  }
  return moments;
}

export function retentionDrops(
  index: HistoryIndex,
  settings: RetentionSettings,
  now: Date,
  userKey?: string,
): RetentionDrops {
  const drops: RetentionDrops = { versions: new Set(), contacts: new Set() };
  const effectiveNow = now.getTime() - (settings.purgeDelayDays ?? 0) * DAY;
  const policy = settings.policy;
  const moments = policy.kind === 'gfs' ? gfsMoments(effectiveNow, policy) : [];
  for (const history of index.contacts.values()) {
    if (userKey && history.userKey !== userKey) continue;
    const versions = history.versions;
    const last = versions.at(-1);
    if (!last) continue;
    if (
      settings.deletedKeepDays !== undefined &&
      last.until?.deleted &&
      Date.parse(last.until.at) < effectiveNow - settings.deletedKeepDays * DAY
    ) {
      drops.contacts.add(history.id);
      continue;
    }
    versions.forEach((version, position) => {
      if (position === versions.length - 1 || !version.until) return;
      const closed = Date.parse(version.until.at);
      // Nothing is let go before the purge delay has passed since it stopped being current.
      if (closed > effectiveNow) return;
      let keep = true;
      if (policy.kind === 'last') keep = position >= versions.length - policy.revisions;
      else if (policy.kind === 'days') keep = closed > effectiveNow - policy.days * DAY;
      else if (policy.kind === 'gfs') {
        const from = Date.parse(version.from);
        keep = moments.some((moment) => from <= moment && moment < closed);
      }
      if (!keep) drops.versions.add(`${history.id}|${version.snapshotId}`);
    });
  }
  return drops;
}

/** Parses `all`, `last:N`, `days:D` or `gfs:DAILY,WEEKLY,MONTHLY` (CLI and settings). */
export function parseRetentionPolicy(text: string): RetentionPolicy | undefined {
  const [kind, value] = text.split(':', 2);
  const number = (input: string | undefined) => (input && /^\d+$/.test(input) ? Number(input) : undefined);
  if (kind === 'all' && value === undefined) return { kind: 'all' };
  if (kind === 'last' && number(value)) return { kind: 'last', revisions: number(value)! };
  if (kind === 'days' && number(value)) return { kind: 'days', days: number(value)! };
  if (kind === 'gfs' && value) {
    const [daily, weekly, monthly] = value.split(',').map(number);
    if (daily !== undefined && weekly !== undefined && monthly !== undefined)
      return { kind: 'gfs', daily, weekly, monthly };
  }
  return undefined;
}

export function describeRetention(settings: RetentionSettings): string {
  const policy = settings.policy;
  const main =
    policy.kind === 'all'
      ? 'keep every version'
      : policy.kind === 'last'
        ? `keep the last ${count(policy.revisions, 'version')} of each contact`
        : policy.kind === 'days'
          ? `keep versions for ${count(policy.days, 'day')}`
          : `keep daily for ${count(policy.daily, 'day')}, weekly for ${count(policy.weekly, 'week')}, monthly for ${count(policy.monthly, 'month')}`;
  const deleted =
    settings.deletedKeepDays === undefined
      ? 'contacts deleted at the source kept forever'
      : `contacts deleted at the source kept ${count(settings.deletedKeepDays, 'day')}`;
  const delay = settings.purgeDelayDays ? `, removals wait ${count(settings.purgeDelayDays, 'day')}` : '';
  return `${main}; ${deleted}${delay}.`;
}
