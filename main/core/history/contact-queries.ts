/**
 * Browse queries over the history: the list on the left (filtered by user, folder, time and a search
 * over every field, part of a phone number included) and one contact's details with its versions.
 */
import { bestDisplayName, type Contact } from '../contacts/model';
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

const searchText = new WeakMap<Contact, { text: string; digits: string }>();

/** Lower-cased text of every field, and the digits of every phone, computed once per revision. */
function searchableOf(contact: Contact): { text: string; digits: string } {
  let cached = searchText.get(contact);
  if (!cached) {
    const parts: string[] = [];
    collectStrings(contact, parts);
    cached = {
      text: parts.join('\n').toLocaleLowerCase(),
      digits: contact.phones.map((phone) => phone.value.replace(/\D+/g, '')).join('\n'),
    };
    searchText.set(contact, cached);
  }
  return cached;
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number') into.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (key === 'photo' || key === 'folderIds') continue;
      collectStrings(member, into);
    }
  }
}

/**
 * Builds the search text of every current contact in the background, a few thousand at a time, so
 * the first search after unlocking is as quick as the next ones.
 */
export function warmSearch(index: HistoryIndex, chunk = 2000, startAfterMs = 1500): void {
  const histories = [...index.contacts.values()];
  let position = 0;
  const step = (): void => {
    for (const end = Math.min(histories.length, position + chunk); position < end; position += 1) {
      const last = histories[position].versions.at(-1);
      if (last) searchableOf(last.contact);
    }
    if (position < histories.length) setImmediate(step);
  };
  // Started after the first screens have been answered, in small slices, so it never delays them.
  setTimeout(step, startAfterMs).unref();
}

/** True when every word of the query matches some field; digit runs also match phones ignoring spacing. */
export function matchesSearch(contact: Contact, query: string): boolean {
  const { text, digits } = searchableOf(contact);
  // A query that looks like (part of) a phone number matches phone digits as a whole, whatever the
  // spacing on either side: "555 01" finds +1 (555) 012-3456.
  if (/^[\d\s()+./-]+$/.test(query) && query.replace(/\D+/g, '').length >= 3) {
    return digits.includes(query.replace(/\D+/g, '')) || text.includes(query.trim().toLocaleLowerCase());
  }
  for (const word of query.toLocaleLowerCase().split(/\s+/).filter(Boolean)) {
    if (text.includes(word)) continue;
    const wordDigits = word.replace(/\D+/g, '');
    if (
      wordDigits.length >= 3 &&
      wordDigits.length >= word.replace(/[\s()+.-]/g, '').length &&
      digits.includes(wordDigits)
    ) {
      continue;
    }
    return false;
  }
  return true;
}

export function summarize(state: ContactAt): ContactSummary {
  const contact = state.version.contact;
  return {
    id: state.history.id,
    userKey: state.history.userKey,
    displayName: bestDisplayName(contact),
    email: contact.emails[0]?.value,
    phone: contact.phones[0]?.value,
    organization: contact.organizations[0]?.name,
    folderIds: contact.folderIds,
    hasPhoto: Boolean(contact.photo),
    deleted: state.deleted,
    versions: state.history.versions.length,
    updatedAt: state.version.from,
  };
}

/** The list, sorted by name; total counts every match before paging. */
export function listContacts(
  index: HistoryIndex,
  query: ContactQuery,
): { total: number; items: ContactSummary[] } {
  const matches: ContactAt[] = [];
  const search = query.search?.trim();
  for (const state of index.contactsAt(query.userKeys, query.at)) {
    if (state.deleted && query.includeDeleted === false) continue;
    if (query.folderId && !state.version.contact.folderIds.includes(query.folderId)) continue;
    if (search && !matchesSearch(state.version.contact, search)) continue;
    matches.push(state);
  }
  const summaries = matches.map(summarize);
  summaries.sort(
    (a, b) => byName.compare(a.displayName, b.displayName) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const offset = query.offset ?? 0;
  return {
    total: summaries.length,
    items: summaries.slice(offset, offset + (query.limit ?? summaries.length)),
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
