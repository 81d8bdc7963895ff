/**
 * What changed between two backups of a user (product.md B10): contacts added, changed (with the
 * fields that changed) and deleted, comparing the address book as of each snapshot.
 */
import { canonicalJson } from '../contacts/content-hash';
import type { Contact } from '../contacts/model';
import { storagePositions, type HistoryIndex, type Version } from './history-index';
import type { UserKey } from './types';
import { byName } from './contact-queries';

export interface SnapshotDiff {
  readonly added: { contactId: string; displayName: string }[];
  readonly changed: { contactId: string; displayName: string; fields: string[] }[];
  readonly deleted: { contactId: string; displayName: string }[];
}

/** Top-level fields whose values differ. */
export function changedFields(before: Contact, after: Contact): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => canonicalJson((before as never)[key]) !== canonicalJson((after as never)[key]))
    .sort();
}

/** Compares the address book as of two snapshot times (from must not be after to). */
export function diffSnapshots(
  index: HistoryIndex,
  userKey: UserKey,
  fromAt: string,
  toAt: string,
): SnapshotDiff {
  const users = new Set([userKey]);
  // Only versions are compared; contacts are read for the changed ones alone, in storage order.
  const before = new Map<string, Version>();
  for (const state of index.contactsAt(users, fromAt)) {
    if (!state.deleted) before.set(state.history.id, state.version);
  }
  const diff: SnapshotDiff = { added: [], changed: [], deleted: [] };
  const seen = new Set<string>();
  const changed: { contactId: string; earlier: Version; later: Version }[] = [];
  for (const state of index.contactsAt(users, toAt)) {
    if (state.deleted) continue;
    const id = state.history.id;
    seen.add(id);
    const earlier = before.get(id);
    if (!earlier) diff.added.push({ contactId: id, displayName: state.version.brief.displayName });
    else if (earlier.hash !== state.version.hash)
      changed.push({ contactId: id, earlier, later: state.version });
  }
  const fields = new Array<string[]>(changed.length);
  for (const at of storagePositions(changed.map((item) => item.later)))
    fields[at] = changedFields(changed[at]!.earlier.contact, changed[at]!.later.contact);
  changed.forEach(({ contactId, later }, at) => {
    diff.changed.push({ contactId, displayName: later.brief.displayName, fields: fields[at]! });
  });
  for (const [id, earlier] of before) {
    if (!seen.has(id)) diff.deleted.push({ contactId: id, displayName: earlier.brief.displayName });
  }
  const ordered = (a: { displayName: string }, b: { displayName: string }) =>
    byName.compare(a.displayName, b.displayName);
  diff.added.sort(ordered);
  diff.changed.sort(ordered);
  diff.deleted.sort(ordered);
  return diff;
}
