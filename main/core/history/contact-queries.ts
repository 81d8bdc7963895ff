/**
 * Browse queries over the history: the shapes of the list on the left (see list-views.ts for the
 * list itself) and one contact's details with its versions.
 */
import type { Contact } from '../contacts/model';
import type { ContactAt, ContactHistory, HistoryIndex, Version } from './history-index';
import type { UserKey } from './types';

export interface ContactSummary {
  readonly id: string;
  readonly userKey: UserKey;
  readonly displayName: string;
  readonly email?: string;
  readonly phone?: string;
  readonly organization?: string;
  readonly folderIds: readonly string[];
  readonly hasPhoto: boolean;
  readonly deleted: boolean;
  readonly versions: number;
  readonly updatedAt: string;
}

export interface ContactQuery {
  readonly userKeys?: ReadonlySet<UserKey>;
  readonly folderId?: string;
  /** ISO time: the address book as of this moment (default: now). */
  readonly at?: string;
  readonly search?: string;
  readonly includeDeleted?: boolean;
  /** Column to order by (default name); ties keep the name order. */
  readonly sort?: 'name' | 'company' | 'updated';
  readonly descending?: boolean;
  readonly offset?: number;
  readonly limit?: number;
}

export interface VersionInfo {
  readonly snapshotId: string;
  readonly from: string;
  readonly until?: string;
  readonly deletedAt?: string;
  readonly hash: string;
}

/** One collator for every sort: String#localeCompare builds one per call and is several times slower. */
export const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** The list order: by name as a person reads it, then by id so equal names keep one order. */
export function compareSummaries(a: ContactSummary, b: ContactSummary): number {
  return byName.compare(a.displayName, b.displayName) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * English collation orders names made only of ASCII letters, spaces, hyphens and full stops exactly
 * as their lower-cased code units do (a unit test holds the two to it), and comparing code units is
 * several times quicker. Other locales may tailor even ASCII letters (Czech "ch", Danish "aa").
 */
const PLAIN_NAME = /^[A-Za-z .-]*$/;
const plainKeys = /^en(-|$)/.test(byName.resolvedOptions().locale);

/** A key that compares by code units like `byName` does, or undefined when only `byName` can tell. */
export function plainSortKey(name: string): string | undefined {
  return plainKeys && PLAIN_NAME.test(name) ? name.toLowerCase() : undefined;
}

/** `compareSummaries` with keys from `plainSortKey`: the same order, found faster. */
export function compareKeyed(
  a: { readonly summary: ContactSummary; readonly key: string | undefined },
  b: { readonly summary: ContactSummary; readonly key: string | undefined },
): number {
  const byKey =
    a.key !== undefined && b.key !== undefined
      ? a.key < b.key
        ? -1
        : a.key > b.key
          ? 1
          : 0
      : byName.compare(a.summary.displayName, b.summary.displayName);
  return byKey || (a.summary.id < b.summary.id ? -1 : a.summary.id > b.summary.id ? 1 : 0);
}

/** A list row; from what the index keeps, so no contact is read (see history-index.ts `Version`). */
export function summarize(state: ContactAt): ContactSummary {
  const { brief, folderIds, photo } = state.version;
  return {
    id: state.history.id,
    userKey: state.history.userKey,
    displayName: brief.displayName,
    email: brief.email,
    phone: brief.phone,
    organization: brief.organization,
    folderIds,
    hasPhoto: Boolean(photo),
    deleted: state.deleted,
    versions: state.history.versions.length,
    updatedAt: state.version.from,
  };
}

export function versionInfo(version: Version): VersionInfo {
  return {
    snapshotId: version.snapshotId,
    from: version.from,
    until: version.until && !version.until.deleted ? version.until.at : undefined,
    deletedAt: version.until?.deleted ? version.until.at : undefined,
    hash: version.hash,
  };
}

/** One contact at a time (default now) with every version, oldest first. */
export function contactDetails(
  index: HistoryIndex,
  contactId: string,
  at?: string,
):
  | { summary: ContactSummary; contact: Contact; versions: VersionInfo[]; history: ContactHistory }
  | undefined {
  const history = index.contacts.get(contactId);
  if (!history) return undefined;
  const state = index.contactAt(history, at) ?? { history, version: history.versions.at(-1)!, deleted: true };
  return {
    summary: summarize(state),
    contact: state.version.contact,
    versions: history.versions.map(versionInfo),
    history,
  };
}
