/**
 * The zod schemas of everything that crosses the API: request pieces (bounded strings, id shapes,
 * strict objects, because data crossing a process boundary is parsed, never trusted: Signal Desktop)
 * and the views the core answers with. The view and request types in contract-types.ts are
 * `z.infer` of these (made deeply readonly), so a schema and its type cannot disagree: they are one
 * declaration. The few domain types the core owns (JobRecord, Contact, ContactFolder,
 * ContactSummary) keep their own interfaces; their schemas are tied to them by the `Agrees` checks
 * at the end of this file, a compile error when either side changes alone.
 */
import { z } from 'zod';
import type { Contact, ContactFolder } from '../contacts/model';
import type { JobRecord } from '../jobs/types';
import type { ContactSummary } from '../history/contact-queries';

/**
 * A type with every property and array readonly: the views are data the UI reads, never edits, and
 * the core builds them from its readonly domain types. Applied to `z.infer` so the readonly-ness the
 * interfaces had survives the move to schemas.
 */
export type DeepReadonly<T> = T extends (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

// ---- Request pieces: bounded, shaped, strict. ----

/** An id the core made (profile, account, contact, snapshot, job): bounded, no spaces or quotes. */
export const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:@=+\-/]+$/, 'not a valid id');
/** `accountId/userId`. */
export const userKey = z.string().min(3).max(400);
/** An ISO time with its offset: the moments a list or a restore is "as of". */
export const isoTime = z.string().datetime({ offset: true });
/** A password being checked (any length the user once chose). */
export const password = z.string().min(1).max(1024);
/** A password being set: the core's minimum length. */
export const newPassword = z.string().min(8).max(1024);
/** A profile's name as the user typed it (trimmed, so "  " is no name). */
export const profileName = z.string().trim().min(1).max(80);
/** An absolute path the user chose (a source file, an export, a restore folder). */
export const filePath = z.string().min(1).max(4096);
/** The label a user gives a source; short, it fits the Dashboard row. */
export const sourceLabel = z.string().max(120);
/** A source folder id (Google resource names, Graph ids, vCard category names: not `id`-shaped). */
export const folderId = z.string().min(1).max(400);
/** The request of a channel that takes no arguments: `{}` and nothing else. */
export const empty = z.object({}).strict();
/** Contact ids of a selection: up to a whole large address book. */
export const ids = z.array(id).max(200_000);
/** A source kind of the provider registry (`carddav`, `vcard`, ...). */
export const sourceKind = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'not a source kind');

/** The columns a contacts list can be sorted by. */
export const contactSort = z.enum(['name', 'company', 'updated']);

/** What a contacts list shows (user, folder, moment, search); `contacts.list` adds paging. */
export const contactsFilter = z.object({
  userKey: userKey.optional(),
  folderId: folderId.optional(),
  at: isoTime.optional(),
  search: z.string().max(500).optional(),
  includeDeleted: z.boolean().optional(),
  /** Column the list is ordered by (default: name); ties keep the name order. */
  sort: contactSort.optional(),
  /** Reverse the order (Z–A, newest change first). */
  descending: z.boolean().optional(),
});

/** What a restore does with a contact the target already has. */
export const restoreMode = z.enum(['new-folder', 'overwrite', 'skip']);

/** What to restore, as of when, and where to: `restore.preview` and `restore.start` take the same. */
export const restoreRequest = z
  .object({
    userKey,
    scope: z.enum(['all', 'folder', 'contacts']),
    folderId: folderId.optional(),
    contactIds: ids.optional(),
    at: isoTime.optional(),
    /** accountId/userId to restore into; default: back into the same user. */
    target: userKey.optional(),
    mode: restoreMode.optional(),
    /** Only contacts deleted at the source (as of `at`): "restore what was deleted" after a mass deletion. */
    onlyDeleted: z.boolean().optional(),
    /** Restore All / Folder: also contacts deleted at the source by `at` ("include deleted contacts"). */
    includeDeleted: z.boolean().optional(),
    /** Restore into a new vCard folder or file at this absolute path instead of an account. */
    targetPath: filePath.optional(),
    /** What `targetPath` is: a folder of .vcf files, or one .vcf file. */
    targetKind: z.enum(['vcard-folder', 'vcard-file']).optional(),
  })
  .strict();

/** The file formats an export writes. */
export const exportFormat = z.enum(['pst', 'vcf', 'vcf3', 'csv-google', 'csv-outlook']);

