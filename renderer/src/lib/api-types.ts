/**
 * The renderer's one door to main/: the contract's types and its CHANNELS/EVENTS lists, re-exported
 * under short names. Everything else in renderer/ imports from here, so a contract change shows up
 * as a type error and the lint exception below exists in exactly one file.
 *
 * Why the eslint-disable lines: the renderer rule excludes every path under main/core and then
 * tries to re-include contract-types with a negated pattern; gitignore-style matching never
 * re-includes a file whose parent folder is excluded, so every import of the contract is reported.
 * These imports are the exception the rule intends (reported to the lead).
 */
// eslint-disable-next-line no-restricted-imports -- the contract types are the renderer's allowed import (see above)
import type { ApiError, ContactDetailsView, ResponseOf } from '../../../main/core/api/contract-types';

// eslint-disable-next-line no-restricted-imports -- the contract types are the renderer's allowed import (see above)
export { CHANNELS, EVENTS } from '../../../main/core/api/contract-types';

// eslint-disable-next-line no-restricted-imports -- the contract types are the renderer's allowed import (see above)
export type {
  AccountUserView,
  AccountView,
  ApiError,
  AppStatus,
  AuditEntryView,
  Channel,
  ContactDetailsView,
  ContactSummaryView,
  ContactsBackupApi,
  EventName,
  Events,
  ExportFormat,
  FolderView,
  LicenceView,
  NotificationView,
  RequestOf,
  ResponseOf,
  RestoreMode,
  RestorePlanView,
  RestoreRequest,
  Result,
  SessionView,
  SnapshotView,
  VersionView,
} from '../../../main/core/api/contract-types';

/** The normalized contact, reached through the contract so the renderer never imports the model. */
export type Contact = ContactDetailsView['contact'];
/** A job as the Task Manager sees it. */
export type Job = ResponseOf<'tasks.list'>[number];
export type JobState = Job['state'];
export type JobKind = Job['kind'];

/** Builds the error the renderer itself reports (no server sentence available). */
export function localError(code: string, message: string, retryable: boolean): ApiError {
  return { code, message, retryable };
}
