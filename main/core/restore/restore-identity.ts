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
