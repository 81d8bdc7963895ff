import { describe, expect, it } from 'vitest';
import type { Licence, LicenceCheck } from '../../../main/core/licensing/licence';
import {
  autoEnableNewUsers,
  canBackUp,
  disableUsers,
  enableUsers,
  seatSummary,
  type SeatState,
  type SeatUser,
} from '../../../main/core/licensing/seats';

const business: Licence = {
  product: 'contacts-backup',
  licensee: 'Acme Ltd',
  edition: 'business',
  seats: 3,
  issuedAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
  id: 'lic-0001',
};
const valid: LicenceCheck = { status: 'valid', licence: business };
const expired: LicenceCheck = { status: 'expired', licence: business };

function directoryUser(id: string, enabled: boolean, active = true): SeatUser {
  return { id, email: `${id}@acme.example`, enabled, active, source: 'directory' };
}

function stateOf(licence: LicenceCheck, ...users: SeatUser[]): SeatState {
  return { users, licence };
}

const own: SeatUser = { id: 'me', email: 'me@gmail.example', enabled: true, active: true, source: 'own' };

describe('canBackUp', () => {
  it('lets the personal edition back up the profile’s own account with no licence', () => {
    expect(canBackUp(stateOf({ status: 'none' }, own), 'me')).toEqual({ ok: true });
  });

  it('refuses a directory user without a business licence and says what to do', () => {
    const decision = canBackUp(stateOf({ status: 'none' }, directoryUser('ann', true)), 'ann');
    expect(decision).toEqual({
      ok: false,
      reason: expect.stringMatching(/needs a business licence.*Settings/),
    });
  });

  it('backs up an enabled, active directory user covered by a valid licence', () => {
    expect(canBackUp(stateOf(valid, directoryUser('ann', true)), 'ann')).toEqual({ ok: true });
  });

  it('refuses a disabled user, a suspended user and an unknown user with a sentence', () => {
    const state = stateOf(valid, directoryUser('ann', false), directoryUser('bob', true, false));
    expect(canBackUp(state, 'ann')).toEqual({
      ok: false,
      reason: expect.stringMatching(/not enabled for ann@/),
    });
    expect(canBackUp(state, 'bob')).toEqual({ ok: false, reason: expect.stringMatching(/suspended/) });
    expect(canBackUp(state, 'zoe')).toEqual({ ok: false, reason: expect.stringMatching(/not connected/) });
  });

  it('pauses backups when the licence expired but keeps the own account free', () => {
    const state = stateOf(expired, own, directoryUser('ann', true));
    expect(canBackUp(state, 'ann')).toEqual({
      ok: false,
      reason: expect.stringMatching(/expired on 2027-01-01.*restore and export still work/),
    });
    expect(canBackUp(state, 'me')).toEqual({ ok: true });
  });

  it('refuses with the licence’s own reason when the key is invalid', () => {
    const check: LicenceCheck = {
      status: 'invalid',
      reason: 'tampered',
      message: 'This key has been changed.',
    };
    expect(canBackUp(stateOf(check, directoryUser('ann', true)), 'ann')).toEqual({
      ok: false,
      reason: 'ann@acme.example cannot be backed up: This key has been changed.',
    });
  });

  it('refuses directory users under a personal licence', () => {
    const check: LicenceCheck = { status: 'valid', licence: { ...business, edition: 'personal' } };
    expect(canBackUp(stateOf(check, directoryUser('ann', true)), 'ann')).toEqual({
      ok: false,
      reason: expect.stringMatching(/personal edition/),
    });
  });

  it('covers the first enabled users when more are enabled than seats (a smaller renewal)', () => {
    const users = ['a', 'b', 'c', 'd'].map((id) => directoryUser(id, true));
    const state = stateOf(valid, ...users);
    expect(['a', 'b', 'c'].map((id) => canBackUp(state, id).ok)).toEqual([true, true, true]);
    expect(canBackUp(state, 'd')).toEqual({ ok: false, reason: expect.stringMatching(/4 users .* 3 seats/) });
  });
});

