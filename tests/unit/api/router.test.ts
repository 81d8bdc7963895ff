import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../main/core/app';
import { createRouter } from '../../../main/core/api/router';
import {
  CHANNELS,
  type Channel,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../../main/core/contract/contract-types';
import { channels } from '../../../main/core/contract/channels';
import { handlers } from '../../../main/core/api/handlers';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);
const trusted = { trusted: true, description: 'test' };

describe('API router', () => {
  it('has a schema and a handler for exactly the channels of the contract', () => {
    // The zod-free name list (channel-names.ts) is the table's keys in the table's order.
    expect(Object.keys(channels)).toEqual([...CHANNELS]);
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
  });

  it('drops requests from untrusted senders before touching the core', async () => {
    const router = createRouter(createApp({ home: await tempDir(), host: 'web' }));
    const result = await router.call('app.status', {}, { trusted: false, description: 'evil frame' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'This window may not use the app.', retryable: false },
    });
  });

  it('rejects unknown channels, unknown keys and malformed values with a sentence', async () => {
    const router = createRouter(createApp({ home: await tempDir(), host: 'web' }));
    const unknown = await router.call('fs.readFile', {}, trusted);
    expect(unknown.ok).toBe(false);
    const extraKey = await router.call('app.status', { admin: true }, trusted);
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const badTime = await router.call('contacts.list', { at: 'yesterday' }, trusted);
    expect(badTime).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const shortPassword = await router.call('profile.create', { name: 'A', password: 'short' }, trusted);
    expect(shortPassword).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('answers locked calls with "locked", and a wrong password with its own code', async () => {
    const home = await tempDir();
    const app = createApp({ home, host: 'web' });
    const router = createRouter(app);
    expect(await router.call('contacts.list', {}, trusted)).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    const created = await router.call(
      'profile.create',
      { name: 'Ann', password: 'ann backup password' },
      trusted,
    );
    expect(created).toMatchObject({ ok: true, value: { profileName: 'Ann' } });
    await router.call('profile.lock', {}, trusted);
    const profileId = (created as { value: { profileId: string } }).value.profileId;
    const wrong = await router.call('profile.unlock', { profileId, password: 'not the password' }, trusted);
    expect(wrong).toEqual({
      ok: false,
      error: { code: 'wrong-password', message: 'That backup password is not correct.', retryable: false },
    });
  });

  it('runs the sample path: add sample, configure backup, browse, details with photo', async () => {
    const app = createApp({ home: await tempDir(), host: 'web' });
    const untyped = createRouter(app);
    const router = {
      call: <C extends Channel>(channel: C, request: RequestOf<C>, sender: typeof trusted) =>
        untyped.call(channel, request, sender) as Promise<Result<ResponseOf<C>>>,
    };
    const pushes: string[] = [];
    app.subscribe((event) => pushes.push(event));
    await router.call('profile.create', { name: 'Ann', password: 'ann backup password' }, trusted);
    const account = await router.call('accounts.addSample', {}, trusted);
    expect(account.ok).toBe(true);
    const configured = await router.call(
      'backup.configure',
      { enabled: true, applyToEnabledUsers: true },
      trusted,
    );
    expect(configured.ok && configured.value.jobs).toHaveLength(1);
    await app.requireSession().jobs.idle();
    expect(pushes).toContain('notification');
    expect(pushes).toContain('tasks.changed');
    const accounts = await router.call('accounts.list', {}, trusted);
    const user = accounts.ok ? accounts.value[0].users[0] : undefined;
    expect(user?.contactCount).toBe(340);
    const list = await router.call('contacts.list', { userKey: user!.userKey, limit: 500 }, trusted);
    expect(list.ok && list.value.total).toBe(340);
    const withPhoto = list.ok ? list.value.items.find((item) => item.hasPhoto) : undefined;
    const details = await router.call('contacts.get', { contactId: withPhoto!.id }, trusted);
    expect(details.ok && details.value.photoDataUrl).toMatch(/^data:image\/png;base64,iVBOR/);
    const folders = await router.call('folders.list', { userKey: user!.userKey }, trusted);
    expect(folders.ok && folders.value.length).toBeGreaterThanOrEqual(5);
    const audit = await router.call('audit.list', {}, trusted);
    expect(audit.ok && audit.value.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['backup', 'account', 'setting']),
    );
    await app.lock();
  });

  it('offers the native save dialog only where the host has one', async () => {
    const asked: unknown[] = [];
    const desktop = createApp({
      home: await tempDir(),
      host: 'electron',
      chooseSavePath: async (options) => (asked.push(options), '/home/ann/contacts.pst'),
    });
    const web = createApp({ home: await tempDir(), host: 'web' });
    for (const app of [desktop, web]) {
      await createRouter(app).call(
        'profile.create',
        { name: 'Ann', password: 'ann backup password' },
        trusted,
      );
    }
    expect(await createRouter(desktop).call('export.choosePath', { format: 'pst' }, trusted)).toEqual({
      ok: true,
      value: { available: true, path: '/home/ann/contacts.pst' },
    });
    expect(asked).toEqual([{ defaultName: 'contacts.pst', extension: 'pst' }]);
    expect(await createRouter(web).call('export.choosePath', { format: 'csv-google' }, trusted)).toEqual({
      ok: true,
      value: { available: false },
    });
    await desktop.lock();
    await web.lock();
  });
});
