/**
 * Every channel of the API, declared once (issue 13 item 1): its name, its request schema (strict,
 * bounded: the router parses every request with it) and its response schema (what the handler
 * answers; tests parse real answers with it). The channel list, the request and response types, the
 * router's validation, the handler table's type and the preload's and web shim's allowlists are all
 * derived from this table, so adding a channel here is what makes it exist. The one exception is
 * the names-only allowlist in channel-names.ts (kept free of zod for the preload and the renderer);
 * the compiler holds it to this table's keys.
 */
import { z } from 'zod';
import {
  accountView,
  appStatus,
  auditEntryView,
  chosenPath,
  connectRequest,
  connectResultView,
  connectTenantRequest,
  connectWorkspaceRequest,
  contactDetailsView,
  contactSummaryView,
  contactsFilter,
  deleteRequest,
  diffView,
  empty,
  exportFormat,
  exportRequest,
  filePath,
  folderView,
  id,
  ids,
  isoTime,
  jobRecordView,
  licenceView,
  newPassword,
  nextBackupView,
  password,
  profileName,
  providerView,
  restorePlanView,
  restoreRequest,
  restoreTargetsView,
  retentionSettings,
  retentionView,
  scheduleSpec,
  scheduleView,
  sessionView,
  settingsView,
  signInOptionsView,
  snapshotView,
  sourceKind,
  sourceLabel,
  userKey,
  type DeepReadonly,
} from './schemas';

/** A channel's two schemas and how the router treats it. */
interface ChannelEntry {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  /**
   * Answered while the history is still being read after unlocking: the channel does not touch it,
   * or (accounts, folders, the list) answers from the saved first screen. Every other request waits.
   */
  readonly beforeHistory: boolean;
}

/** Builds a table entry; a function so each entry reads `channel(request, response)`. */
function channel<Request extends z.ZodType, Response extends z.ZodType>(
  request: Request,
  response: Response,
  options: { readonly beforeHistory?: boolean } = {},
): { readonly request: Request; readonly response: Response; readonly beforeHistory: boolean } {
  return { request, response, beforeHistory: options.beforeHistory ?? false };
}

/** The option of the channels that answer before the history is read (ChannelEntry.beforeHistory). */
const beforeHistory = { beforeHistory: true } as const;

const jobs = z.array(jobRecordView);

