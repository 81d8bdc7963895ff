/**
 * Issue 9 "done when": seat limits, expiry, tampered and wrong-product keys, auto-enable of new
 * directory users, end to end through AppCore on a temp data folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ApiFailure } from '../../../main/core/contract/api-failure';
import { enqueueBackup, backupBlockedReason } from '../../../main/core/session/backup-service';
import { accountViews, contactsList } from '../../../main/core/session/browse-service';
import { enqueueRestore } from '../../../main/core/session/restore-service';
import { enqueueExport } from '../../../main/core/session/export-service';
import {
  installLicence,
  licenceStatus,
  refreshUsers,
  setUsersEnabled,
} from '../../../main/core/session/licence-service';
import { LICENCE_FILE } from '../../../main/core/session/licence-state';
import { userKeyOf } from '../../../main/core/history/types';
import type { AccountRecord } from '../../../main/core/accounts/types';
import { emptyContact } from '../../../main/core/contacts/model';
import type { ProfileSession } from '../../../main/core/session/profile-session';
import { MemoryBook } from '../../support/memory-provider';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import {
  DAY,
  FakeDirectory,
  START,
  backUp,
  createLicensingApp,
  licence,
  licenceKey,
  useTestLicenceKey,
} from './harness';

beforeAll(useTestLicenceKey);
afterAll(removeTempDirs);

async function refusal(promise: Promise<unknown>): Promise<ApiFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiFailure);
  return error as ApiFailure;
}

function enabledIds(account: AccountRecord): string[] {
  return account.users.filter((user) => user.enabled).map((user) => user.id);
}

describe('seats', () => {
  it('refuses to enable one more user than the seats and changes nothing', async () => {
    const test = await createLicensingApp();
    const session = test.session();
    await installLicence(session, licenceKey({ seats: 2 }));
    const directory = new FakeDirectory().add('ann').add('bob').add('cyd');
    // The profile's own account is free and takes no seat.
    await test.addOwnBook('Mine');
    const account = await test.addDirectory('Acme', directory);
    // Auto-enable on add took the two seats in directory order.
    expect(enabledIds(account)).toEqual(['ann', 'bob']);
    await setUsersEnabled(session, account.id, ['ann', 'bob'], false);
    const auditBefore = session.audit.list().length;
    const viewsBefore = JSON.stringify(accountViews(session));

    const failure = await refusal(setUsersEnabled(session, account.id, ['ann', 'bob', 'cyd'], true));
    expect(failure.code).toBe('not-allowed');
    expect(failure.message).toBe(
      "You chose 3 users but only 2 of the licence's 2 seats are free. " +
        'Nothing was changed: disable other users first or buy more seats.',
    );
    expect(JSON.stringify(accountViews(session))).toBe(viewsBefore);
    expect(session.audit.list().length).toBe(auditBefore);

    await setUsersEnabled(session, account.id, ['ann', 'bob'], true);
    expect((await licenceStatus(session)).free).toBe(0);
    const third = await refusal(setUsersEnabled(session, account.id, ['cyd'], true));
    expect(third.message).toMatch(/only 0 of the licence's 2 seats are free/);
    expect(enabledIds(account)).toEqual(['ann', 'bob']);
    expect(await licenceStatus(session)).toMatchObject({ edition: 'business', seats: 2, used: 2, free: 0 });

    const cydKey = userKeyOf(account.id, 'cyd');
    expect(backupBlockedReason(session, cydKey)).toMatch(/not enabled for cyd@acme\.example/);
    expect(() => enqueueBackup(session, { userKey: cydKey }, 'user', true)).toThrow(/not enabled/);
    expect((await backUp(session, userKeyOf(account.id, 'ann'))).state).toBe('succeeded');

    // Disabling frees the seat and keeps the backup browsable.
    await setUsersEnabled(session, account.id, ['ann'], false);
    expect((await licenceStatus(session)).free).toBe(1);
    expect(contactsList(session, { userKey: userKeyOf(account.id, 'ann') }).total).toBe(2);
    await setUsersEnabled(session, account.id, ['cyd'], true);
    expect(enabledIds(account)).toEqual(['bob', 'cyd']);
  });

  it('refuses directory users without a business licence, and own accounts need none', async () => {
    const test = await createLicensingApp();
    const session = test.session();
    const ownKey = await test.addOwnBook('Mine', bookWith('Own friend'));
    const account = await test.addDirectory('Acme', new FakeDirectory().add('ann'), 'tenant');
    expect(enabledIds(account)).toEqual([]);
    const annKey = userKeyOf(account.id, 'ann');
    expect(backupBlockedReason(session, ownKey)).toBeUndefined();
    expect(backupBlockedReason(session, annKey)).toMatch(/needs a business licence/);
    const failure = await refusal(setUsersEnabled(session, account.id, ['ann'], true));
    expect(failure.message).toMatch(/needs a valid business licence/);

    await installLicence(session, licenceKey({ edition: 'personal', seats: 0 }));
    expect(backupBlockedReason(session, annKey)).toMatch(/personal edition/);
    expect((await backUp(session, ownKey)).state).toBe('succeeded');
    expect(await licenceStatus(session)).toMatchObject({ edition: 'personal', state: 'valid', seats: 0 });
  });

  it('auto-enables new directory users while seats remain and keeps users who left', async () => {
    const test = await createLicensingApp();
    const session = test.session();
    await installLicence(session, licenceKey({ seats: 3 }));
    const directory = new FakeDirectory().add('ann').add('bob');
    const account = await test.addDirectory('Acme', directory);
    expect(enabledIds(account)).toEqual(['ann', 'bob']);
    await backUp(session, userKeyOf(account.id, 'bob'));

    // Three hires, one suspended; bob leaves the directory.
    directory.add('cyd').add('dan', 2, false).add('eve');
    directory.users.splice(
      directory.users.findIndex((user) => user.id === 'bob'),
      1,
    );
    const view = await refreshUsers(session, account.id);
    const byId = new Map(view.users.map((user) => [user.id, user]));
    expect(byId.get('cyd')).toMatchObject({ enabled: true, active: true });
    expect(byId.get('dan')).toMatchObject({ enabled: false, active: false });
    // Bob still holds his seat until an administrator disables him, so eve waits.
    expect(byId.get('eve')).toMatchObject({ enabled: false, active: true });
    expect(byId.get('eve')?.blockedReason).toMatch(/not enabled/);
    expect(byId.get('bob')).toMatchObject({ enabled: true, active: false, contactCount: 2 });
    expect(byId.get('bob')?.blockedReason).toMatch(/suspended/);
    expect(await licenceStatus(session)).toMatchObject({ used: 3, free: 0 });

    await setUsersEnabled(session, account.id, ['bob'], false);
    directory.add('fay');
    const again = await refreshUsers(session, account.id);
    expect(again.users.find((user) => user.id === 'fay')).toMatchObject({ enabled: true });
    expect(again.users.find((user) => user.id === 'eve')).toMatchObject({ enabled: false });
    expect(await licenceStatus(session)).toMatchObject({ used: 3, free: 0 });
    const audit = await readAudit(session);
    expect(audit).toMatch(/Refreshed the users of "Acme": 5 listed, 1 new, 1 enabled automatically/);
  });
});

describe('expiry', () => {
  it('stops backups of directory users when the licence expires, and restore, export and browsing keep working', async () => {
    const test = await createLicensingApp();
    const session = test.session();
    const expiresAt = new Date(START.getTime() + 10 * DAY).toISOString();
    await installLicence(session, licenceKey({ seats: 2, expiresAt }));
    const directory = new FakeDirectory().add('ann', 3);
    const account = await test.addDirectory('Acme', directory);
    const annKey = userKeyOf(account.id, 'ann');
    expect((await backUp(session, annKey)).state).toBe('succeeded');
    const ownKey = await test.addOwnBook('Mine', bookWith('Own friend'));

    test.clock.advance(11 * DAY);
    const status = await licenceStatus(session);
    expect(status).toMatchObject({ state: 'expired', edition: 'business', expiresAt, seats: 2 });
    expect(status.message).toMatch(/expired on .*Browsing, restore and export still work/);
    const reason = backupBlockedReason(session, annKey);
    expect(reason).toMatch(/Backups for ann@acme\.example are paused because the licence expired/);
    expect(() => enqueueBackup(session, { userKey: annKey }, 'user', true)).toThrow(/paused/);
    expect(accountViews(session)[0].users[0].blockedReason).toBe(reason);
    // The personal edition's own account is free: unaffected by the expiry.
    expect((await backUp(session, ownKey)).state).toBe('succeeded');

    // Browse, restore, export.
    expect(contactsList(session, { userKey: annKey }).total).toBe(3);
    directory.books.get('ann')!.contacts.clear();
    const restored = await session.jobs.wait(
      enqueueRestore(session, { userKey: annKey, scope: 'all', mode: 'overwrite' }, 'user').id,
    );
    expect(restored.state).toBe('succeeded');
    expect(directory.books.get('ann')!.contacts.size).toBe(3);
    const path = `${await tempDir()}/ann.vcf`;
    const exported = await session.jobs.wait(
      enqueueExport(session, { userKey: annKey, format: 'vcf', path }, 'user').id,
    );
    expect(exported.state).toBe('succeeded');
    expect(await readFile(path, 'utf8')).toMatch(/ann contact 0/);

    // A renewed key resumes backups.
    await installLicence(
      session,
      licenceKey({
        seats: 2,
        id: 'lic-renewed',
        expiresAt: new Date(START.getTime() + 400 * DAY).toISOString(),
      }),
    );
    expect(backupBlockedReason(session, annKey)).toBeUndefined();
  });

  it('refuses to install a key that has already expired and keeps the current licence', async () => {
    const test = await createLicensingApp();
    const session = test.session();
    await installLicence(session, licenceKey({ seats: 4 }));
    const failure = await refusal(
      installLicence(
        session,
        licenceKey({ id: 'old', expiresAt: new Date(START.getTime() - DAY).toISOString() }),
      ),
    );
    expect(failure.message).toMatch(/expired on 2026-11-24.*current licence was kept/);
    expect(await licenceStatus(session)).toMatchObject({ state: 'valid', seats: 4 });
  });
});

describe('licence keys', () => {
  it('rejects a tampered key, a key of another product and a key signed by another vendor key, storing nothing', async () => {
    const test = await createLicensingApp();
    const session = test.session();
    const key = licenceKey({ seats: 2 });
    const [prefix, keyId, payload, signature] = key.split('.');
    const forged = Buffer.from(JSON.stringify({ ...licence({ seats: 2 }), seats: 500 }), 'utf8').toString(
      'base64url',
    );
    const tampered = [prefix, keyId, forged, signature].join('.');
    const otherProduct = licenceKey({ product: 'other-product' as 'contacts-backup' });
    const otherVendor = licenceKey(
      {},
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    );
    const cases: [string, RegExp][] = [
      [tampered, /has been changed since it was issued/],
      [otherProduct, /for another product/],
      [otherVendor, /not issued for this build/],
      [`${prefix}.${keyId}.${payload}`, /not a Contacts Backup licence key/],
    ];
    for (const [text, message] of cases) {
      const failure = await refusal(installLicence(session, text));
      expect(failure.code).toBe('invalid-request');
      expect(failure.message).toMatch(message);
    }
    expect(await licenceStatus(session)).toMatchObject({ state: 'none', edition: 'personal', seats: 0 });
    await expect(readFile(session.vault.pathOf(LICENCE_FILE))).rejects.toThrow();
    expect(await readAudit(session)).toMatch(/A licence key was refused: tampered/);
  });

  it('keeps an installed licence sealed in the profile vault across lock and unlock', async () => {
    const test = await createLicensingApp();
    const session = test.session();
    const key = licenceKey({ licensee: 'Sealed Licensee GmbH', seats: 7 });
    // Whitespace from an e-mail is ignored.
    const view = await installLicence(session, `  ${key.slice(0, 40)}\n${key.slice(40)}\n`);
    expect(view).toMatchObject({
      licensee: 'Sealed Licensee GmbH',
      seats: 7,
      used: 0,
      free: 7,
      state: 'valid',
    });
    const file = await readFile(session.vault.pathOf(LICENCE_FILE));
    expect(file.includes(Buffer.from('Sealed Licensee'))).toBe(false);
    expect(file.includes(Buffer.from(key.slice(10, 40)))).toBe(false);
    expect(await readAudit(session)).toMatch(
      /Installed a business licence for Sealed Licensee GmbH \(7 seats/,
    );

    const profileId = session.profile.id;
    await test.app.lock();
    const reopened = await test.app.unlock(profileId, 'test password 1');
    expect(await licenceStatus(reopened)).toMatchObject({ licensee: 'Sealed Licensee GmbH', state: 'valid' });
  });
});

function bookWith(...names: string[]): MemoryBook {
  const book = new MemoryBook();
  names.forEach((name, index) => book.put(`o${index}`, emptyContact(name)));
  return book;
}

async function readAudit(session: ProfileSession): Promise<string> {
  return session.audit
    .list()
    .map((entry) => entry.description)
    .join('\n');
}
