/**
 * The renderer's one door to main/: the contract's types, its CHANNELS/EVENTS lists and page size, re-exported
 * under short names. Everything else in renderer/ imports from here, so a contract change shows up
 * as a type error. Lint lets the renderer import only the contract (see eslint.config.js).
 */
import type { ApiError, ContactDetailsView, ResponseOf } from '../../../main/core/contract/contract-types';

export {
  CHANNELS,
  EVENTS,
  LIST_PAGE_SIZE,
  MIN_PASSWORD_SCORE,
} from '../../../main/core/contract/contract-types';

export type {
  AccountUserView,
  AccountView,
  ApiError,
  AppStatus,
  AuditEntryView,
  Channel,
  ConnectFieldView,
  ContactDetailsView,
  ContactSort,
  ContactSummaryView,
  ContactsBackupApi,
  EventName,
  Events,
  ExportFormat,
  FolderView,
  LicenceView,
  NotificationView,
  ProviderView,
  RequestOf,
  ResponseOf,
  RestoreMode,
  RestorePlanView,
  RestoreRequest,
  RestoreTargetsView,
  Result,
  SessionView,
  SnapshotView,
  VersionView,
} from '../../../main/core/contract/contract-types';

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
