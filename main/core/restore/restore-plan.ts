/**
 * A restore is planned before anything is written: which contacts to create, update or skip and
 * why, which folders to create, and which fields the target cannot hold. The preview shows this
 * plan; the restore job then carries out exactly this plan (product.md B11: preview equals result).
 */
import type { Contact, ContactFolder } from '../contacts/model';
import { bestDisplayName } from '../contacts/model';
import type { HistoryIndex } from '../history/history-index';
import type { UserKey } from '../history/types';
import { byName } from '../history/contact-queries';
import { describeUnsupported } from './unsupported-fields';

export type RestoreMode = 'new-folder' | 'overwrite' | 'skip';

export interface RestoreSelection {
  readonly sourceUserKey: UserKey;
  readonly scope: 'all' | 'folder' | 'contacts';
  readonly folderId?: string;
  readonly contactIds?: readonly string[];
  /** ISO time; undefined means the latest backup. */
  readonly at?: string;
  /** Restore this version of each contact instead of the state at `at` (one contact's history). */
  readonly snapshotId?: string;
  /** Only contacts deleted at the source as of `at`. */
  readonly onlyDeleted?: boolean;
}

export interface PlannedContact {
  readonly contactId: string;
  readonly sourceId: string;
  readonly contact: Contact;
  readonly action: 'create' | 'update' | 'skip';
  readonly reason: string;
  /** For updates and skips: the contact at the target. */
  readonly targetId?: string;
  /** Source folder ids, mapped to target folders when the plan is carried out. */
  readonly folderIds: readonly string[];
}

export interface RestorePlan {
  readonly mode: RestoreMode;
  readonly contacts: readonly PlannedContact[];
  /** Source folders that the restored contacts use. */
  readonly sourceFolders: readonly ContactFolder[];
  readonly unmappedFields: readonly string[];
}

/** What the planner needs to know about the target. */
export interface TargetFacts {
  readonly sameUser: boolean;
  /** Target ids that exist now (checked with the writer). */
  readonly existing: ReadonlySet<string>;
  /** Journal: the target id a backed-up contact became on this target earlier. */
  readonly journal: ReadonlyMap<string, string>;
  /** The target user's own backup (for matching by identity), when it is backed up here. */
  readonly targetIndexUserKey?: UserKey;
  readonly unsupportedFields: (contact: Contact) => string[];
}

/** The contacts a selection covers, as of its time, deleted-at-source ones included. */
export function selectContacts(
  index: HistoryIndex,
  selection: RestoreSelection,
): { contactId: string; sourceId: string; contact: Contact }[] {
  const wanted = selection.scope === 'contacts' ? new Set(selection.contactIds ?? []) : undefined;
  const result: { contactId: string; sourceId: string; contact: Contact }[] = [];
  for (const state of index.contactsAt(new Set([selection.sourceUserKey]), selection.at)) {
    if (wanted && !wanted.has(state.history.id)) continue;
    if (selection.onlyDeleted && !state.deleted) continue;
    let contact = state.version.contact;
    if (selection.snapshotId) {
      const version = state.history.versions.find(
        (candidate) => candidate.snapshotId === selection.snapshotId,
      );
      if (!version) continue;
      contact = version.contact;
    }
    if (selection.scope === 'folder' && !contact.folderIds.includes(selection.folderId ?? '')) continue;
    result.push({ contactId: state.history.id, sourceId: state.history.sourceId, contact });
  }
  result.sort(
    (a, b) =>
      byName.compare(bestDisplayName(a.contact), bestDisplayName(b.contact)) ||
      (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0),
  );
  return result;
}

/** The journal key for a contact restored to a target in overwrite/skip mode. */
export function journalKey(targetUserKey: UserKey, contactId: string, runId?: string): string {
  return runId ? `${targetUserKey}|${contactId}|${runId}` : `${targetUserKey}|${contactId}`;
}

/** Identity for matching a contact to one already at the target: primary email, else name + phone. */
export function identityOf(contact: Contact): string | undefined {
  const email = contact.emails[0]?.value.trim().toLowerCase();
  if (email) return `email:${email}`;
  const name = bestDisplayName(contact).trim().toLowerCase();
  const phone = contact.phones[0]?.value.replace(/\D+/g, '');
  return name && phone ? `name:${name}|${phone}` : undefined;
}

export function planRestore(
  index: HistoryIndex,
  selection: RestoreSelection,
  mode: RestoreMode,
  targetUserKey: UserKey,
  facts: TargetFacts,
  runId: string,
): RestorePlan {
  const selected = selectContacts(index, selection);
  // Contacts already at the target, by identity, from the target's own backup.
  const byIdentity = new Map<string, string>();
  if (mode !== 'new-folder' && facts.targetIndexUserKey) {
    for (const state of index.contactsAt(new Set([facts.targetIndexUserKey]))) {
      if (state.deleted) continue;
      const identity = identityOf(state.version.contact);
      if (identity && !byIdentity.has(identity)) byIdentity.set(identity, state.history.sourceId);
    }
  }
  const unmapped = new Set<string>();
  const contacts: PlannedContact[] = selected.map(({ contactId, sourceId, contact }) => {
    const lost = describeUnsupported(contact, facts.unsupportedFields(contact));
    if (lost) unmapped.add(lost);
    const base = { contactId, sourceId, contact, folderIds: contact.folderIds };
    if (mode === 'new-folder') {
      const done = facts.journal.get(journalKey(targetUserKey, contactId, runId));
      if (done && facts.existing.has(done)) {
        return {
          ...base,
          action: 'skip' as const,
          targetId: done,
          reason: 'Already restored by this job before it was interrupted.',
        };
      }
      return { ...base, action: 'create' as const, reason: 'Restored into a new folder.' };
    }
    const fromJournal = facts.journal.get(journalKey(targetUserKey, contactId));
    const identity = identityOf(contact);
    const match =
      (fromJournal && facts.existing.has(fromJournal) && { id: fromJournal, how: 'restored there before' }) ||
      (facts.sameUser &&
        facts.existing.has(sourceId) && { id: sourceId, how: 'the same contact is still there' }) ||
      (identity &&
        byIdentity.has(identity) &&
        facts.existing.has(byIdentity.get(identity)!) && {
          id: byIdentity.get(identity)!,
          how: 'a contact with the same email or name and phone is there',
        }) ||
      undefined;
    if (!match) return { ...base, action: 'create' as const, reason: 'Not at the target.' };
    if (mode === 'skip')
      return { ...base, action: 'skip' as const, targetId: match.id, reason: `Skipped: ${match.how}.` };
    return { ...base, action: 'update' as const, targetId: match.id, reason: `Overwritten: ${match.how}.` };
  });
  const folderIds = new Set(contacts.flatMap((planned) => planned.folderIds));
  const sourceFolders = index
    .foldersAt(selection.sourceUserKey, selection.at)
    .filter((folder) => folderIds.has(folder.id));
  return { mode, contacts, sourceFolders, unmappedFields: [...unmapped].sort() };
}

/** Counts for the preview and the report. */
export function planCounts(plan: RestorePlan): { create: number; update: number; skip: number } {
  const counts = { create: 0, update: 0, skip: 0 };
  for (const planned of plan.contacts) counts[planned.action] += 1;
  return counts;
}