/** What to export and where to. */
export const exportRequest = z
  .object({
    userKey,
    format: exportFormat,
    contactIds: ids.optional(),
    folderIds: z.array(folderId).max(10_000).optional(),
    at: isoTime.optional(),
    /** Where to write; in the web host a file under the data folder's exports/ is used when omitted. */
    path: filePath.optional(),
    /** Wrap the file in an AES-256 ZIP with this password (the path then ends in .zip). Never stored. */
    zipPassword: newPassword.optional(),
  })
  .strict();

/** What to delete from the backup; the password is asked again for it. */
export const deleteRequest = z
  .object({
    userKey,
    contactIds: ids.optional(),
    folderId: folderId.optional(),
    password,
    /**
     * Keep the deleted contacts out of every later backup while they still exist at the source
     * (otherwise the next backup stores them again, as new contacts without their old versions).
     */
    keepOutOfBackups: z.boolean().optional(),
  })
  .strict();

/** Connect Google / Microsoft from the app: the app's registration, or the user's own client id. */
export const connectRequest = z
  .object({
    provider: z.enum(['google', 'microsoft']),
    clientId: z.string().trim().min(1).max(300).optional(),
    /** Google desktop clients' (non-confidential) secret, with the user's own client id. */
    clientSecret: z.string().min(1).max(300).optional(),
    /** Google: also back up "Other contacts" (read-only, in a folder of their own). */
    otherContacts: z.boolean().optional(),
  })
  .strict();

/** Google Workspace (business edition): a service-account key with domain-wide delegation. */
export const connectWorkspaceRequest = z
  .object({
    adminEmail: z.string().trim().email().max(320),
    domain: z.string().trim().min(1).max(253).optional(),
    /** The key file's JSON text, read in the window from the file picker; sealed in the vault. */
    keyJson: z.string().min(2).max(20_000),
  })
  .strict();

/** A Microsoft 365 tenant (business edition): app-only access with the app's client secret. */
export const connectTenantRequest = z
  .object({
    tenantId: z.string().trim().min(1).max(200),
    clientId: z.string().trim().min(1).max(300),
    clientSecret: z.string().min(1).max(300),
  })
  .strict();

/** A backup schedule: times of day on weekdays, or a cron expression. */
export const scheduleSpec = z.union([
  z
    .object({
      kind: z.literal('times'),
      times: z
        .array(z.string().regex(/^\d{2}:\d{2}$/))
        .min(1)
        .max(48),
      days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
      spread: z.boolean(),
    })
    .strict(),
  z.object({ kind: z.literal('cron'), expression: z.string().min(1).max(200) }).strict(),
]);

/** How long old revisions are kept (product.md B6); the request of `retention.set` and part of its view. */
export const retentionSettings = z
  .object({
    policy: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('all') }).strict(),
      z.object({ kind: z.literal('last'), revisions: z.number().int().min(1).max(100_000) }).strict(),
      z.object({ kind: z.literal('days'), days: z.number().int().min(1).max(36_500) }).strict(),
      z
        .object({
          kind: z.literal('gfs'),
          daily: z.number().int().min(0).max(3650),
          weekly: z.number().int().min(0).max(520),
          monthly: z.number().int().min(0).max(1200),
        })
        .strict(),
    ]),
    /** Days to keep contacts deleted at the source; undefined keeps them forever. */
    deletedKeepDays: z.number().int().min(0).max(36_500).optional(),
    /** Days to wait before anything the policy lets go is removed. */
    purgeDelayDays: z.number().int().min(0).max(3650).optional(),
  })
  .strict();

/** The app's settings; `settings.set` takes any part of it (`.partial()`), with the same bounds. */
export const settingsView = z
  .object({
    notifications: z
      .object({
        jobCreated: z.boolean(),
        jobFailed: z.boolean(),
        massDeletion: z.boolean(),
        signInNeeded: z.boolean(),
      })
      .strict(),
    massDeletion: z
      .object({ share: z.number().min(0.01).max(1), minimum: z.number().int().min(1).max(1_000_000) })
      .strict(),
    /** Lock the profile after this many idle minutes (0: never). */
    idleLockMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    /** Start the desktop app (in the tray) when the user logs in, so scheduled backups run. */
    startAtLogin: z.boolean(),
  })
  .strict();

// ---- Views: what the core answers. Descriptive (not bounded): the core made them. ----

