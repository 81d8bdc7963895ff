/**
 * Request schemas for every channel. Data crossing a process boundary is parsed, never trusted
 * (Signal Desktop): unknown keys are rejected, strings are bounded, ids have a shape.
 */
import { z } from 'zod';
import type { Channel, RequestOf } from '../contract/contract-types';

const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:@=+\-/]+$/, 'not a valid id');
const userKey = z.string().min(3).max(400);
const isoTime = z.string().datetime({ offset: true });
const password = z.string().min(1).max(1024);
const empty = z.object({}).strict();
const ids = z.array(id).max(200_000);

/** What a contacts list shows (user, folder, moment, search); `contacts.list` adds paging. */
const contactsFilter = z.object({
  userKey: userKey.optional(),
  folderId: z.string().min(1).max(400).optional(),
  at: isoTime.optional(),
  search: z.string().max(500).optional(),
  includeDeleted: z.boolean().optional(),
  sort: z.enum(['name', 'company', 'updated']).optional(),
  descending: z.boolean().optional(),
});

const restoreRequest = z
  .object({
    userKey,
    scope: z.enum(['all', 'folder', 'contacts']),
    folderId: z.string().min(1).max(400).optional(),
    contactIds: ids.optional(),
    at: isoTime.optional(),
    target: userKey.optional(),
    mode: z.enum(['new-folder', 'overwrite', 'skip']).optional(),
    onlyDeleted: z.boolean().optional(),
    includeDeleted: z.boolean().optional(),
    targetPath: z.string().min(1).max(4096).optional(),
    targetKind: z.enum(['vcard-folder', 'vcard-file']).optional(),
  })
  .strict();

