/**
 * A restore is planned before anything is written: which contacts to create, update or skip and
 * why, which folders to create, and which fields the target cannot hold. The preview shows this
 * plan; the restore job then carries out exactly this plan (product.md B11: preview equals result).
 */
import type { Contact, ContactFolder } from '../contacts/model';
import type { HistoryIndex, Version } from '../history/history-index';
import { StoredWalk } from '../history/segment-contacts';
import type { ContactBrief } from '../history/types';
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
  /**
   * Restore All / Restore Folder take the contacts that were live at `at`; contacts deleted at the
   * source come too only when this is set. Explicitly selected contacts are always taken.
   */
  readonly includeDeleted?: boolean;
}

export interface PlannedContact {
  readonly contactId: string;
  readonly sourceId: string;
  /** The revision to write; its contact is read when written (restore-engine.ts, storage order). */
  readonly version: Version;
  /** Its display name, for the preview and the report. */
  readonly name: string;
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
  /** Links: the target id a backed-up contact became on this target in an earlier restore. */
  readonly links: ReadonlyMap<string, string>;
  /** The target keeps vCard UIDs (vCard files and folders, CardDAV): a card whose UID is the source id is that contact. */
  readonly keepsUid: boolean;
  /** The target user's own backup (for matching by identity), when it is backed up here. */
  readonly targetIndexUserKey?: UserKey;
  readonly unsupportedFields: (contact: Contact) => string[];
}

/** One contact a selection covers: the revision to restore, not yet read from its segment. */
export interface SelectedContact {
  readonly contactId: string;
  readonly sourceId: string;
  readonly version: Version;
}

/**
 * The contacts a selection covers, as of its time (deleted-at-source ones only when asked for), in
 * name order. Nothing is read from the segments: the index's brief has the names.
 */
export function selectContacts(index: HistoryIndex, selection: RestoreSelection): SelectedContact[] {
  const wanted = selection.scope === 'contacts' ? new Set(selection.contactIds ?? []) : undefined;
  const result: SelectedContact[] = [];
  for (const state of index.contactsAt(new Set([selection.sourceUserKey]), selection.at)) {
    if (wanted && !wanted.has(state.history.id)) continue;
    if (selection.onlyDeleted && !state.deleted) continue;
    if (state.deleted && !wanted && !selection.onlyDeleted && !selection.includeDeleted) continue;
    let version = state.version;
    if (selection.snapshotId) {
      const found = state.history.versions.find((candidate) => candidate.snapshotId === selection.snapshotId);
      if (!found) continue;
      version = found;
    }
    if (selection.scope === 'folder' && !version.folderIds.includes(selection.folderId ?? '')) continue;
    result.push({ contactId: state.history.id, sourceId: state.history.sourceId, version });
  }
  result.sort(
    (a, b) =>
      byName.compare(a.version.brief.displayName, b.version.brief.displayName) ||
      (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0),
  );
  return result;
}

/**
 * Identity for matching a contact to one already at the target: primary email, else name + phone
 * (from the index's brief of a revision, so no contact is read for it).
 */
export function identityOf(brief: ContactBrief): string | undefined {
  const email = brief.email?.trim().toLowerCase();
  if (email) return `email:${email}`;
  const name = brief.displayName.trim().toLowerCase();
  const phone = brief.phone?.replace(/\D+/g, '');
  return name && phone ? `name:${name}|${phone}` : undefined;
}

export function planRestore(
  index: HistoryIndex,
  selection: RestoreSelection,
  mode: RestoreMode,
  facts: TargetFacts,
): RestorePlan {
  const selected = selectContacts(index, selection);
  // Contacts already at the target, by identity, from the target's own backup.
  const byIdentity = new Map<string, string>();
  if (mode !== 'new-folder' && facts.targetIndexUserKey) {
    for (const state of index.contactsAt(new Set([facts.targetIndexUserKey]))) {
      if (state.deleted) continue;
      const identity = identityOf(state.version.brief);
      if (identity && !byIdentity.has(identity)) byIdentity.set(identity, state.history.sourceId);
    }
  }
  // What the target cannot hold is read from every contact: in storage order, each segment once.
  const unmapped = new Set<string>();
  for (const at of new StoredWalk(selected.map((item) => item.version)).order) {
    const contact = selected[at]!.version.contact;
    const lost = describeUnsupported(contact, facts.unsupportedFields(contact));
    if (lost) unmapped.add(lost);
  }
  const contacts: PlannedContact[] = selected.map(({ contactId, sourceId, version }) => {
    const base = {
      contactId,
      sourceId,
      version,
      name: version.brief.displayName,
      folderIds: version.folderIds,
    };
    if (mode === 'new-folder') {
      return { ...base, action: 'create' as const, reason: 'Restored into a new folder.' };
    }
    const linked = facts.links.get(contactId);
    const identity = identityOf(version.brief);
    const match =
      (linked && facts.existing.has(linked) && { id: linked, how: 'restored there before' }) ||
      (facts.sameUser &&
        facts.existing.has(sourceId) && { id: sourceId, how: 'the same contact is still there' }) ||
      (!facts.sameUser &&
        facts.keepsUid &&
        facts.existing.has(sourceId) && { id: sourceId, how: 'a card with the same UID is there' }) ||
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

/** Names shown per action in the preview (then "and N more"). */
export const PREVIEW_NAMES = 50;

/** The first names of each action, in plan order (the order the restore writes them). */
export function planNames(plan: RestorePlan): { create: string[]; update: string[]; skip: string[] } {
  const names = { create: [] as string[], update: [] as string[], skip: [] as string[] };
  for (const planned of plan.contacts) {
    const list = names[planned.action];
    if (list.length < PREVIEW_NAMES) list.push(planned.name || '(no name)');
  }
  return names;
}

/** Counts for the preview and the report. */
export function planCounts(plan: RestorePlan): { create: number; update: number; skip: number } {
  const counts = { create: 0, update: 0, skip: 0 };
  for (const planned of plan.contacts) counts[planned.action] += 1;
  return counts;
}
