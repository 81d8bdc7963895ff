import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type ContactProvider } from '../../../main/core/providers/provider';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../fakes/graph/fake-microsoft';
import type { Mailbox } from '../../fakes/graph/mailbox';
import {
  CLIENT_ID,
  emptyMirror,
  jpeg,
  mirrorMatches,
  richContact,
  signedInProvider,
  syncInto,
  workContext,
} from './harness';

let fake: FakeMicrosoft;

beforeAll(async () => {
  fake = await startFakeMicrosoft();
  fake.registerApp(CLIENT_ID);
});
afterAll(() => fake.close());

interface Seeded {
  mailbox: Mailbox;
  provider: ContactProvider;
  work: string;
  team: string;
  family: string;
}

async function seed(email: string): Promise<Seeded> {
  const mailbox = fake.addMailbox(email);
  const work = fake.addFolder(mailbox, 'Work');
  const team = fake.addFolder(mailbox, 'Team', work);
  const family = fake.addFolder(mailbox, 'Family');
  for (let n = 0; n < 60; n += 1) fake.addContact(mailbox, richContact(n));
  for (let n = 60; n < 90; n += 1) fake.addContact(mailbox, richContact(n), work);
  for (let n = 90; n < 100; n += 1) fake.addContact(mailbox, richContact(n), team);
  fake.addContact(mailbox, { givenName: 'Only', surname: 'Family' }, family);
  const { provider } = await signedInProvider(fake, email);
  return { mailbox, provider, work, team, family };
}

