/**
 * Issue 16 items 1 and 2 through the router, as the renderer calls them: schedule on/off, catch-up
 * and the next backup; retention with what its next run removes; start at login; profiles renamed,
 * re-passworded and deleted; and the pushes every finished backup, restore and delete causes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { emptyContact } from '../../../main/core/contacts/model';
import { createRouter } from '../../../main/core/api/router';
import type { Channel, EventName, RequestOf, ResponseOf } from '../../../main/core/contract/contract-types';
import { configureBackup } from '../../../main/core/session/backup-service';
import { MemoryBook } from '../../support/memory-provider';
import { createTestApp } from '../../support/test-app';
import { removeTempDirs } from '../../support/temp-dir';

afterAll(removeTempDirs);

const sender = { trusted: true, description: 'test' };

async function setup(now = '2026-06-01T09:00:00') {
  let time = new Date(now).getTime();
  const clock = { now: () => new Date(time) };
  const ticks: (() => void)[] = [];
  const test = await createTestApp({
    clock,
    scheduler: { timers: { everyMinute: (tick) => (ticks.push(tick), () => undefined) } },
  });
  const router = createRouter(test.app);
  const call = async <C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const result = await router.call(channel, request, sender);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as ResponseOf<C>;
  };
  const events: [EventName, unknown][] = [];
  test.app.subscribe((event, payload) => events.push([event, payload]));
  return {
    test,
    call,
    events,
    /** Moves the clock minute by minute, ticking the scheduler each minute. */
    advance(minutes: number) {
      for (let minute = 0; minute < minutes; minute += 1) {
        time += 60_000;
        for (const tick of ticks) tick();
      }
    },
  };
}

function book(names: string[]): MemoryBook {
  const result = new MemoryBook();
  names.forEach((name, index) => result.put(`c${index}`, { ...emptyContact(name) }));
  return result;
}