/** A profile on the unlock screen's list (no secrets: it is shown before unlocking). */
export const profileView = z.object({
  id: z.string(),
  name: z.string(),
  /** When it was made (the profile list; a window adding one it just made may leave it out). */
  createdAt: z.string().optional(),
});

/** The open profile. */
export const sessionView = z.object({ profileId: z.string(), profileName: z.string() });

/** What the window needs before anything else: the host, the profiles, the open session. */
export const appStatus = z.object({
  version: z.string(),
  host: z.enum(['electron', 'web', 'cli']),
  profiles: z.array(profileView),
  session: sessionView.optional(),
});

/** One user (mailbox) of an account, with its last backup, as the Dashboard shows it. */
export const accountUserView = z.object({
  userKey: z.string(),
  id: z.string(),
  email: z.string(),
  displayName: z.string().optional(),
  enabled: z.boolean(),
  active: z.boolean(),
  lastBackupAt: z.string().optional(),
  lastBackupState: z.string().optional(),
  contactCount: z.number(),
  /** Why this user cannot be backed up now, as a sentence; undefined when it can. */
  blockedReason: z.string().optional(),
});

/** A connected source and its users. */
export const accountView = z.object({
  id: z.string(),
  kind: z.string(),
  label: z.string(),
  status: z.enum(['ok', 'sign-in-needed']),
  backupEnabled: z.boolean(),
  users: z.array(accountUserView),
  /** The kind's display name from the provider registry (e.g. "CardDAV (iCloud, …)"). */
  kindName: z.string().optional(),
  /** For kinds connected with a form: the non-secret values, to fill the form when connecting again. */
  connectValues: z.record(z.string(), z.string()).optional(),
  /** For kinds that sign in: what "Sign in again" asks for (a browser sign-in, a key file, a secret). */
  renewal: z.enum(['browser', 'key-file', 'client-secret']).optional(),
  /** 'directory': its users come from an organisation's directory and need business seats. */
  seatSource: z.enum(['own', 'directory']),
});

/** One input of a provider's connect form (providers/provider-descriptor.ts ConnectField). */
export const connectFieldView = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(['text', 'url', 'password', 'select']),
  required: z.boolean(),
  secret: z.boolean().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  defaultValue: z.string().optional(),
  placeholder: z.string().optional(),
  showWhen: z.object({ field: z.string(), values: z.array(z.string()) }).optional(),
});

/** A source kind the app can connect: the public part of its registry descriptor. */
export const providerView = z.object({
  kind: z.string(),
  displayName: z.string(),
  description: z.string(),
  capabilities: z.object({ writable: z.boolean(), folders: z.boolean(), photos: z.boolean() }),
  /** builtin: one button; file: a path; sign-in: a browser sign-in; form: `fields`, sent to accounts.connect. */
  connect: z.object({
    flow: z.enum(['builtin', 'file', 'sign-in', 'form']),
    fields: z.array(connectFieldView),
  }),
});

/** A row of the contacts list: the history's ContactSummary (tied to it below). */
export const contactSummaryView = z.object({
  id: z.string(),
  userKey: z.string(),
  displayName: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  organization: z.string().optional(),
  folderIds: z.array(z.string()),
  hasPhoto: z.boolean(),
  deleted: z.boolean(),
  versions: z.number(),
  updatedAt: z.string(),
});

const partialDate = z.object({
  year: z.number().optional(),
  month: z.number().optional(),
  day: z.number().optional(),
  text: z.string().optional(),
});
const typedValue = z.object({
  value: z.string(),
  type: z.string().optional(),
  label: z.string().optional(),
  primary: z.boolean().optional(),
});
const optionalStrings = <K extends string>(keys: readonly K[]) =>
  z.object(
    Object.fromEntries(keys.map((key) => [key, z.string().optional()])) as Record<
      K,
      z.ZodOptional<z.ZodString>
    >,
  );

