/**
 * Exports that survive a hostile machine (issue 18 item 4): private modes (files 0600, created
 * folders 0700), a password ZIP encrypted as it streams (no plaintext file ever on disk), stale
 * `.partial` files of killed exports removed by the next export, and a lost photo reported as a
 * warning (and CLI exit code 4).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { watch } from 'node:fs';
import { join } from 'node:path';
import { BlobReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';
import { emptyContact, type Contact } from '../../../main/core/contacts/model';
import type { ExportFormat } from '../../../main/core/contract/contract-types';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { enqueueExport, removeExportLeftovers } from '../../../main/core/session/export-service';
import { MemoryBook } from '../../support/memory-provider';
import { createTestApp, type TestApp } from '../../support/test-app';
import { runCli } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const MARKER = 'Plaintextmarkerada';

function person(name: string): Contact {
  return {
    ...emptyContact(name),
    name: { given: name, family: 'Tester' },
    emails: [{ value: `${name.toLowerCase()}@example.org`, type: 'work' }],
    notes: `+cmd|' /C calc'!A0`,
    folderIds: ['f-a'],
  };
}

async function withBackup(): Promise<{ test: TestApp; userKey: string }> {
  const test = await createTestApp();
  const book = new MemoryBook();
  book.folders = [{ id: 'f-a', name: 'A' }];
  book.put('a', person(MARKER), Buffer.from('photo bytes of ada'));
  book.put('b', person('Bob'));
  const userKey = await test.addBook('Home', book);
  const done = await test.session.jobs.wait(enqueueBackup(test.session, { userKey }, 'user', true).job.id);
  expect(done.state).toBe('succeeded');
  return { test, userKey };
}

async function unzip(path: string, password: string): Promise<Buffer> {
  const reader = new ZipReader(new BlobReader(new Blob([await readFile(path)])));
  const [entry] = await reader.getEntries();
  if (entry.directory) throw new Error('expected a file entry');
  const bytes = Buffer.from(await entry.getData(new Uint8ArrayWriter(), { password }));
  await reader.close();
  return bytes;
}

const utf16 = (text: string) => Buffer.from(text, 'utf16le');

describe('export hardening', () => {
  it('writes every format 0600 into a created 0700 folder', async () => {
    const { test, userKey } = await withBackup();
    const folder = join(await tempDir(), 'new', 'exports');
    for (const [format, extension] of [
      ['pst', 'pst'],
      ['vcf', 'vcf'],
      ['csv-google', 'csv'],
      ['csv-outlook', 'csv'],
    ] as const) {
      const path = join(folder, `out-${format}.${extension}`);
      const job = enqueueExport(test.session, { userKey, format, path }, 'user');
      expect((await test.session.jobs.wait(job.id)).state).toBe('succeeded');
      expect((await stat(path)).mode & 0o777, format).toBe(0o600);
    }
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await readdir(folder)).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('streams a password ZIP: no plaintext file appears in the folder at any time', async () => {
    const { test, userKey } = await withBackup();
    for (const format of ['pst', 'vcf', 'csv-google'] as ExportFormat[]) {
      const folder = await tempDir();
      const seen = new Set<string>();
      const watcher = watch(folder, (_event, name) => {
        if (name) seen.add(name);
      });
      const extension = format === 'pst' ? 'pst' : format === 'vcf' ? 'vcf' : 'csv';
      const path = join(folder, `contacts.${extension}.zip`);
      const job = enqueueExport(
        test.session,
        { userKey, format, path, zipPassword: 'zip password 1' },
        'user',
      );
      const done = await test.session.jobs.wait(job.id);
      watcher.close();
      expect(done.state, format).toBe('succeeded');
      // Only the ZIP's own temporary, the PST's encrypted scratch file and the ZIP itself.
      for (const name of seen) {
        expect(name, format).toMatch(/^(contacts\..+\.zip|\.contacts\..+\.zip(\.scratch)?\.\d+\.partial)$/);
      }
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      const zipped = await readFile(path);
      expect(zipped.includes(Buffer.from(MARKER)) || zipped.includes(utf16(MARKER))).toBe(false);
      const inner = await unzip(path, 'zip password 1');
      expect(inner.includes(Buffer.from(MARKER)) || inner.includes(utf16(MARKER)), format).toBe(true);
      expect(await readdir(folder)).toEqual([`contacts.${extension}.zip`]);
    }
  });

  it('removes the private .partial files killed exports left, but not a live process’s', async () => {
    const { test, userKey } = await withBackup();
    const folder = await tempDir();
    const dead = join(folder, '.old.vcf.999999999.partial');
    const legacy = join(folder, '.older.pst.partial');
    const scratch = join(folder, '.x.pst.zip.scratch.999999999.partial');
    const live = join(folder, `.busy.csv.${process.ppid}.partial`);
    const unrelated = join(folder, '.notes.partial');
    for (const path of [dead, legacy, scratch, live, unrelated]) await writeFile(path, 'BEGIN:VCARD');
    const job = enqueueExport(
      test.session,
      { userKey, format: 'vcf', path: join(folder, 'new.vcf') },
      'user',
    );
    const done = await test.session.jobs.wait(job.id);
    expect(done.state).toBe('succeeded');
    expect((await readdir(folder)).sort()).toEqual(
      ['.busy.csv.' + process.ppid + '.partial', '.notes.partial', 'new.vcf'].sort(),
    );
    expect(done.log.map((line) => line.text).join('\n')).toMatch(/Removed \.old\.vcf\.999999999\.partial/);
  });

  it('opening the profile removes what a killed export left in its folder', async () => {
    const { test, userKey } = await withBackup();
    const folder = await tempDir();
    const path = join(folder, 'remembered.vcf');
    const done = await test.session.jobs.wait(
      enqueueExport(test.session, { userKey, format: 'vcf', path }, 'user').id,
    );
    expect(done.state).toBe('succeeded');
    // A later export to that folder was killed: its partial file has a dead pid.
    const leftover = join(folder, '.remembered.vcf.999999999.partial');
    await writeFile(leftover, 'BEGIN:VCARD', { mode: 0o600 });
    expect(await removeExportLeftovers(test.session)).toBe(1);
    expect(await readdir(folder)).toEqual(['remembered.vcf']);
  });

  it('a photo that cannot be read is a warning with a count, and the export still completes', async () => {
    const { test, userKey } = await withBackup();
    const blobs = test.session.vault.blobs;
    const original = blobs.get.bind(blobs);
    blobs.get = async () => {
      throw new Error('gone');
    };
    try {
      const path = join(await tempDir(), 'out.vcf');
      const done = await test.session.jobs.wait(
        enqueueExport(test.session, { userKey, format: 'vcf', path }, 'user').id,
      );
      expect(done.state).toBe('succeeded');
      expect(done.result).toMatchObject({ contacts: 2, photosMissing: 1 });
      expect(done.counts.photosMissing).toBe(1);
      expect(done.log.map((line) => line.text).join('\n')).toMatch(/Warning: 1 photo could not be read/);
    } finally {
      blobs.get = original;
    }
  });

  it('the CLI exits 4 with a warning when a photo is lost', async () => {
    const home = await tempDir();
    const source = join(home, 'book.vcf');
    const photo = Buffer.from('a small photo').toString('base64');
    await writeFile(
      source,
      `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Tester\r\nN:Tester;Ada;;;\r\nPHOTO;ENCODING=b;TYPE=JPEG:${photo}\r\nEND:VCARD\r\n`,
    );
    expect((await runCli(home, ['init'])).code).toBe(0);
    expect((await runCli(home, ['account', 'add', 'vcard', '--file', source])).code).toBe(0);
    const backedUp = await runCli(home, ['backup']);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    const removeBlobs = async (folder: string): Promise<number> => {
      let removed = 0;
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (entry.name === 'blobs') {
            await rm(path, { recursive: true });
            await mkdir(path);
            removed += 1;
          } else removed += await removeBlobs(path);
        }
      }
      return removed;
    };
    expect(await removeBlobs(home)).toBeGreaterThan(0);
    const out = join(home, 'out.vcf');
    const exported = await runCli(home, ['export', '--format', 'vcf', '--out', out, '--all']);
    expect(exported.stderr).toMatch(/warning: 1 photo could not be read/);
    expect(exported.code).toBe(4);
    expect(await readFile(out, 'utf8')).toContain('FN:Ada Tester');
  });
});
