/**
 * The settings slice's actions for the channels Settings shares with the CLI: retention applied now
 * (`retention.apply`) and the contacts kept out of backups (`exclusions.list` / `exclusions.clear`),
 * with the sentences their toasts show.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { bindApi } from '../../../../renderer/src/store/bind-api';
import { resetStore, useStore } from '../../../../renderer/src/store/store';
import { strings } from '../../../../renderer/src/strings';
import { createFakeApi, fail, ok, type FakeApi } from '../fake-api';

let api: FakeApi;

beforeEach(() => {
  resetStore();
  api = createFakeApi();
  bindApi(api);
});

describe('retention applied now', () => {
  it('calls retention.apply and says what it removed in one toast', async () => {
    api.handle('retention.apply', () => ok({ revisionsRemoved: 3, contactsRemoved: 1 }));
    const result = await useStore.getState().applyRetention();
    expect(result.ok).toBe(true);
    expect(api.calls).toEqual([{ channel: 'retention.apply', request: {} }]);
    expect(useStore.getState().toasts).toMatchObject([
      {
        title: 'Retention applied',
        body: 'Retention removed 3 old versions and 1 contact deleted at the source.',
        kind: 'info',
      },
    ]);
  });

  it('says nothing was removed, and a second Apply replaces the first sentence', async () => {
    api.handle('retention.apply', () => ok({ revisionsRemoved: 1, contactsRemoved: 0 }));
    await useStore.getState().applyRetention();
    api.handle('retention.apply', () => ok({ revisionsRemoved: 0, contactsRemoved: 0 }));
    await useStore.getState().applyRetention();
    expect(useStore.getState().toasts).toMatchObject([
      { body: 'Retention removed nothing: every version is within the policy.', count: 1 },
    ]);
  });

  it('shows no toast when the core refuses', async () => {
    api.handle('retention.apply', () => fail('locked', 'Unlock the profile first.'));
    const result = await useStore.getState().applyRetention();
    expect(result.ok).toBe(false);
    expect(useStore.getState().toasts).toEqual([]);
  });
});

describe('contacts kept out of backups', () => {
  it('loads the count per user', async () => {
    api.handle('exclusions.list', ({ userKey }) =>
      ok({ sourceIds: userKey === 'a/u1' ? ['s1', 's2', 's3'] : [] }),
    );
    await useStore.getState().loadKeptOut('a/u1');
    await useStore.getState().loadKeptOut('a/u2');
    expect(useStore.getState().keptOut).toEqual({ 'a/u1': 3, 'a/u2': 0 });
    expect(api.calls).toEqual([
      { channel: 'exclusions.list', request: { userKey: 'a/u1' } },
      { channel: 'exclusions.list', request: { userKey: 'a/u2' } },
    ]);
  });

  it('lets them back in, says how many in a toast and reads the count again', async () => {
    let kept = ['s1', 's2', 's3'];
    api.handle('exclusions.list', () => ok({ sourceIds: kept }));
    api.handle('exclusions.clear', () => {
      const cleared = kept.length;
      kept = [];
      return ok({ cleared });
    });
    await useStore.getState().loadKeptOut('a/u1');
    const result = await useStore.getState().letKeptOutBackIn('a/u1');
    expect(result).toEqual({ ok: true, value: { cleared: 3 } });
    expect(useStore.getState().keptOut['a/u1']).toBe(0);
    expect(useStore.getState().toasts).toMatchObject([
      { title: 'Contacts let back in', body: '3 contacts will be backed up again at the next backup.' },
    ]);
  });

  it('keeps the count when loading fails, and reads it again after a history change of that user', async () => {
    api.handle('exclusions.list', () => fail('internal', 'The backup could not be read.'));
    const failed = await useStore.getState().loadKeptOut('a/u1');
    expect(failed.ok).toBe(false);
    expect(useStore.getState().keptOut).toEqual({});

    // History changes are followed only while a profile is open.
    api.emit('session.changed', { profileId: 'p1', profileName: 'Alice' });
    api.handle('exclusions.list', () => ok({ sourceIds: ['s1'] }));
    await useStore.getState().loadKeptOut('a/u1');
    api.handle('exclusions.list', () => ok({ sourceIds: ['s1', 's2'] }));
    api.calls.length = 0;
    api.emit('history.changed', { kind: 'delete', userKey: 'b/other' });
    expect(api.calls.filter((call) => call.channel === 'exclusions.list')).toEqual([]);
    api.emit('history.changed', { kind: 'delete', userKey: 'a/u1' });
    await expect.poll(() => useStore.getState().keptOut['a/u1']).toBe(2);
  });
});

describe('kept-out sentences', () => {
  it('are plural-correct', () => {
    expect(strings.keptOut.count(0)).toBe('No contacts are kept out of backups.');
    expect(strings.keptOut.count(1)).toBe('1 contact is kept out of later backups.');
    expect(strings.keptOut.count(3)).toBe('3 contacts are kept out of later backups.');
    expect(strings.keptOut.cleared(1)).toBe('1 contact will be backed up again at the next backup.');
    expect(strings.retention.applied(1, 2)).toBe(
      'Retention removed 1 old version and 2 contacts deleted at the source.',
    );
  });
});