/** The normalized contact (contacts/model.ts Contact, tied to it below). */
export const contactView = z.object({
  displayName: z.string(),
  name: optionalStrings([
    'given',
    'family',
    'middle',
    'prefix',
    'suffix',
    'phoneticGiven',
    'phoneticFamily',
    'phoneticMiddle',
  ]),
  nicknames: z.array(z.string()),
  fileAs: z.string().optional(),
  emails: z.array(typedValue),
  phones: z.array(typedValue),
  addresses: z.array(
    optionalStrings([
      'type',
      'label',
      'street',
      'extended',
      'poBox',
      'city',
      'region',
      'postalCode',
      'country',
      'countryCode',
      'formatted',
    ]).extend({ primary: z.boolean().optional() }),
  ),
  urls: z.array(typedValue),
  organizations: z.array(
    optionalStrings(['name', 'department', 'title', 'location', 'profession']).extend({
      primary: z.boolean().optional(),
    }),
  ),
  birthday: partialDate.optional(),
  events: z.array(z.object({ type: z.string(), label: z.string().optional(), date: partialDate })),
  notes: z.string().optional(),
  relations: z.array(z.object({ name: z.string(), type: z.string() })),
  imAddresses: z.array(typedValue),
  sipAddresses: z.array(typedValue),
  customFields: z.array(z.object({ key: z.string(), value: z.string() })),
  folderIds: z.array(z.string()),
  photo: z.object({ hash: z.string(), mediaType: z.string() }).optional(),
  gender: z.string().optional(),
  extra: z.record(z.string(), z.unknown()),
});

/** One stored version of a contact, from when until when it held. */
export const versionView = z.object({
  snapshotId: z.string(),
  from: z.string(),
  until: z.string().optional(),
  deletedAt: z.string().optional(),
});

/** The info pane: a contact as of a moment, its photo, folders and versions. */
export const contactDetailsView = z.object({
  summary: contactSummaryView,
  /** The contact's id at its source (Google's resource name, Graph's id, the vCard UID...). */
  sourceId: z.string(),
  contact: contactView,
  /** data: URL of the photo, when the contact has one. */
  photoDataUrl: z.string().optional(),
  folderNames: z.array(z.string()),
  versions: z.array(versionView),
});

/** A folder (contacts/model.ts ContactFolder, tied to it below). */
export const contactFolderView = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().optional(),
  system: z.enum(['default', 'starred']).optional(),
});

/** A folder with the count of contacts in it (the folder tree). */
export const folderView = contactFolderView.extend({ count: z.number() });

/** One backup run of a user (the point-in-time list). */
export const snapshotView = z.object({
  id: z.string(),
  userKey: z.string(),
  kind: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  counts: z.record(z.string(), z.number()),
  massDeletion: z.object({ deleted: z.number(), before: z.number() }).optional(),
});

/** A place a restore can go, or one that is not offered and why. */
export const restoreTargetView = z.object({
  /** `accountId/userId`, for account targets. */
  userKey: z.string().optional(),
  kind: z.enum(['account', 'vcard-folder', 'vcard-file']),
  label: z.string(),
  /** Set when the target is not offered: the sentence saying why. */
  notOffered: z.string().optional(),
});

/** The targets of a restore from one user (Restore dialog, `restore --list-targets`). */
export const restoreTargetsView = z.object({
  /** Account targets that can take the restore, the source's own user first when it is writable. */
  targets: z.array(restoreTargetView),
  /** Accounts that are not offered, each with its reason. */
  notOffered: z.array(restoreTargetView),
  /** What the dialog picks first: back into the same user, or a new vCard folder (read-only sources). */
  suggested: z.enum(['same-user', 'vcard-folder']),
  /** A fresh path under the data folder for "a new vCard folder" and "a new vCard file". */
  suggestedPaths: z.object({ folder: z.string(), file: z.string() }),
});

/** What a restore would do (the Restore dialog's preview). */
export const restorePlanView = z.object({
  create: z.number(),
  update: z.number(),
  skip: z.number(),
  /** The first 50 names of each action, in the order the restore writes them ("and N more" after). */
  names: z
    .object({ create: z.array(z.string()), update: z.array(z.string()), skip: z.array(z.string()) })
    .optional(),
  /** Where the contacts go, in words. */
  targetLabel: z.string().optional(),
  folders: z.number(),
  reasons: z.array(z.object({ contactId: z.string(), action: z.string(), reason: z.string() })),
  unmappedFields: z.array(z.string()),
});

/** One line of the audit log (Settings). */
export const auditEntryView = z.object({ at: z.string(), action: z.string(), description: z.string() });

/** The licence and its seats. */
export const licenceView = z.object({
  edition: z.enum(['personal', 'business']),
  state: z.enum(['valid', 'expired', 'invalid', 'none']),
  licensee: z.string().optional(),
  seats: z.number(),
  used: z.number(),
  free: z.number(),
  expiresAt: z.string().optional(),
  /** A sentence for the user when the licence is missing, expired or invalid. */
  message: z.string().optional(),
});

