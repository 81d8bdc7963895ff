/**
 * The channel table's response schemas describe what the handlers really answer: a sample profile is
 * driven through the real router, and every answer is parsed with its channel's response schema.
 * Parsing strips keys a schema does not name, so `toEqual` against the answer also fails when a
 * handler sends a field the schema lacks. The request and response types are `z.infer` of the same
 * schemas, so "a schema and its type disagree" cannot happen by construction; the type checks at the
 * end hold the domain types the handlers return to the schemas (compile time, `tsc`).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { createApp } from '../../../main/core/app';
import { createRouter } from '../../../main/core/api/router';
import {
  channels,
  type Channel,
  type RequestOf,
  type ResponseOf,
} from '../../../main/core/contract/channels';
import type { JobRecord } from '../../../main/core/jobs/types';
import type { Contact, ContactFolder } from '../../../main/core/contacts/model';
import type { ContactSummary } from '../../../main/core/history/contact-queries';
import type { AccountView, SettingsView } from '../../../main/core/contract/contract-types';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);
const trusted = { trusted: true, description: 'test' };

describe('channel table', () => {
  it("parses real answers of the handlers with each channel's response schema", async () => {
    const home = await tempDir();
    const app = createApp({
      home,
      host: 'electron',
      chooseSavePath: async () => join(home, 'chosen.vcf'),
      chooseOpenPath: async () => join(home, 'chosen.vcf'),
    });
    const router = createRouter(app);
    const checked = new Set<Channel>();
    /** Calls a channel, expects success and checks the answer against the response schema. */
    async function answer<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      const result = await router.call(channel, request, trusted);
      if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
      const parsed = channels[channel].response.safeParse(result.value);
      expect(parsed.error?.issues, channel).toBeUndefined();
      expect(parsed.data, `${channel}: fields the schema does not name`).toEqual(result.value);
      checked.add(channel);
      return result.value as ResponseOf<C>;
    }

    await answer('app.status', {});
    await answer('diagnostics.report', {});
    const session = await answer('profile.create', { name: 'Ann', password: 'ann backup password' });
    await answer('app.status', {});
    await answer('providers.list', {});
    await answer('accounts.signInOptions', {});
    await answer('licence.status', {});
    await answer('accounts.addSample', {});
    await answer('backup.configure', { enabled: true, applyToEnabledUsers: true });
    await app.requireSession().jobs.idle();
    const [account] = await answer('accounts.list', {});
    const user = account.users[0];
    await answer('backup.run', { userKey: user.userKey });
    await app.requireSession().jobs.idle();
    await answer('tasks.list', {});
    const list = await answer('contacts.list', { userKey: user.userKey, limit: 50 });
    await answer('contacts.ids', { userKey: user.userKey });
    const withPhoto = list.items.find((item) => item.hasPhoto) ?? list.items[0];
    await answer('contacts.get', { contactId: withPhoto.id });
    await answer('contacts.getMany', { contactIds: [withPhoto.id] });
    await answer('folders.list', { userKey: user.userKey });
    const snapshots = await answer('snapshots.list', { userKey: user.userKey });
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    await answer('snapshots.diff', {
      userKey: user.userKey,
      from: snapshots[snapshots.length - 1].id,
      to: snapshots[0].id,
    });
    const targets = await answer('restore.targets', { userKey: user.userKey });
    // The sample source is read-only: restore into a new vCard folder, as the dialog suggests.
    const restore = {
      userKey: user.userKey,
      scope: 'contacts',
      contactIds: [withPhoto.id],
      targetPath: targets.suggestedPaths.folder,
      targetKind: 'vcard-folder',
    } as const;
    await answer('restore.preview', restore);
    await answer('restore.start', restore);
    await answer('export.choosePath', { format: 'vcf' });
    await answer('source.choosePath', { kind: 'vcard' });
    await answer('export.start', { userKey: user.userKey, format: 'vcf', path: join(home, 'out.vcf') });
    await answer('check.start', {});
    await app.requireSession().jobs.idle();
    await answer('accounts.addVcard', { path: join(home, 'out.vcf'), label: 'Exported' });
    await answer('users.refresh', { accountId: account.id });
    await answer('accounts.cancelSignIn', {});
    await app.requireSession().jobs.idle();
    await answer('tasks.list', {});
    await answer('audit.list', {});
    await answer('users.setEnabled', { accountId: account.id, userIds: [user.id], enabled: true });
    await answer('schedule.get', { userKey: user.userKey });
    await answer('schedule.set', {
      userKey: user.userKey,
      schedule: { kind: 'times', times: ['09:00'], days: [1, 2, 3, 4, 5], spread: false },
    });
    await answer('schedule.next', {});
    await answer('settings.get', {});
    await answer('settings.set', { idleLockMinutes: 10 });
    await answer('retention.get', {});
    await answer('retention.set', { policy: { kind: 'last', revisions: 5 } });
    await answer('retention.apply', {});
    await answer('profile.rename', { name: 'Ann B' });
    const { recoveryKey } = await answer('profile.createRecoveryKey', { password: 'ann backup password' });
    await answer('delete.start', {
      userKey: user.userKey,
      contactIds: [withPhoto.id],
      password: 'ann backup password',
      keepOutOfBackups: true,
    });
    await app.requireSession().jobs.idle();
    await answer('exclusions.list', { userKey: user.userKey });
    await answer('exclusions.clear', { userKey: user.userKey });
    await answer('accounts.remove', { accountId: account.id });
    await answer('profile.lock', {});
    await answer('profile.unlock', { profileId: session.profileId, password: 'ann backup password' });
    await answer('profile.changePassword', {
      currentPassword: 'ann backup password',
      newPassword: 'ann second password',
    });
    await answer('profile.lock', {});
    await answer('profile.unlockWithRecoveryKey', {
      profileId: session.profileId,
      recoveryKey,
      newPassword: 'ann third password',
    });
    await answer('profile.delete', { profileId: session.profileId, password: 'ann third password' });

    // The rest need a network sign-in, a licence key, a PST file, a form source or a job that fails
    // or is still running; their handlers' types still tie their answers to the schemas.
    const unchecked = Object.keys(channels).filter((channel) => !checked.has(channel as Channel));
    expect(unchecked.sort()).toEqual([
      'accounts.addPst',
      'accounts.connect',
      'accounts.connectForm',
      'accounts.connectTenant',
      'accounts.connectWorkspace',
      'accounts.reconnect',
      'licence.install',
      'tasks.cancel',
      'tasks.resume',
    ]);
  });

  it('ties the domain types the handlers return to the response schemas (compile time)', () => {
    expectTypeOf<JobRecord>().toExtend<ResponseOf<'tasks.list'>[number]>();
    expectTypeOf<Contact>().toExtend<ResponseOf<'contacts.get'>['contact']>();
    expectTypeOf<ContactSummary>().toExtend<ResponseOf<'contacts.list'>['items'][number]>();
    expectTypeOf<ContactFolder & { count: number }>().toExtend<ResponseOf<'folders.list'>[number]>();
    // The named types are the schemas' types, not a second declaration of them.
    expectTypeOf<ResponseOf<'accounts.addSample'>>().toEqualTypeOf<AccountView>();
    expectTypeOf<ResponseOf<'settings.get'>>().toEqualTypeOf<SettingsView>();
  });
});