describe('Microsoft delta sync against the Graph fake', () => {
  it('reads everything first, with the folder tree, pages one by one and Prefer on every request', async () => {
    const { mailbox, provider, work, team } = await seed('full@outlook.com');
    fake.clearLog();
    const mirror = emptyMirror();
    const outcome = await syncInto(provider, 'me', mirror);
    expect(outcome.full).toBe(true);
    mirrorMatches(mirror, mailbox);
    expect(mirror.folders).toEqual([
      { id: mailbox.defaultFolderId, name: 'Contacts', system: 'default' },
      { id: work, name: 'Work' },
      { id: expect.any(String), name: 'Family' },
      { id: team, name: 'Team', parentId: work },
    ]);
    expect(mirror.batches.every((b) => b.upserts.length <= 25)).toBe(true);
    expect(mirror.batches.filter((b) => b.upserts.length > 0).length).toBeGreaterThanOrEqual(5);
    const graphRequests = fake.requests().filter((r) => !r.inBatch);
    expect(graphRequests.length).toBeGreaterThan(5);
    expect(graphRequests.every((r) => r.prefer === 'odata.maxpagesize=25')).toBe(true);
    // Folder ids hold `=`, `-` and `_`: they reached the fake encoded exactly once.
    expect(graphRequests.some((r) => r.rawPath.includes('%3D'))).toBe(true);
    expect(graphRequests.every((r) => !r.rawPath.includes('%25'))).toBe(true);
    const cursor = JSON.parse(outcome.cursor ?? '{}');
    expect(Object.keys(cursor.folders)).toHaveLength(4);
  });

  it('then reads only changes: adds, edits, deletes, moves, new folders and photo changes', async () => {
    const { mailbox, provider, work, team, family } = await seed('delta@outlook.com');
    const mirror = emptyMirror();
    await syncInto(provider, 'me', mirror);
    const ids = [...mailbox.contacts.values()];
    const inDefault = ids.filter((c) => c.folderId === mailbox.defaultFolderId);
    const inWork = ids.filter((c) => c.folderId === work);
    const added = fake.addContact(mailbox, richContact(500), family);
    mailbox.updateContact(inDefault[0].id, { displayName: 'Edited Name', givenName: 'Edited' });
    mailbox.deleteContact(inWork[0].id);
    mailbox.moveContact(inDefault[1].id, team);
    mailbox.moveContact(inWork[1].id, mailbox.defaultFolderId);
    const clubs = fake.addFolder(mailbox, 'Clubs', family);
    const inClub = fake.addContact(mailbox, richContact(501), clubs);
    mailbox.moveContact(inDefault[2].id, clubs);
    fake.setPhoto(mailbox, inDefault[3].id, jpeg(1));
    const oldKey = mirror.contacts.get(inDefault[3].id)?.photo?.key;

    fake.clearLog();
    const outcome = await syncInto(provider, 'me', mirror);
    expect(outcome.full).toBe(false);
    mirrorMatches(mirror, mailbox);
    const deletions = mirror.batches.flatMap((b) => b.deletions);
    expect(deletions).toEqual([inWork[0].id]);
    const upserted = new Set(mirror.batches.flatMap((b) => b.upserts.map((u) => u.sourceId)));
    for (const id of [
      added,
      inDefault[0].id,
      inDefault[1].id,
      inWork[1].id,
      inClub,
      inDefault[2].id,
      inDefault[3].id,
    ]) {
      expect(upserted.has(id)).toBe(true);
    }
    // Unchanged contacts were not read again.
    expect(upserted.size).toBeLessThanOrEqual(9);
    expect(mirror.folders?.find((f) => f.id === clubs)).toEqual({
      id: clubs,
      name: 'Clubs',
      parentId: family,
    });
    expect(mirror.contacts.get(inDefault[0].id)?.contact.displayName).toBe('Edited Name');

    const withPhoto = mirror.contacts.get(inDefault[3].id);
    expect(withPhoto?.photo?.key).not.toBe(oldKey);
    const photo = await withPhoto?.photo?.load();
    expect(photo?.mediaType).toBe('image/jpeg');
    expect(Buffer.from(photo?.bytes ?? []).equals(Buffer.from(jpeg(1)))).toBe(true);
    const noPhoto = await mirror.contacts
      .get(inDefault[4].id)
      ?.photo?.load()
      .catch((e: unknown) => e);
    expect(noPhoto).toBeInstanceOf(ProviderError);
    expect((noPhoto as ProviderError).code).toBe('not-found');

    // A third sync with no change delivers nothing but the folder list.
    const quiet = await syncInto(provider, 'me', mirror);
    expect(quiet.full).toBe(false);
    expect(mirror.batches.flatMap((b) => [...b.upserts, ...b.deletions])).toEqual([]);
    mirrorMatches(mirror, mailbox);
  });

  it('a deleted folder takes its contacts with it (full read)', async () => {
    const { mailbox, provider, work } = await seed('folderdel@outlook.com');
    const mirror = emptyMirror();
    await syncInto(provider, 'me', mirror);
    mailbox.deleteFolder(work);
    const outcome = await syncInto(provider, 'me', mirror);
    expect(outcome.full).toBe(true);
    mirrorMatches(mirror, mailbox);
    expect(mirror.contacts.size).toBe(61);
    expect(mirror.folders?.map((f) => f.name)).toEqual(['Contacts', 'Family']);
  });

  for (const mode of ['syncStateNotFound', 'resyncRequired', 'gone'] as const) {
    it(`an expired delta token (${mode}) falls back to a full read without losing or duplicating data`, async () => {
      const { mailbox, provider, family } = await seed(`expire-${mode}@outlook.com`);
      const mirror = emptyMirror();
      await syncInto(provider, 'me', mirror);
      const extra = fake.addContact(mailbox, richContact(700), family);
      const gone = [...mailbox.contacts.values()][5].id;
      mailbox.deleteContact(gone);
      expect(fake.expireDeltaTokens(mailbox, mode)).toBeGreaterThan(0);
      const outcome = await syncInto(provider, 'me', mirror);
      expect(outcome.full).toBe(true);
      mirrorMatches(mirror, mailbox);
      expect(mirror.contacts.has(extra)).toBe(true);
      expect(mirror.contacts.has(gone)).toBe(false);
      const delivered = mirror.batches.flatMap((b) => b.upserts.map((u) => u.sourceId));
      expect(delivered.length).toBe(new Set(delivered).size);
      expect(delivered.length).toBe(mailbox.contacts.size);
      const after = await syncInto(provider, 'me', mirror);
      expect(after.full).toBe(false);
    });
  }

  it('keeps following nextLinks through empty pages', async () => {
    const { mailbox, provider } = await seed('empty-pages@outlook.com');
    fake.state.delta.emptyFirstPage = true;
    try {
      const mirror = emptyMirror();
      await syncInto(provider, 'me', mirror);
      mirrorMatches(mirror, mailbox);
    } finally {
      fake.state.delta.emptyFirstPage = false;
    }
  });

  for (const wellKnown of [true, false]) {
    it(`syncs an empty mailbox, then its first contact (well-known folder name ${wellKnown ? 'accepted' : 'refused'})`, async () => {
      fake.state.wellKnownContactsFolder = wellKnown;
      try {
        const email = `empty-${wellKnown}@outlook.com`;
        const empty = fake.addMailbox(email);
        const { provider } = await signedInProvider(fake, email);
        const mirror = emptyMirror();
        expect((await syncInto(provider, 'me', mirror)).full).toBe(true);
        expect(mirror.contacts.size).toBe(0);
        expect(mirror.folders).toEqual([
          { id: wellKnown ? empty.defaultFolderId : 'contacts', name: 'Contacts', system: 'default' },
        ]);
        const first = fake.addContact(empty, { givenName: 'First' });
        const second = await syncInto(provider, 'me', mirror);
        expect(second.full).toBe(false);
        expect([...mirror.contacts.keys()]).toEqual([first]);
        expect(mirror.folders).toEqual([{ id: empty.defaultFolderId, name: 'Contacts', system: 'default' }]);
        fake.addContact(empty, { givenName: 'Second' });
        await syncInto(provider, 'me', mirror);
        mirrorMatches(mirror, empty);
      } finally {
        fake.state.wellKnownContactsFolder = true;
      }
    });
  }

  it('fetchContacts reads selected contacts by id and leaves out missing ones', async () => {
    const { mailbox, provider } = await seed('fetch@outlook.com');
    const [a, b, c] = [...mailbox.contacts.values()];
    mailbox.deleteContact(b.id);
    const found = await provider.fetchContacts('me', [a.id, b.id, c.id], workContext());
    expect(found.map((f) => f.sourceId)).toEqual([a.id, c.id]);
    expect(found[0].contact.emails[0].value).toBe('person0@example.com');
  });
});
