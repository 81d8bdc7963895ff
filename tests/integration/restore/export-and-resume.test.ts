import { afterAll, describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { enqueueExport } from '../../../main/core/session/export-service';
import { enqueueRestore } from '../../../main/core/session/restore-service';
import { enqueueCheck } from '../../../main/core/session/maintenance-service';
import { addPstAccount } from '../../../main/core/session/account-service';
import type { CheckResult } from '../../../main/core/history/integrity-check';
import type { RestoreReport } from '../../../main/core/restore/restore-engine';
import { retentionDrops } from '../../../main/core/history/retention';
import type { ContactProvider } from '../../../main/core/providers/provider';
import { MemoryBook, memoryProvider } from '../../support/memory-provider';
import { createTestApp, type TestApp } from '../../support/test-app';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

function person(name: string, extra: Partial<Contact> = {}): Contact {
  return {
    ...emptyContact(name),
    name: { given: name, family: 'Tester' },
    emails: [{ value: `${name.toLowerCase()}@example.org`, type: 'work' }],
    phones: [{ value: '+44 20 7946 0958', type: 'mobile' }],
    organizations: [{ name: 'Analytical Engines', title: 'Engineer', department: 'R&D' }],
    notes: `Notes of ${name}`,
    folderIds: ['f-a'],
    ...extra,
  };
}

async function backup(test: TestApp, userKey: string) {
  const done = await test.session.jobs.wait(enqueueBackup(test.session, { userKey }, 'user', true).job.id);
  expect(done.state).toBe('succeeded');
  return done;
}

describe('exports', () => {
  it('wraps an export in an AES-256 ZIP that opens only with its password, and stores no password', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.folders = [{ id: 'f-a', name: 'A' }];
    book.put('a', person('Ada'));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const path = join(await tempDir(), 'contacts.vcf.zip');
    const job = enqueueExport(
      test.session,
      { userKey, format: 'vcf', path, zipPassword: 'zip password 1' },
      'user',
    );
    const done = await test.session.jobs.wait(job.id);
    expect(done.state).toBe('succeeded');
    expect(JSON.stringify(done.params)).not.toContain('zip password 1');
    const bytes = await readFile(path);
    expect(bytes.includes(Buffer.from('Ada'))).toBe(false);
    const reader = new ZipReader(new BlobReader(new Blob([bytes])));
    const [entry] = await reader.getEntries();
    if (entry.directory) throw new Error('expected a file entry');
    expect(entry.filename).toBe('contacts.vcf');
    expect(entry.encrypted).toBe(true);
    await expect(entry.getData(new Uint8ArrayWriter(), { password: 'wrong password' })).rejects.toThrow();
    const text = Buffer.from(
      await entry.getData(new Uint8ArrayWriter(), { password: 'zip password 1' }),
    ).toString('utf8');
    expect(text).toMatch(/FN:Ada\r\n/);
    await reader.close();
    expect((await readdir(join(path, '..'))).filter((name) => name.includes('partial'))).toEqual([]);
    expect(() =>
      enqueueExport(
        test.session,
        { userKey, format: 'vcf', path: join(path, '..', 'x.vcf'), zipPassword: 'zip password 1' },
        'user',
      ),
    ).toThrow(/\.vcf\.zip/);
  });

  it('round trip: backup, export to PST, import that PST as a source, same contacts', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    book.folders = [
      { id: 'f-a', name: 'Friends' },
      { id: 'f-b', name: 'Work' },
    ];
    book.put(
      'a',
      person('Ada', { birthday: { month: 12, day: 10 } }),
      Buffer.from('not really a png but bytes'),
    );
    book.put(
      'b',
      person('Bob', {
        folderIds: ['f-b'],
        addresses: [
          { type: 'home', street: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'USA' },
        ],
      }),
    );
    book.put('c', person('Zoë', { name: { given: 'Zoë', family: 'Ωμέγα' }, notes: 'x'.repeat(20_000) }));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    const path = join(await tempDir(), 'export.pst');
    const done = await test.session.jobs.wait(
      enqueueExport(test.session, { userKey, format: 'pst', path }, 'user').id,
    );
    expect(done.state).toBe('succeeded');
    const account = await addPstAccount(test.session, path, 'Exported');
    const pstKey = `${account.id}/${account.users[0].id}`;
    await backup(test, pstKey);
    const contactsOf = (key: string) =>
      [...test.session.history.index.contactsAt(new Set([key]))]
        .map((state) => state.version.contact)
        .sort((a, b) => a.displayName.localeCompare(b.displayName));
    const original = contactsOf(userKey);
    const imported = contactsOf(pstKey);
    expect(imported.map((contact) => contact.displayName)).toEqual(
      original.map((contact) => contact.displayName),
    );
    for (const [index, contact] of imported.entries()) {
      const source = original[index];
      expect(contact.name.given).toBe(source.name.given);
      expect(contact.name.family).toBe(source.name.family);
      expect(contact.emails[0]?.value).toBe(source.emails[0]?.value);
      expect(contact.phones.map((phone) => phone.value)).toEqual(source.phones.map((phone) => phone.value));
      expect(contact.organizations[0]).toMatchObject({
        name: 'Analytical Engines',
        title: 'Engineer',
        department: 'R&D',
      });
      expect(contact.notes).toBe(source.notes);
      expect(Boolean(contact.photo)).toBe(Boolean(source.photo));
      if (source.photo) expect(contact.photo!.hash).toBe(source.photo.hash);
    }
    expect(imported.find((contact) => contact.displayName === 'Ada')!.birthday).toMatchObject({
      month: 12,
      day: 10,
    });
    expect(imported.find((contact) => contact.displayName === 'Bob')!.addresses[0]).toMatchObject({
      street: '1 Main St',
      city: 'Springfield',
    });
    const folderNames = test.session.history.index
      .foldersAt(pstKey)
      .map((folder) => folder.name)
      .sort();
    expect(folderNames).toEqual(expect.arrayContaining(['Friends', 'Work']));
  });
});

