/**
 * Where a restore may go (issue 15 item 4): only writable targets are offered, the others with a
 * sentence; a new vCard folder or file at a path; a vCard account over one file is written through
 * the atomic file target; a wrong path is refused before Preview.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseVcards } from '../../../main/core/contacts/vcard-parse';
import { addSampleAccount, addVcardAccount } from '../../../main/core/session/account-service';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { enqueueExport } from '../../../main/core/session/export-service';
import { enqueueRestore, previewRestore, restoreTargets } from '../../../main/core/session/restore-service';
import type { RestoreReport } from '../../../main/core/restore/restore-engine';
import { writeVcfSource } from '../../support/generate-contacts';
import { createTestApp, type TestApp } from '../../support/test-app';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

async function backup(test: TestApp, userKey: string) {
  const done = await test.session.jobs.wait(enqueueBackup(test.session, { userKey }, 'user', true).job.id);
  expect(done.state).toBe('succeeded');
}

async function restore(test: TestApp, request: Parameters<typeof enqueueRestore>[1]) {
  const done = await test.session.jobs.wait(enqueueRestore(test.session, request, 'user').id);
  if (done.state !== 'succeeded') throw new Error(`restore ${done.state}: ${done.error?.message}`);
  return done.result as RestoreReport & { summary: string };
}

describe('restore targets', () => {
  it('offers only writable targets, says why the sample is not one, and suggests a new vCard folder', async () => {
    const test = await createTestApp();
    const sample = await addSampleAccount(test.session);
    const sampleKey = `${sample.id}/${sample.users[0].id}`;
    const home = await test.addBook('Home');
    const view = restoreTargets(test.session, sampleKey);
    expect(view.suggested).toBe('vcard-folder');
    expect(view.targets.map((target) => target.userKey)).toEqual([home]);
    expect(view.notOffered).toEqual([
      expect.objectContaining({
        userKey: sampleKey,
        notOffered: expect.stringMatching(/is read-only: restore it into a new vCard folder or file/),
      }),
    ]);
    expect(view.suggestedPaths.file).toMatch(/\.vcf$/);
    expect(restoreTargets(test.session, home)).toMatchObject({
      suggested: 'same-user',
      targets: [{ userKey: home }],
    });
    // A path that is a file is refused as a folder target before anything is planned.
    await backup(test, sampleKey);
    const file = join(await tempDir(), 'x.vcf');
    await writeFile(file, '');
    await expect(
      previewRestore(test.session, {
        userKey: sampleKey,
        scope: 'all',
        targetPath: file,
        targetKind: 'vcard-folder',
      }),
    ).rejects.toThrow(/is a file: choose "a new vCard file"/);
    await expect(
      previewRestore(test.session, { userKey: sampleKey, scope: 'all', targetPath: 'relative/path' }),
    ).rejects.toThrow(/full path/);
    expect(() => enqueueRestore(test.session, { userKey: sampleKey, scope: 'all' }, 'user')).toThrow(
      /read-only/,
    );
  });

  it('writes a vCard account over one file atomically: skip adds only what is missing, once', async () => {
    const test = await createTestApp();
    const folder = await tempDir();
    const path = join(folder, 'book.vcf');
    const uids = writeVcfSource(path, 40, { seed: 3 }).map((item) => item.uid);
    const account = await addVcardAccount(test.session, path, 'Book');
    const userKey = `${account.id}/${account.users[0].id}`;
    await backup(test, userKey);
    // Five cards go at the source and the next backup marks them deleted.
    const text = await readFile(path, 'utf8');
    const cards = text.split(/(?=BEGIN:VCARD)/);
    await writeFile(path, cards.slice(5).join(''));
    await backup(test, userKey);
    const live = await previewRestore(test.session, { userKey, scope: 'all', mode: 'skip' });
    expect(live).toMatchObject({ create: 0, skip: 35 });
    const request = { userKey, scope: 'all' as const, mode: 'skip' as const, includeDeleted: true };
    const preview = await previewRestore(test.session, request);
    expect(preview).toMatchObject({ create: 5, update: 0, skip: 35 });
    expect(preview.names?.create).toHaveLength(5);
    const report = await restore(test, request);
    expect(report).toMatchObject({ created: 5, updated: 0, skipped: 35 });
    expect(report.summary).toBe('Restored: 5 created, 0 updated, 35 skipped.');
    const after = parseVcards(await readFile(path, 'utf8'));
    expect(after.errors).toEqual([]);
    expect(after.cards.map((card) => card.uid).sort()).toEqual([...uids].sort());
    expect((await readdir(folder)).filter((name) => name !== 'book.vcf')).toEqual([]);
    // The next backup sees the same 40 contacts, none new, none deleted.
    await backup(test, userKey);
    const states = [...test.session.history.index.contactsAt(new Set([userKey]))];
    expect(states).toHaveLength(40);
    expect(states.filter((state) => state.deleted)).toEqual([]);
    // And a skip re-run creates nothing.
    expect(await restore(test, request)).toMatchObject({ created: 0, skipped: 40 });
    // A vCard export keeps the source's UIDs (CardDAV servers and Apple deduplicate by them).
    const out = join(await tempDir(), 'export.vcf');
    const exported = await test.session.jobs.wait(
      enqueueExport(test.session, { userKey, format: 'vcf3', path: out }, 'user').id,
    );
    expect(exported.state).toBe('succeeded');
    const cardsOut = parseVcards(await readFile(out, 'utf8')).cards;
    expect(cardsOut.map((card) => card.uid).sort()).toEqual([...uids].sort());
  });
});
