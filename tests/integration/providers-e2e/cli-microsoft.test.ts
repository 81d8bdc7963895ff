/**
 * The whole app against the Microsoft fakes (HTTPS identity + Graph), through the real CLI in a child
 * process: MSAL sign-in in the "browser", a full then an incremental backup, and Restore All into
 * the emptied mailbox (twice).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import type { Mailbox } from '../../fakes/graph/mailbox';
import { microsoftBrowser, runCliWithSignIn } from '../../support/fake-browser';
import { runCli, runCliJson, type ListedContact, type RestoreJob } from '../../support/run-cli';
import type { RestorePlanView } from '../../../main/core/contract/contract-types';
import { removeTempDirs, tempDir } from '../../support/temp-dir';
import { jpeg, richContact } from '../microsoft/harness';

afterAll(removeTempDirs);

const EMAIL = 'ada@outlook.com';
const CLIENT_ID = '0b5e7c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d';

const VOLATILE = new Set(['@odata.etag', 'id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime']);

/** Every contact of the mailbox as Graph renders it, keyed by its first email, folder by name. */
function snapshot(fake: FakeMicrosoft, mailbox: Mailbox) {
  const result = new Map<string, { fields: Record<string, unknown>; photo?: Uint8Array }>();
  for (const stored of mailbox.contacts.values()) {
    const json = fake.contactJson(mailbox, stored.id)!;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(json)) {
      if (VOLATILE.has(key)) continue;
      fields[key] = key === 'parentFolderId' ? mailbox.folders.get(value as string)?.displayName : value;
    }
    const key = (json.emailAddresses as { address: string }[])[0]?.address ?? stored.id;
    result.set(key, { fields, photo: mailbox.photos.get(stored.id)?.bytes });
  }
  return result;
}