describe('interrupted and cancelled jobs', () => {
  it('a cancelled backup leaves the vault passing check, and the next backup completes', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    for (let index = 0; index < 400; index += 1) book.put(`s${index}`, person(`P${index}`));
    book.pageSize = 20;
    let gate: (() => void) | undefined;
    const slow = (source: MemoryBook): ContactProvider => {
      const provider = memoryProvider(source);
      return {
        ...provider,
        sync: (userId, cursor, sink, context) =>
          provider.sync(
            userId,
            cursor,
            async (batch) => {
              await sink(batch);
              if (gate === undefined) await new Promise<void>((resolve) => (gate = resolve));
            },
            context,
          ),
      };
    };
    const userKey = await test.addBook('Home', book, slow);
    const job = enqueueBackup(test.session, { userKey }, 'user', true).job;
    await new Promise((resolve) => setTimeout(resolve, 50));
    test.session.jobs.cancel(job.id);
    gate?.();
    expect((await test.session.jobs.wait(job.id)).state).toBe('cancelled');
    expect(test.session.history.snapshots).toHaveLength(0);
    const check = (await test.session.jobs.wait(enqueueCheck(test.session, false, 'user').id))
      .result as CheckResult;
    expect(check.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    const resumed = await test.session.jobs.wait(test.session.jobs.retry(job.id).job.id);
    expect(resumed.state).toBe('succeeded');
    expect(resumed.counts.added).toBe(400);
  });

  it('restores only what was deleted at the source after a mass deletion', async () => {
    const test = await createTestApp();
    const book = new MemoryBook();
    for (let index = 0; index < 50; index += 1) book.put(`s${index}`, person(`P${index}`));
    const userKey = await test.addBook('Home', book);
    await backup(test, userKey);
    for (let index = 0; index < 20; index += 1) book.remove(`s${index}`);
    const flagged = await backup(test, userKey);
    expect((flagged.result as { massDeletion?: unknown }).massDeletion).toEqual({ deleted: 20, before: 50 });
    const job = enqueueRestore(
      test.session,
      { userKey, scope: 'all', mode: 'overwrite', onlyDeleted: true },
      'user',
    );
    const report = (await test.session.jobs.wait(job.id)).result as RestoreReport;
    expect(report).toMatchObject({ created: 20, updated: 0 });
    expect(book.contacts.size).toBe(50);
  });
});

describe('GFS retention', () => {
  it('keeps one revision per day, week and month asked for, and lets the rest go', async () => {
    let now = Date.parse('2026-01-01T12:00:00Z');
    const test = await createTestApp({ clock: { now: () => new Date(now) } });
    const book = new MemoryBook();
    const userKey = await test.addBook('Home', book);
    // Two revisions a day for 60 days.
    for (let day = 0; day < 60; day += 1) {
      for (const hour of [0, 6]) {
        book.put('a', person('Ada', { notes: `day ${day} ${hour}` }));
        now = Date.parse('2026-01-01T08:00:00Z') + day * 86_400_000 + hour * 3_600_000;
        await backup(test, userKey);
      }
    }
    const drops = retentionDrops(
      test.session.history.index,
      { policy: { kind: 'gfs', daily: 7, weekly: 4, monthly: 3 } },
      new Date(now),
    );
    const history = [...test.session.history.index.contacts.values()][0];
    const kept = history.versions.filter(
      (version) => !drops.versions.has(`${history.id}|${version.snapshotId}`),
    );
    // 7 daily + up to 4 weekly + up to 3 monthly moments, some shared, plus the current revision.
    expect(kept.length).toBeGreaterThanOrEqual(8);
    expect(kept.length).toBeLessThanOrEqual(15);
    expect(kept.at(-1)).toBe(history.versions.at(-1));
    expect(drops.versions.size).toBe(history.versions.length - kept.length);
  });
});