/** The one table of channels. Order is the order of CHANNELS (the preload's and shim's allowlist). */
export const channels = {
  'app.status': channel(empty, appStatus, beforeHistory),
  /** The redacted diagnostic report (versions, recent log lines) for "Copy diagnostic report". */
  'diagnostics.report': channel(empty, z.object({ report: z.string() }), beforeHistory),
  'profile.create': channel(
    z.object({ name: profileName, password: newPassword }).strict(),
    sessionView,
    beforeHistory,
  ),
  'profile.unlock': channel(z.object({ profileId: id, password }).strict(), sessionView, beforeHistory),
  'profile.lock': channel(empty, z.null(), beforeHistory),
  'accounts.list': channel(empty, z.array(accountView), beforeHistory),
  'accounts.addSample': channel(empty, accountView),
  'accounts.addVcard': channel(
    z.object({ path: filePath, label: sourceLabel.optional() }).strict(),
    accountView,
  ),
  'accounts.remove': channel(z.object({ accountId: id }).strict(), z.null()),
  'backup.configure': channel(
    z
      .object({
        enabled: z.boolean(),
        applyToEnabledUsers: z.boolean(),
        accountIds: z.array(id).max(1000).optional(),
      })
      .strict(),
    z.object({ jobs }),
  ),
  'backup.run': channel(
    z
      .object({
        userKey,
        contactIds: ids.optional(),
        folderIds: z.array(z.string().max(400)).max(10_000).optional(),
      })
      .strict(),
    jobRecordView,
  ),
  'contacts.list': channel(
    contactsFilter
      .extend({
        offset: z.number().int().min(0).max(10_000_000).optional(),
        limit: z.number().int().min(1).max(200_000).optional(),
      })
      .strict(),
    z.object({ total: z.number(), items: z.array(contactSummaryView) }),
    beforeHistory,
  ),
  /** The ids a `contacts.list` query matches, in list order, without the rows. */
  'contacts.ids': channel(contactsFilter.strict(), z.array(z.string())),
  'contacts.get': channel(
    z.object({ contactId: id, at: isoTime.optional(), snapshotId: id.optional() }).strict(),
    contactDetailsView,
  ),
  /**
   * `contacts.get` for many contacts in one request (`contacts list --json`): the backup reads them
   * in storage order, each segment once; one by one in list order it read a segment per contact.
   */
  'contacts.getMany': channel(
    z.object({ contactIds: z.array(id).max(10_000), at: isoTime.optional() }).strict(),
    z.array(contactDetailsView),
  ),
  'folders.list': channel(
    z.object({ userKey, at: isoTime.optional() }).strict(),
    z.array(folderView),
    beforeHistory,
  ),
  'snapshots.list': channel(
    z.object({ userKey: userKey.optional() }).strict(),
    z.array(snapshotView),
    beforeHistory,
  ),
  'tasks.list': channel(empty, jobs, beforeHistory),
  'tasks.cancel': channel(z.object({ id }).strict(), jobRecordView),
  'tasks.resume': channel(z.object({ id }).strict(), jobRecordView),
  'restore.preview': channel(restoreRequest, restorePlanView),
  'restore.start': channel(restoreRequest, jobRecordView),
  'restore.targets': channel(z.object({ userKey }).strict(), restoreTargetsView),
  'export.start': channel(exportRequest, jobRecordView),
  'delete.start': channel(deleteRequest, jobRecordView),
  'audit.list': channel(
    z.object({ search: z.string().max(500).optional() }).strict(),
    z.array(auditEntryView),
    beforeHistory,
  ),
  'licence.status': channel(empty, licenceView, beforeHistory),
  'licence.install': channel(z.object({ key: z.string().min(1).max(20_000) }).strict(), licenceView),
  'users.setEnabled': channel(
    z
      .object({
        accountId: id,
        userIds: z.array(z.string().min(1).max(400)).min(1).max(100_000),
        enabled: z.boolean(),
      })
      .strict(),
    accountView,
  ),
  'users.refresh': channel(z.object({ accountId: id }).strict(), accountView),
  'schedule.get': channel(z.object({ userKey }).strict(), scheduleView, beforeHistory),
  'schedule.set': channel(
    z
      .object({
        userKey,
        schedule: scheduleSpec,
        enabled: z.boolean().optional(),
        catchUp: z.boolean().optional(),
      })
      .strict(),
    scheduleView,
  ),
  'settings.get': channel(empty, settingsView, beforeHistory),
  'settings.set': channel(settingsView.partial().strict(), settingsView),
  'snapshots.diff': channel(z.object({ userKey, from: id, to: id }).strict(), diffView),
  'check.start': channel(z.object({ repair: z.boolean().optional() }).strict(), jobRecordView),
  /** Asks the host for a file name (the native save dialog); `available` is false in the web host. */
  'export.choosePath': channel(
    z.object({ format: exportFormat, suggestedName: z.string().max(200).optional() }).strict(),
    chosenPath,
  ),
  'accounts.signInOptions': channel(empty, signInOptionsView),
  /** Signs in (answers when the browser comes back) and adds the account, or signs an existing one in again. */
  'accounts.connect': channel(connectRequest, connectResultView),
  /** "Sign in again": the same account, history and cursors. */
  'accounts.reconnect': channel(
    z
      .object({
        accountId: id,
        keyJson: z.string().min(2).max(20_000).optional(),
        clientSecret: z.string().min(1).max(300).optional(),
      })
      .strict(),
    accountView,
  ),
  /** The waiting screen's Cancel. */
  'accounts.cancelSignIn': channel(empty, z.null()),
  'accounts.connectWorkspace': channel(connectWorkspaceRequest, accountView),
  'accounts.connectTenant': channel(connectTenantRequest, accountView),
  /** A new recovery key for the open profile (the password confirmed again); shown once. */
  'profile.createRecoveryKey': channel(
    z.object({ password }).strict(),
    z.object({ recoveryKey: z.string() }),
  ),
  /** Opens a profile with its recovery key and sets a new backup password. */
  'profile.unlockWithRecoveryKey': channel(
    z.object({ profileId: id, recoveryKey: z.string().min(1).max(200), newPassword }).strict(),
    sessionView,
    beforeHistory,
  ),
  /** The source kinds of the provider registry (the connect list is built from it). */
  'providers.list': channel(empty, z.array(providerView)),
  /**
   * Connects a kind whose connect flow is a form; `secret` is sealed in the vault, never stored in
   * settings. With `accountId`: the same account again (a new app password); it keeps its backups.
   */
  'accounts.connectForm': channel(
    z
      .object({
        kind: sourceKind,
        values: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), z.string().max(2000)),
        secret: z.string().min(1).max(4096).optional(),
        label: sourceLabel.optional(),
        accountId: id.optional(),
      })
      .strict(),
    accountView,
  ),
  'schedule.next': channel(empty, nextBackupView, beforeHistory),
  'retention.get': channel(empty, retentionView),
  'retention.set': channel(retentionSettings, retentionView),
  /** Renames the open profile. */
  'profile.rename': channel(z.object({ name: profileName }).strict(), sessionView),
  /** Re-wraps the open profile's key under a new backup password. */
  'profile.changePassword': channel(z.object({ currentPassword: password, newPassword }).strict(), z.null()),
  /** Deletes a profile and every file of it; its password is asked again. Locks it first if open. */
  'profile.delete': channel(z.object({ profileId: id, password }).strict(), z.null()),
  /** Asks the host for a source file (the native open dialog); `available` is false in the web host. */
  'source.choosePath': channel(z.object({ kind: z.enum(['vcard', 'pst']) }).strict(), chosenPath),
  /** An Outlook PST file as a read-only source. */
  'accounts.addPst': channel(
    z.object({ path: filePath, label: sourceLabel.optional() }).strict(),
    accountView,
  ),
  /** The source ids of a user's contacts deleted with "keep out of backups" that backups skip. */
  'exclusions.list': channel(z.object({ userKey }).strict(), z.object({ sourceIds: z.array(z.string()) })),
  /** Lets them back in: the next backup stores them again if the source still has them. */
  'exclusions.clear': channel(z.object({ userKey }).strict(), z.object({ cleared: z.number() })),
  /** Applies the retention policy now instead of after the next backup (`retention set` does so). */
  'retention.apply': channel(empty, z.object({ revisionsRemoved: z.number(), contactsRemoved: z.number() })),
} as const satisfies Record<string, ChannelEntry>;

/** A channel name. */
export type Channel = keyof typeof channels;
/** What a caller sends on a channel (the schema's input; readonly so callers may pass readonly data). */
export type RequestOf<C extends Channel> = DeepReadonly<z.input<(typeof channels)[C]['request']>>;
/** What a handler receives: the request after the router parsed it (trimmed strings). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof channels)[C]['request']>;
/** What a channel answers. */
export type ResponseOf<C extends Channel> = DeepReadonly<z.output<(typeof channels)[C]['response']>>;