describe('contacts-backup CLI against the Microsoft fakes', () => {
  let fake: FakeMicrosoft;
  let mailbox: Mailbox;
  beforeEach(async () => {
    fake = await startFakeMicrosoft();
    fake.registerApp(CLIENT_ID);
    mailbox = fake.addMailbox(EMAIL, { displayName: 'Ada Lovelace' });
    fake.state.signInEmail = EMAIL;
  });
  afterEach(async () => fake.close());

  it('signs in with MSAL, backs up fully then incrementally, and restores an emptied mailbox once', async () => {
    const family = fake.addFolder(mailbox, 'Family');
    const club = fake.addFolder(mailbox, 'Engine club', family);
    const ids: string[] = [];
    for (let n = 0; n < 10; n += 1) {
      const folder = n % 3 === 0 ? family : n % 3 === 1 ? club : undefined;
      ids.push(fake.addContact(mailbox, { ...richContact(n), categories: n === 4 ? ['Red'] : [] }, folder));
      if (n % 3 === 1) fake.setPhoto(mailbox, ids[n], jpeg(n, 1024 + n));
    }

    const home = await tempDir();
    expect((await runCli(home, ['init'])).code).toBe(0);
    const caFile = join(home, 'fake-ca.pem');
    await writeFile(caFile, fake.caPem);
    const browser = microsoftBrowser(fake);
    const added = await runCliWithSignIn(
      home,
      [
        'account',
        'add',
        'microsoft',
        '--client-id',
        CLIENT_ID,
        '--authority',
        `${fake.identityOrigin}/common`,
        '--graph-url',
        fake.graphBaseUrl,
        '--ca-file',
        caFile,
        '--no-browser',
      ],
      browser,
    );
    expect(added.browserError).toBeUndefined();
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/Added account \w+ \(ada@outlook\.com\) with 1 user\./);
    const authorize = new URL(added.signInUrl!);
    expect(authorize.origin).toBe(fake.identityOrigin);
    expect(authorize.searchParams.get('response_mode')).toBe('form_post');
    expect(fake.state.grants).toContain('authorization_code');

    const first = await runCli(home, ['backup']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/10 added, 0 changed, 0 deleted at source, 0 unchanged/);
    const afterFirst = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    expect(afterFirst).toHaveLength(10);
    expect(afterFirst.filter((item) => item.contact.photo)).toHaveLength(3);

    const original = snapshot(fake, mailbox);
    // Changes at the source: one added, one edited, one deleted, one new photo.
    const addedId = fake.addContact(mailbox, richContact(10), club);
    mailbox.updateContact(ids[2], { personalNotes: 'Edited note' });
    mailbox.deleteContact(ids[5]);
    fake.setPhoto(mailbox, ids[6], jpeg(66, 777));
    const second = await runCli(home, ['backup']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/1 added, 2 changed, 1 deleted at source, 7 unchanged/);
    const listed = await runCliJson<ListedContact[]>(home, ['contacts', 'list']);
    const bySource = new Map(listed.map((item) => [item.sourceId, item]));
    expect(listed).toHaveLength(11);
    expect(bySource.get(addedId)).toMatchObject({ deleted: false, versions: 1 });
    expect(bySource.get(ids[2])).toMatchObject({ deleted: false, versions: 2 });
    expect(bySource.get(ids[2])!.contact.notes).toBe('Edited note');
    expect(bySource.get(ids[5])).toMatchObject({ deleted: true });
    expect(bySource.get(ids[6])).toMatchObject({ deleted: false, versions: 2 });
    expect(listed.filter((item) => item.deleted).map((item) => item.sourceId)).toEqual([ids[5]]);

    // Restore All gives back the live contacts and the one deleted at the source (its last version).
    const before = snapshot(fake, mailbox);
    expect(before.size).toBe(10);
    before.set('person5@example.com', original.get('person5@example.com')!);

    // Empty the mailbox: every contact and every folder but the default one gone.
    for (const id of [...mailbox.contacts.keys()]) mailbox.deleteContact(id);
    mailbox.deleteFolder(family);
    expect(mailbox.contacts.size).toBe(0);
    expect([...mailbox.folders.values()].map((folder) => folder.displayName)).toEqual(['Contacts']);

    const preview = await runCliJson<RestorePlanView>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
      '--preview',
    ]);
    expect(preview).toMatchObject({ create: 11, update: 0, skip: 0 });
    const restored = await runCliJson<RestoreJob>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
    ]);
    expect(restored.state).toBe('succeeded');
    expect(restored.result).toMatchObject({
      created: preview.create,
      updated: preview.update,
      skipped: preview.skip,
      failed: 0,
    });

    const after = snapshot(fake, mailbox);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, was] of before) {
      const now = after.get(key)!;
      expect(now.fields, key).toEqual(was.fields);
      if (was.photo)
        expect(Buffer.compare(Buffer.from(now.photo ?? []), Buffer.from(was.photo)), key).toBe(0);
      else expect(now.photo, key).toBeUndefined();
    }
    const folderNames = () => [...mailbox.folders.values()].map((folder) => folder.displayName).sort();
    expect(folderNames()).toEqual(['Contacts', 'Engine club', 'Family']);
    const newFamily = [...mailbox.folders.values()].find((folder) => folder.displayName === 'Family')!;
    const newClub = [...mailbox.folders.values()].find((folder) => folder.displayName === 'Engine club')!;
    expect(newClub.parentFolderId).toBe(newFamily.id);

    // A second Restore All overwrites what the first created: nothing new in the mailbox.
    const contactIds = [...mailbox.contacts.keys()].sort();
    const again = await runCliJson<RestorePlanView>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
      '--preview',
    ]);
    expect(again).toMatchObject({ create: 0, update: 11, skip: 0 });
    const rerun = await runCliJson<RestoreJob>(home, [
      'restore',
      '--all',
      '--include-deleted',
      '--mode',
      'overwrite',
    ]);
    expect(rerun.state).toBe('succeeded');
    expect(rerun.result).toMatchObject({ created: 0, updated: again.update, skipped: again.skip, failed: 0 });
    expect([...mailbox.contacts.keys()].sort()).toEqual(contactIds);
    expect(folderNames()).toEqual(['Contacts', 'Engine club', 'Family']);
    const final = snapshot(fake, mailbox);
    for (const [key, was] of before) expect(final.get(key)?.fields, key).toEqual(was.fields);
  });
});
