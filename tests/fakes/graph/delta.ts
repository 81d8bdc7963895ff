/**
 * Delta rounds (providers.md 2.3). A round starts from no token (current state) or a delta token
 * (changes since it); its result is frozen into a skip state that pages hand out, each page ending
 * with an absolute `@odata.nextLink` ($skiptoken) or, on the last one, an `@odata.deltaLink`
 * ($deltatoken). Tokens are opaque and remember the query options ($select), as on Graph.
 */
import { newToken } from './ids';
import type { Mailbox } from './mailbox';

export type ExpiryMode = 'syncStateNotFound' | 'resyncRequired' | 'gone';

export interface DeltaEntry {
  readonly id: string;
  readonly removed: boolean;
}

interface DeltaToken {
  readonly mailboxId: string;
  /** Folder id for contact delta, '' for contactFolders/delta. */
  readonly folderId: string;
  readonly since: number;
  readonly select?: readonly string[];
  expired?: ExpiryMode;
}

interface SkipState {
  readonly mailboxId: string;
  readonly folderId: string;
  readonly entries: readonly DeltaEntry[];
  offset: number;
  readonly until: number;
  readonly select?: readonly string[];
  /** Hands out one empty page first (the service may do this; clients must keep following). */
  emptyPending: boolean;
}

export type DeltaStart =
  | { readonly ok: true; readonly skipToken: string }
  | { readonly ok: false; readonly expired: ExpiryMode }
  | { readonly ok: false; readonly unknown: true };

export interface DeltaPage {
  readonly entries: readonly DeltaEntry[];
  readonly select?: readonly string[];
  readonly next: { readonly skipToken: string } | { readonly deltaToken: string };
}

export class DeltaTokens {
  private readonly deltaTokens = new Map<string, DeltaToken>();
  private readonly skipStates = new Map<string, SkipState>();
  /** When set, every round begins with one empty page carrying a nextLink. */
  emptyFirstPage = false;

  /** Starts a round from a delta token (or none), freezing its entries. */
  start(
    mailbox: Mailbox,
    folderId: string,
    token: string | undefined,
    select?: readonly string[],
  ): DeltaStart {
    let since = 0;
    let effectiveSelect = select;
    if (token !== undefined) {
      const saved = this.deltaTokens.get(token);
      if (!saved || saved.mailboxId !== mailbox.id || saved.folderId !== folderId)
        return { ok: false, unknown: true };
      if (saved.expired) return { ok: false, expired: saved.expired };
      since = saved.since;
      effectiveSelect = saved.select;
    }
    const entries =
      folderId === '' ? folderEntries(mailbox, since) : contactEntries(mailbox, folderId, since);
    const skipToken = newToken();
    this.skipStates.set(skipToken, {
      mailboxId: mailbox.id,
      folderId,
      entries,
      offset: 0,
      until: mailbox.seq,
      select: effectiveSelect,
      emptyPending: this.emptyFirstPage,
    });
    return { ok: true, skipToken };
  }

  /** One page of a round; undefined for an unknown skip token. */
  page(mailbox: Mailbox, skipToken: string, pageSize: number): DeltaPage | undefined {
    const state = this.skipStates.get(skipToken);
    if (!state || state.mailboxId !== mailbox.id) return undefined;
    let entries: DeltaEntry[] = [];
    if (state.emptyPending) state.emptyPending = false;
    else {
      entries = state.entries.slice(state.offset, state.offset + pageSize);
      state.offset += entries.length;
    }
    this.skipStates.delete(skipToken);
    if (
      state.offset < state.entries.length ||
      (entries.length === 0 && state.offset === 0 && state.entries.length > 0)
    ) {
      const next = newToken();
      this.skipStates.set(next, state);
      return { entries, select: state.select, next: { skipToken: next } };
    }
    const deltaToken = newToken();
    this.deltaTokens.set(deltaToken, {
      mailboxId: state.mailboxId,
      folderId: state.folderId,
      since: state.until,
      select: state.select,
    });
    return { entries, select: state.select, next: { deltaToken } };
  }

  /** Makes every saved delta token of a mailbox fail the given way (cache eviction at the service). */
  expire(mailbox: Mailbox, mode: ExpiryMode): number {
    let count = 0;
    for (const token of this.deltaTokens.values()) {
      if (token.mailboxId === mailbox.id) {
        token.expired = mode;
        count += 1;
      }
    }
    return count;
  }
}

function contactEntries(mailbox: Mailbox, folderId: string, since: number): DeltaEntry[] {
  const upserts: DeltaEntry[] = [];
  const present = new Set<string>();
  for (const contact of mailbox.contacts.values()) {
    if (contact.folderId !== folderId) continue;
    present.add(contact.id);
    if (contact.seq > since) upserts.push({ id: contact.id, removed: false });
  }
  if (since === 0) return upserts;
  const removed = new Map<string, DeltaEntry>();
  for (const tombstone of mailbox.tombstones) {
    if (tombstone.folderId === folderId && tombstone.seq > since && !present.has(tombstone.id)) {
      removed.set(tombstone.id, { id: tombstone.id, removed: true });
    }
  }
  return [...removed.values(), ...upserts];
}

/** Folder delta covers the folders below the default one (the default itself is not listed). */
function folderEntries(mailbox: Mailbox, since: number): DeltaEntry[] {
  const out: DeltaEntry[] = [];
  for (const folder of mailbox.folders.values()) {
    if (folder.id !== mailbox.defaultFolderId && folder.seq > since)
      out.push({ id: folder.id, removed: false });
  }
  if (since > 0) {
    for (const tombstone of mailbox.folderTombstones) {
      if (tombstone.seq > since && !mailbox.folders.has(tombstone.id))
        out.push({ id: tombstone.id, removed: true });
    }
  }
  return out;
}
