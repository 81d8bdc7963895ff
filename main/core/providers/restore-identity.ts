/**
 * The deterministic identity of one restored contact (providers/provider.ts WriteItem.restoreId):
 * the same restore run and backed-up contact always give the same id, so a resumed run can ask the
 * target what it already created instead of creating it again.
 */
import { createHash } from 'node:crypto';

/** Every restore id matches this (also what targets check before trusting a stored value). */
export const RESTORE_ID_PATTERN = /^cbr-[0-9a-f]{32}$/;

/** Key of the Google `clientData` entry and name of the Graph extended property holding it. */
export const RESTORE_ID_KEY = 'contactsBackupRestoreId';

/** The vCard property holding it (vCard folders and files, CardDAV). */
export const RESTORE_ID_VCARD_PROPERTY = 'X-CONTACTS-BACKUP-RESTORE-ID';

/** `cbr-` and the first 32 hex digits of sha256(runId NUL contactId). */
export function restoreIdOf(runId: string, contactId: string): string {
  return `cbr-${createHash('sha256').update(`${runId}\u0000${contactId}`).digest('hex').slice(0, 32)}`;
}

/**
 * `Contact.extra` key under which the restore engine hands a writer the backed-up contact's source
 * id, so targets that keep vCard UIDs (vCard files and folders, CardDAV) write the source's UID
 * back instead of inventing one (CardDAV servers and Apple deduplicate by UID). Writers that do not
 * keep UIDs ignore it; it is never stored in the history.
 */
export const SOURCE_UID_EXTRA = 'restore.sourceUid';

/** The source UID the engine passed in `extra`, if any. */
export function sourceUidOf(extra: Readonly<Record<string, unknown>>): string | undefined {
  const value = extra[SOURCE_UID_EXTRA];
  return typeof value === 'string' && value ? value : undefined;
}

/** `extra` without the engine's hand-over keys (what a writer stores or sends). */
export function withoutRestoreExtras(
  extra: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  if (!(SOURCE_UID_EXTRA in extra)) return extra;
  const rest: Record<string, unknown> = { ...extra };
  delete rest[SOURCE_UID_EXTRA];
  return rest;
}

/**
 * The restore ids among `restoreIds` that a target's index already holds (restoreId -> target id):
 * what `ContactWriter.findRestored` answers for targets that index their cards in memory.
 */
export function restoredAmong(
  byRestoreId: ReadonlyMap<string, string>,
  restoreIds: readonly string[],
): Map<string, string> {
  const found = new Map<string, string>();
  for (const restoreId of restoreIds) {
    const targetId = byRestoreId.get(restoreId);
    if (targetId) found.set(restoreId, targetId);
  }
  return found;
}