describe('settings channels', () => {
  it('gives the next backup, turns one user off and catch-up off, and fires on the fake clock', async () => {
    const { test, call, advance } = await setup();
    const user = await test.addBook('One', book(['Ada']));
    expect(await call('schedule.next', {})).toEqual({});
    await configureBackup(test.session, { enabled: true, applyToEnabledUsers: false });
    await call('schedule.set', {
      userKey: user,
      schedule: { kind: 'times', times: ['09:30'], days: [0, 1, 2, 3, 4, 5, 6], spread: false },
    });
    const next = await call('schedule.next', {});
    expect(next.userKey).toBe(user);
    expect(new Date(next.at!).getHours()).toBe(9);
    expect(new Date(next.at!).getMinutes()).toBe(30);
    advance(31);
    await test.session.jobs.idle();
    expect(test.session.jobs.list().filter((job) => job.origin === 'schedule')).toHaveLength(1);

    const off = await call('schedule.set', {
      userKey: user,
      schedule: { kind: 'times', times: ['09:30'], days: [0, 1, 2, 3, 4, 5, 6], spread: false },
      enabled: false,
      catchUp: false,
    });
    expect(off).toMatchObject({ enabled: false, catchUp: false, nextRuns: [] });
    expect(await call('schedule.next', {})).toEqual({});
    advance(24 * 60);
    await test.session.jobs.idle();
    expect(test.session.jobs.list().filter((job) => job.origin === 'schedule')).toHaveLength(1);
  });

  it('saves retention, says what the next run removes, and the next backup prunes it', async () => {
    const { test, call, advance } = await setup();
    const source = book(['Ada']);
    const user = await test.addBook('One', source);
    for (const phone of ['1', '2', '3']) {
      source.put('c0', { ...emptyContact('Ada'), phones: [{ value: phone }] });
      await test.session.jobs.wait((await call('backup.run', { userKey: user })).id);
      advance(60);
    }
    const before = await call('retention.get', {});
    expect(before.settings.policy).toEqual({ kind: 'all' });
    expect(before.nextRun).toEqual({ revisions: 0, contacts: 0 });
    const set = await call('retention.set', { policy: { kind: 'last', revisions: 1 } });
    expect(set.description).toMatch(/^Keep the last 1 version of each contact/);
    expect(set.nextRun.revisions).toBe(2);
    const job = await test.session.jobs.wait((await call('backup.run', { userKey: user })).id);
    expect(job.counts.pruned).toBe(2);
    expect((await call('retention.get', {})).nextRun.revisions).toBe(0);
    const details = await call('contacts.get', {
      contactId: (await call('contacts.list', { userKey: user })).items[0].id,
    });
    expect(details.versions).toHaveLength(1);
  });

  it('applies retention at once when asked, and tells every window the history changed', async () => {
    const { test, call, advance, events } = await setup();
    const source = book(['Ada']);
    const user = await test.addBook('One', source);
    for (const phone of ['1', '2']) {
      source.put('c0', { ...emptyContact('Ada'), phones: [{ value: phone }] });
      await test.session.jobs.wait((await call('backup.run', { userKey: user })).id);
      advance(60);
    }
    await call('retention.set', { policy: { kind: 'last', revisions: 1 } });
    events.length = 0;
    expect(await call('retention.apply', {})).toEqual({ revisionsRemoved: 1, contactsRemoved: 0 });
    expect(events).toContainEqual(['history.changed', { kind: 'retention' }]);
    events.length = 0;
    expect(await call('retention.apply', {})).toEqual({ revisionsRemoved: 0, contactsRemoved: 0 });
    expect(events.filter(([name]) => name === 'history.changed')).toEqual([]);
  });

  it('accepts start at login and tells the host', async () => {
    const { call } = await setup();
    expect((await call('settings.set', { startAtLogin: true })).startAtLogin).toBe(true);
    expect((await call('settings.get', {})).startAtLogin).toBe(true);
  });

  it('renames the profile, changes its password and deletes another one with its password', async () => {
    const { test, call, events } = await setup();
    const renamed = await call('profile.rename', { name: 'Home' });
    expect(renamed.profileName).toBe('Home');
    expect(events).toContainEqual(['session.changed', renamed]);
    await expect(
      call('profile.changePassword', { currentPassword: 'nope', newPassword: 'new password 2' }),
    ).rejects.toMatchObject({ code: 'wrong-password' });
    await call('profile.changePassword', {
      currentPassword: 'test password 1',
      newPassword: 'new password 2',
    });
    const home = renamed.profileId;
    await call('profile.create', { name: 'Work', password: 'work password 1' });
    await expect(
      call('profile.unlock', { profileId: home, password: 'test password 1' }),
    ).rejects.toMatchObject({
      code: 'wrong-password',
    });
    const back = await call('profile.unlock', { profileId: home, password: 'new password 2' });
    expect(back.profileName).toBe('Home');
    const work = (await call('app.status', {})).profiles.find((profile) => profile.name === 'Work')!;
    await expect(call('profile.delete', { profileId: work.id, password: 'wrong one' })).rejects.toMatchObject(
      {
        code: 'wrong-password',
      },
    );
    await call('profile.delete', { profileId: work.id, password: 'work password 1' });
    expect((await call('app.status', {})).profiles.map((profile) => profile.name)).toEqual(['Home']);
    await call('profile.delete', { profileId: home, password: 'new password 2' });
    const status = await call('app.status', {});
    expect(status.profiles).toEqual([]);
    expect(status.session).toBeUndefined();
    void test;
  });

  it('pushes backup.finished and history.changed after a backup and a delete', async () => {
    const { test, call, events } = await setup();
    const user = await test.addBook('One', book(['Ada', 'Bob']));
    const backup = await test.session.jobs.wait((await call('backup.run', { userKey: user })).id);
    expect(events).toContainEqual(['backup.finished', { userKey: user, jobId: backup.id }]);
    expect(events).toContainEqual(['history.changed', { kind: 'backup', userKey: user, jobId: backup.id }]);
    const [first] = (await call('contacts.list', { userKey: user })).items;
    const removal = await call('delete.start', {
      userKey: user,
      contactIds: [first.id],
      password: 'test password 1',
    });
    await test.session.jobs.wait(removal.id);
    expect(events).toContainEqual(['history.changed', { kind: 'delete', userKey: user, jobId: removal.id }]);
  });
});
