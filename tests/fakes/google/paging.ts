/**
 * Page tokens and sync tokens (providers.md 1.2). Both are opaque and held by the fake, so it can
 * check that a later page or an incremental call repeats the first call's parameters, and expire sync
 * tokens by the fake clock. A full read takes a snapshot of names up to the current change number:
 * anything written while the client pages through comes in the next incremental read, never lost.
 */
import { FakeGoogleError, invalidArgument } from './errors';
import { opaqueToken, type FakeStore } from './store';

interface Snapshot {
  readonly user: string;
  readonly collection: string;
  readonly names: readonly string[];
  /** Change number the next sync token will carry. */
  readonly startSeq: number;
  /** When the full read that began this chain of tokens started. */
  readonly chainStart: number;
  readonly paramsKey: string;
  readonly incremental: boolean;
  readonly total: number;
}

interface SyncTokenState {
  readonly user: string;
  readonly collection: string;
  readonly seq: number;
  readonly chainStart: number;
  readonly issuedAt: number;
  readonly paramsKey: string;
}

/** What an entity needs for paging. */
export interface Pageable {
  seq: number;
  deleted: boolean;
}

/** The answer to one page request. */
export interface PageResult<T> {
  readonly items: T[];
  readonly nextPageToken?: string;
  readonly nextSyncToken?: string;
  readonly totalItems: number;
  readonly incremental: boolean;
}

/** Settings of sync-token expiry; the defaults follow the docs (7 days after the full sync, HTTP 400). */
export interface SyncTokenRules {
  lifetimeMs: number;
  /** 'full-sync': a chain of tokens dies 7 days after its full read (the docs' words); 'issue': per token. */
  expiryFrom: 'full-sync' | 'issue';
  /** 400 per the field report; 410 to exercise a client's defensive path. */
  expiredStatus: 400 | 410;
}

export class Paging {
  private readonly pageTokens = new Map<string, { snapshot: Snapshot; index: number }>();
  private readonly syncTokens = new Map<string, SyncTokenState>();
  readonly rules: SyncTokenRules = {
    lifetimeMs: 7 * 24 * 3600_000,
    expiryFrom: 'full-sync',
    expiredStatus: 400,
  };

  constructor(private readonly store: FakeStore) {}

  /**
   * Serves one page of `map` (ordered by change) for `user`. `paramsKey` holds every parameter
   * except the tokens; a token used with other parameters is refused.
   */
  page<T extends Pageable>(options: {
    user: string;
    collection: string;
    map: Map<string, T>;
    paramsKey: string;
    pageSize: number;
    pageToken?: string | null;
    syncToken?: string | null;
    /** When the collection's list always carries a sync token on its last page (contact groups). */
    alwaysSyncToken?: boolean;
    requestSyncToken: boolean;
    order?: (names: string[]) => string[];
    currentSeq: number;
  }): PageResult<T> {
    const { map } = options;
    let snapshot: Snapshot;
    let index = 0;
    if (options.pageToken) {
      const state = this.pageTokens.get(options.pageToken);
      if (
        !state ||
        state.snapshot.user !== options.user ||
        state.snapshot.collection !== options.collection
      ) {
        throw invalidArgument('Page token is not valid.');
      }
      if (
        state.snapshot.paramsKey !== options.paramsKey ||
        Boolean(options.syncToken) !== state.snapshot.incremental
      ) {
        throw invalidArgument(
          'Parameters provided with a page token must match the call that provided the page token.',
        );
      }
      snapshot = state.snapshot;
      index = state.index;
    } else if (options.syncToken) {
      const token = this.syncTokens.get(options.syncToken);
      if (!token || token.user !== options.user || token.collection !== options.collection) {
        throw invalidArgument('Sync token is not valid.');
      }
      const age =
        this.store.now() - (this.rules.expiryFrom === 'full-sync' ? token.chainStart : token.issuedAt);
      if (age > this.rules.lifetimeMs) {
        throw new FakeGoogleError(
          this.rules.expiredStatus,
          this.rules.expiredStatus === 410 ? 'GONE' : 'FAILED_PRECONDITION',
          'Sync token is expired. Clear local cache and retry call without the sync token.',
          'EXPIRED_SYNC_TOKEN',
        );
      }
      if (token.paramsKey !== options.paramsKey) {
        throw invalidArgument(
          'Parameters provided with a sync token must match the call that provided the sync token.',
        );
      }
      const names: string[] = [];
      for (const [name, item] of map) if (item.seq > token.seq) names.push(name);
      snapshot = {
        user: options.user,
        collection: options.collection,
        names,
        startSeq: options.currentSeq,
        chainStart: token.chainStart,
        paramsKey: options.paramsKey,
        incremental: true,
        total: names.length,
      };
    } else {
      const names: string[] = [];
      for (const [name, item] of map) if (!item.deleted) names.push(name);
      const ordered = options.order ? options.order(names) : names;
      snapshot = {
        user: options.user,
        collection: options.collection,
        names: ordered,
        startSeq: options.currentSeq,
        chainStart: this.store.now(),
        paramsKey: options.paramsKey,
        incremental: false,
        total: ordered.length,
      };
    }
    const items: T[] = [];
    while (index < snapshot.names.length && items.length < options.pageSize) {
      const item = map.get(snapshot.names[index++]);
      // Changed after the snapshot: it belongs to the next incremental read.
      if (!item || item.seq > snapshot.startSeq) continue;
      if (item.deleted && !snapshot.incremental) continue;
      items.push(item);
    }
    if (index < snapshot.names.length) {
      const nextPageToken = opaqueToken();
      this.pageTokens.set(nextPageToken, { snapshot, index });
      return { items, nextPageToken, totalItems: snapshot.total, incremental: snapshot.incremental };
    }
    let nextSyncToken: string | undefined;
    if (options.requestSyncToken || options.alwaysSyncToken) {
      nextSyncToken = opaqueToken(24);
      this.syncTokens.set(nextSyncToken, {
        user: options.user,
        collection: options.collection,
        seq: snapshot.startSeq,
        chainStart: snapshot.chainStart,
        issuedAt: this.store.now(),
        paramsKey: options.paramsKey,
      });
    }
    return { items, nextSyncToken, totalItems: snapshot.total, incremental: snapshot.incremental };
  }
}

/** Reads `pageSize`: absent or 0 gives the default; outside 1..max is a 400. */
export function pageSizeOf(value: string | null, fallback: number, max = 1000): number {
  if (value === null || value === '' || value === '0') return fallback;
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw invalidArgument(`Invalid pageSize: must be between 1 and ${max}.`);
  }
  return size;
}