/** One schema per channel; `satisfies` keeps them in step with the types in contract-types.ts. */
export const requestSchemas = {
  'app.status': empty,
  'diagnostics.report': empty,
  'profile.create': z
    .object({ name: z.string().trim().min(1).max(80), password: z.string().min(8).max(1024) })
    .strict(),
  'profile.unlock': z.object({ profileId: id, password }).strict(),
  'profile.lock': empty,
  'accounts.list': empty,
  'accounts.addSample': empty,
  'accounts.addVcard': z
    .object({ path: z.string().min(1).max(4096), label: z.string().max(120).optional() })
    .strict(),
  'accounts.remove': z.object({ accountId: id }).strict(),
  'backup.configure': z
    .object({
      enabled: z.boolean(),
      applyToEnabledUsers: z.boolean(),
      accountIds: z.array(id).max(1000).optional(),
    })
    .strict(),
  'backup.run': z
    .object({
      userKey,
      contactIds: ids.optional(),
      folderIds: z.array(z.string().max(400)).max(10_000).optional(),
    })
    .strict(),
  'contacts.list': contactsFilter
    .extend({
      offset: z.number().int().min(0).max(10_000_000).optional(),
      limit: z.number().int().min(1).max(200_000).optional(),
    })
    .strict(),
  'contacts.ids': contactsFilter.strict(),
  'contacts.get': z.object({ contactId: id, at: isoTime.optional(), snapshotId: id.optional() }).strict(),
  'folders.list': z.object({ userKey, at: isoTime.optional() }).strict(),
  'snapshots.list': z.object({ userKey: userKey.optional() }).strict(),
  'tasks.list': empty,
  'tasks.cancel': z.object({ id }).strict(),
  'tasks.resume': z.object({ id }).strict(),
  'restore.preview': restoreRequest,
  'restore.start': restoreRequest,
  'restore.targets': z.object({ userKey }).strict(),
  'export.start': z
    .object({
      userKey,
      format: z.enum(['pst', 'vcf', 'vcf3', 'csv-google', 'csv-outlook']),
      contactIds: ids.optional(),
      folderIds: z.array(z.string().min(1).max(400)).max(10_000).optional(),
      at: isoTime.optional(),
      path: z.string().min(1).max(4096).optional(),
      zipPassword: z.string().min(8).max(1024).optional(),
    })
    .strict(),
  'delete.start': z
    .object({
      userKey,
      contactIds: ids.optional(),
      folderId: z.string().min(1).max(400).optional(),
      password,
      keepOutOfBackups: z.boolean().optional(),
    })
    .strict(),
  'audit.list': z.object({ search: z.string().max(500).optional() }).strict(),
  'licence.status': empty,
  'licence.install': z.object({ key: z.string().min(1).max(20_000) }).strict(),
  'users.setEnabled': z
    .object({
      accountId: id,
      userIds: z.array(z.string().min(1).max(400)).min(1).max(100_000),
      enabled: z.boolean(),
    })
    .strict(),
  'users.refresh': z.object({ accountId: id }).strict(),
  'schedule.get': z.object({ userKey }).strict(),
  'schedule.set': z
    .object({
      userKey,
      schedule: z.union([
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
      ]),
      enabled: z.boolean().optional(),
      catchUp: z.boolean().optional(),
    })
    .strict(),
  'settings.get': empty,
  'settings.set': z
    .object({
      notifications: z
        .object({
          jobCreated: z.boolean(),
          jobFailed: z.boolean(),
          massDeletion: z.boolean(),
          signInNeeded: z.boolean(),
        })
        .strict()
        .optional(),
      massDeletion: z
        .object({ share: z.number().min(0.01).max(1), minimum: z.number().int().min(1).max(1_000_000) })
        .strict()
        .optional(),
      idleLockMinutes: z
        .number()
        .int()
        .min(0)
        .max(24 * 60)
        .optional(),
      startAtLogin: z.boolean().optional(),
    })
    .strict(),
  'snapshots.diff': z.object({ userKey, from: id, to: id }).strict(),
  'check.start': z.object({ repair: z.boolean().optional() }).strict(),
  'providers.list': empty,
  'accounts.connectForm': z
    .object({
      kind: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'not a source kind'),
      values: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), z.string().max(2000)),
      secret: z.string().min(1).max(4096).optional(),
      label: z.string().max(120).optional(),
      accountId: id.optional(),
    })
    .strict(),
  'export.choosePath': z
    .object({
      format: z.enum(['pst', 'vcf', 'vcf3', 'csv-google', 'csv-outlook']),
      suggestedName: z.string().max(200).optional(),
    })
    .strict(),
  'accounts.signInOptions': empty,
  'accounts.connect': z
    .object({
      provider: z.enum(['google', 'microsoft']),
      clientId: z.string().trim().min(1).max(300).optional(),
      clientSecret: z.string().min(1).max(300).optional(),
      otherContacts: z.boolean().optional(),
    })
    .strict(),
  'accounts.reconnect': z
    .object({
      accountId: id,
      keyJson: z.string().min(2).max(20_000).optional(),
      clientSecret: z.string().min(1).max(300).optional(),
    })
    .strict(),
  'accounts.cancelSignIn': empty,
  'accounts.connectWorkspace': z
    .object({
      adminEmail: z.string().trim().email().max(320),
      domain: z.string().trim().min(1).max(253).optional(),
      keyJson: z.string().min(2).max(20_000),
    })
    .strict(),
  'accounts.connectTenant': z
    .object({
      tenantId: z.string().trim().min(1).max(200),
      clientId: z.string().trim().min(1).max(300),
      clientSecret: z.string().min(1).max(300),
    })
    .strict(),
  'profile.createRecoveryKey': z.object({ password }).strict(),
  'profile.unlockWithRecoveryKey': z
    .object({
      profileId: id,
      recoveryKey: z.string().min(1).max(200),
      newPassword: z.string().min(8).max(1024),
    })
    .strict(),
  'schedule.next': empty,
  'retention.get': empty,
  'retention.set': z
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
      deletedKeepDays: z.number().int().min(0).max(36_500).optional(),
      purgeDelayDays: z.number().int().min(0).max(3650).optional(),
    })
    .strict(),
  'profile.rename': z.object({ name: z.string().trim().min(1).max(80) }).strict(),
  'profile.changePassword': z
    .object({ currentPassword: password, newPassword: z.string().min(8).max(1024) })
    .strict(),
  'profile.delete': z.object({ profileId: id, password }).strict(),
  'source.choosePath': z.object({ kind: z.enum(['vcard', 'pst']) }).strict(),
  'accounts.addPst': z
    .object({ path: z.string().min(1).max(4096), label: z.string().max(120).optional() })
    .strict(),
} satisfies { [C in Channel]: z.ZodType<RequestOf<C>> };