/** A user's backup schedule and its next runs. */
export const scheduleView = z.object({
  userKey: z.string(),
  schedule: scheduleSpec,
  nextRuns: z.array(z.string()),
  /** Scheduled backups of this user on (true unless turned off in Settings). */
  enabled: z.boolean().optional(),
  /** Run once after the computer slept or the app was closed over a backup time (default true). */
  catchUp: z.boolean().optional(),
});

/** The next automatic backup of any user of the profile ("Next backup at ..."). */
export const nextBackupView = z.object({
  /** ISO time; undefined when no backup is scheduled. */
  at: z.string().optional(),
  userKey: z.string().optional(),
  /** Who it backs up, as a person reads it (email or name). */
  userLabel: z.string().optional(),
});

/** The retention settings, in words, and what the next run removes. */
export const retentionView = z.object({
  settings: retentionSettings,
  /** The policy as a sentence. */
  description: z.string(),
  /** What the next run (after the next backup) removes if nothing changes before. */
  nextRun: z.object({ revisions: z.number(), contacts: z.number() }),
});

const diffEntry = z.object({ contactId: z.string(), displayName: z.string() });
/** What changed between two snapshots of a user. */
export const diffView = z.object({
  added: z.array(diffEntry),
  changed: z.array(diffEntry.extend({ fields: z.array(z.string()) })),
  deleted: z.array(diffEntry),
});

/** Which sign-ins this build can offer with its own app registrations (issue 14, item 1). */
export const signInOptionsView = z.object({
  /** True when the build ships the app's own Google desktop OAuth client. */
  google: z.boolean(),
  /** True when the build ships the app's own Microsoft public-client id. */
  microsoft: z.boolean(),
});

/** What connecting did: a new account, or a new sign-in of the account that had this mailbox. */
export const connectResultView = z.object({
  account: accountView,
  outcome: z.enum(['added', 'reconnected']),
});

/** A job as every reader sees it (jobs/types.ts JobRecord, tied to it below). */
export const jobRecordView = z.object({
  id: z.string(),
  kind: z.enum(['backup', 'restore', 'export', 'delete', 'check']),
  title: z.string(),
  scope: z.object({
    accountId: z.string().optional(),
    userId: z.string().optional(),
    folderIds: z.array(z.string()).optional(),
    contactIds: z.array(z.string()).optional(),
    counts: z.record(z.string(), z.number()).optional(),
  }),
  origin: z.enum(['user', 'schedule', 'catch-up', 'tray', 'cli']),
  urgent: z.boolean(),
  state: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
  progress: z.object({ phase: z.string(), done: z.number(), total: z.number().optional() }),
  counts: z.record(z.string(), z.number()),
  log: z.array(z.object({ at: z.string(), text: z.string() })),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  params: z.unknown(),
  queue: z.object({ lockKey: z.string(), dedupeKey: z.string().optional() }).optional(),
  result: z.unknown().optional(),
  cancelling: z.boolean().optional(),
});

/** A host's file dialog answer; `available` is false where there is no dialog (the web host). */
export const chosenPath = z.object({ available: z.boolean(), path: z.string().optional() });

// ---- Ties between the domain's own interfaces and their schemas (compile-time). ----

/**
 * True when a domain type and a schema's type describe exactly the same data once both are made
 * readonly (the domain keeps its arrays readonly, `z.infer` does not): a field added, removed, made
 * optional or retyped on one side only makes it false. Exact equality, not assignability, because an
 * optional field missing from one side would still be assignable both ways.
 */
type Agrees<Domain, Schema extends z.ZodType> =
  (<T>() => T extends DeepReadonly<Domain> ? 1 : 2) extends <T>() => T extends DeepReadonly<z.output<Schema>>
    ? 1
    : 2
    ? true
    : false;
type Holds<T extends true> = T;

/** Compile-time ties (exported only so they are not unused); each fails to compile on drift. */
export type _JobRecordAgrees = Holds<Agrees<JobRecord, typeof jobRecordView>>;
export type _ContactAgrees = Holds<Agrees<Contact, typeof contactView>>;
export type _ContactFolderAgrees = Holds<Agrees<ContactFolder, typeof contactFolderView>>;
export type _ContactSummaryAgrees = Holds<Agrees<ContactSummary, typeof contactSummaryView>>;