describe('enableUsers and disableUsers', () => {
  it('enables users within the seats', () => {
    const state = stateOf(
      valid,
      directoryUser('a', true),
      directoryUser('b', false),
      directoryUser('c', false),
    );
    const change = enableUsers(state, ['b', 'c']);
    expect(change.ok).toBe(true);
    if (change.ok) expect(seatSummary(change.state)).toMatchObject({ seats: 3, used: 3, free: 0 });
  });

  it('refuses one user more than the seats and changes nothing', () => {
    const state = stateOf(
      valid,
      directoryUser('a', true),
      directoryUser('b', false),
      directoryUser('c', false),
      directoryUser('d', false),
    );
    const before = structuredClone(state);
    const change = enableUsers(state, ['b', 'c', 'd']);
    expect(change).toEqual({
      ok: false,
      reason: expect.stringMatching(/3 users but only 2 of .* 3 seats.*Nothing was changed/),
    });
    expect(state).toEqual(before);
  });

  it('does not count users that are already enabled, nor own accounts, against the seats', () => {
    const state = stateOf(
      valid,
      own,
      directoryUser('a', true),
      directoryUser('b', true),
      directoryUser('c', false),
    );
    expect(enableUsers(state, ['a', 'b', 'c', 'me']).ok).toBe(true);
  });

  it('refuses to enable directory users without a valid business licence', () => {
    expect(enableUsers(stateOf(expired, directoryUser('a', false)), ['a'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/needs a valid business licence/),
    });
  });

  it('refuses unknown ids and changes nothing', () => {
    expect(enableUsers(stateOf(valid, directoryUser('a', false)), ['a', 'ghost'])).toEqual({
      ok: false,
      reason: expect.stringMatching(/ghost is not connected/),
    });
  });

  it('disabling frees a seat, keeps the user listed, and refuses their backups', () => {
    const state = stateOf(
      valid,
      directoryUser('a', true),
      directoryUser('b', true),
      directoryUser('c', true),
    );
    const after = disableUsers(state, ['b', 'nobody']);
    expect(after.users.map((user) => user.id)).toEqual(['a', 'b', 'c']);
    expect(seatSummary(after)).toMatchObject({ used: 2, free: 1 });
    expect(canBackUp(after, 'b').ok).toBe(false);
    expect(enableUsers(after, ['b']).ok).toBe(true);
  });
});

describe('autoEnableNewUsers', () => {
  it('enables new directory users up to the seat count and leaves the rest disabled', () => {
    const state = stateOf(valid, directoryUser('a', true));
    const listing = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
      id,
      email: `${id}@acme.example`,
      active: true,
    }));
    const result = autoEnableNewUsers(listing, state);
    expect(result.enabled).toEqual(['b', 'c']);
    expect(result.leftDisabled).toEqual(['d', 'e']);
    expect(seatSummary(result.state)).toMatchObject({ seats: 3, used: 3, free: 0 });
    expect(result.state.users.map((user) => [user.id, user.enabled])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', false],
      ['e', false],
    ]);
  });

  it('does not give a seat to a suspended newcomer, and marks users gone from the directory inactive', () => {
    const state = stateOf(valid, directoryUser('gone', true));
    const result = autoEnableNewUsers(
      [
        { id: 'sus', email: 'sus@acme.example', active: false },
        { id: 'new', email: 'new@acme.example', active: true },
      ],
      state,
    );
    expect(result.enabled).toEqual(['new']);
    expect(result.state.users).toEqual([
      { ...directoryUser('gone', true), active: false },
      { id: 'sus', email: 'sus@acme.example', active: false, enabled: false, source: 'directory' },
      { id: 'new', email: 'new@acme.example', active: true, enabled: true, source: 'directory' },
    ]);
  });

  it('adds but does not enable new users when the licence expired', () => {
    const result = autoEnableNewUsers([{ id: 'a', email: 'a@acme.example', active: true }], stateOf(expired));
    expect(result.enabled).toEqual([]);
    expect(result.leftDisabled).toEqual(['a']);
  });
});

describe('seatSummary', () => {
  it('summarises a business licence', () => {
    expect(seatSummary(stateOf(valid, own, directoryUser('a', true), directoryUser('b', false)))).toEqual({
      edition: 'business',
      seats: 3,
      used: 1,
      free: 2,
      expiresAt: '2027-01-01T00:00:00.000Z',
      state: 'valid',
    });
  });
  it('summarises the personal edition with no licence', () => {
    expect(seatSummary(stateOf({ status: 'none' }, own))).toEqual({
      edition: 'personal',
      seats: 0,
      used: 0,
      free: 0,
      state: 'none',
    });
  });
});
