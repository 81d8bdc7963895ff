/**
 * The channel names alone: the allowlist the preload and the web shim expose. It is the one list
 * kept apart from the channel table (channels.ts) because that table holds zod schemas, and
 * deriving this list from it at run time put zod into the sandboxed preload (3 KB → 786 KB) and the
 * renderer bundle (+100 KB) for nothing but names. The compiler ties the two: a name not in the
 * table fails `satisfies`, a table channel missing here fails `everyChannelListed`, so the list
 * cannot drift. This file has no runtime imports.
 */
import type { Channel } from './channels';

/** Every channel of the table, in the table's order (a test checks the order too). */
export const CHANNELS = [
  'app.status',
  'diagnostics.report',
  'profile.create',
  'profile.unlock',
  'profile.lock',
  'accounts.list',
  'accounts.addSample',
  'accounts.addVcard',
  'accounts.remove',
  'backup.configure',
  'backup.run',
  'contacts.list',
  'contacts.ids',
  'contacts.get',
  'contacts.getMany',
  'folders.list',
  'snapshots.list',
  'tasks.list',
  'tasks.cancel',
  'tasks.resume',
  'restore.preview',
  'restore.start',
  'restore.targets',
  'export.start',
  'delete.start',
  'audit.list',
  'licence.status',
  'licence.install',
  'users.setEnabled',
  'users.refresh',
  'schedule.get',
  'schedule.set',
  'settings.get',
  'settings.set',
  'snapshots.diff',
  'check.start',
  'export.choosePath',
  'accounts.signInOptions',
  'accounts.connect',
  'accounts.reconnect',
  'accounts.cancelSignIn',
  'accounts.connectWorkspace',
  'accounts.connectTenant',
  'profile.createRecoveryKey',
  'profile.unlockWithRecoveryKey',
  'providers.list',
  'accounts.connectForm',
  'schedule.next',
  'retention.get',
  'retention.set',
  'profile.rename',
  'profile.changePassword',
  'profile.delete',
  'source.choosePath',
  'accounts.addPst',
  'exclusions.list',
  'exclusions.clear',
  'retention.apply',
] as const satisfies readonly Channel[];

/** The table's channels this list lacks; `never` when it lists them all. */
type Unlisted = Exclude<Channel, (typeof CHANNELS)[number]>;

/**
 * A compile error naming the channel when the table has one this list lacks (add it above).
 * Exported only so the check is not an unused local.
 */
export const everyChannelListed: [Unlisted] extends [never] ? true : Unlisted = true;
