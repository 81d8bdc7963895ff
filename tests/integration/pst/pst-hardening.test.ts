/**
 * The PST reader against damaged and unusual files (issue 18 item 5): a worker with a time budget,
 * seeded fuzzing with flipped and scrambled bytes that always ends within the budget, partial reads
 * reported (and never "full"), distribution lists counted, custom contact forms read, a PST password
 * named, and empty source files (.pst and .vcf) refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PSTFile, PSTMessage, type PSTFolder } from 'pst-extractor';
import { emptyContact } from '../../../main/core/contacts/model';
import { writePst } from '../../../main/core/export/pst';
import { ProviderError, type SyncBatch, type WorkContext } from '../../../main/core/providers/provider';
import { createPstProvider, readPstContacts } from '../../../main/core/providers/pst/pst-provider';
import { asContact, isContactClass } from '../../../main/core/providers/pst/pst-read';
import { pstContactToContact, type ContactLike } from '../../../main/core/providers/pst/pst-contact-mapping';
import { readVcardBook } from '../../../main/core/providers/vcard/vcard-source';
import { PST_FIXTURES } from '../../support/shared-fixtures';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

/** mulberry32: a small seeded PRNG, so every fuzz case can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function contextWith(lines: string[]): WorkContext {
  return { signal: new AbortController().signal, progress: () => {}, log: (line) => lines.push(line) };
}

async function generatedPst(folder: string, count: number): Promise<string> {
  const path = join(folder, 'generated.pst');
  async function* contacts() {
    for (let index = 0; index < count; index++) {
      yield {
        folderId: index % 2 ? 'a' : 'b',
        contact: { ...emptyContact(`Person ${index}`), name: { given: `Person`, family: `${index}` } },
      };
    }
  }
  await writePst(
    path,
    [
      { id: 'a', name: 'Friends' },
      { id: 'b', name: 'Work', parentId: 'a' },
    ],
    contacts(),
  );
  return path;
}

describe('PST hardening', () => {
  it('counts distribution lists and names a PST password instead of skipping them silently', async () => {
    const plain = await readPstContacts(join(PST_FIXTURES, 'dist-list.pst'));
    expect(plain.contacts).toHaveLength(1);
    expect(plain.partial).toBe(false);
    expect(plain.warnings.join('\n')).toMatch(/not backed up from dist-list\.pst: 1 distribution list /);
    expect(plain.warnings.join('\n')).not.toMatch(/password/);
    const locked = await readPstContacts(join(PST_FIXTURES, 'passworded.pst'));
    expect(locked.warnings.join('\n')).toMatch(/passworded\.pst has an Outlook PST password/);
    // The sync puts these sentences in the job log.
    const lines: string[] = [];
    await createPstProvider(join(PST_FIXTURES, 'passworded.pst')).sync(
      'pst',
      undefined,
      async () => {},
      contextWith(lines),
    );
    expect(lines.join('\n')).toMatch(/PST password/);
  });

  it('reads custom contact forms (IPM.Contact.*) as contacts', () => {
    expect(isContactClass('IPM.Contact')).toBe(true);
    expect(isContactClass('IPM.Contact.Customer')).toBe(true);
    expect(isContactClass('IPM.ContactX')).toBe(false);
    expect(isContactClass('IPM.DistList')).toBe(false);
    // pst-extractor hands out a custom form's item as a plain PSTMessage: read it as a contact.
    const file = new PSTFile(join(PST_FIXTURES, 'dist-list.pst'));
    try {
      const find = (folder: PSTFolder): PSTFolder | undefined =>
        folder.containerClass === 'IPF.Contact'
          ? folder
          : folder.hasSubfolders
            ? folder.getSubFolders().map(find).find(Boolean)
            : undefined;
      const contacts = find(file.getRootFolder())!;
      const item = contacts.getNextChild() as ContactLike;
      const expected = pstContactToContact(item, 'f');
      Object.setPrototypeOf(item, PSTMessage.prototype);
      expect((item as unknown as { givenName?: string }).givenName).toBeUndefined();
      expect(pstContactToContact(asContact(item), 'f')).toEqual(expected);
    } finally {
      file.close();
    }
  });

  it('refuses empty source files instead of reading them as "everything deleted"', async () => {
    const folder = await tempDir();
    const pst = join(folder, 'empty.pst');
    const vcf = join(folder, 'empty.vcf');
    await writeFile(pst, '');
    await writeFile(vcf, '');
    await expect(readPstContacts(pst)).rejects.toThrow(/the file is empty/);
    await expect(readVcardBook(vcf)).rejects.toThrow(/the file is empty/);
    await writeFile(vcf, '\uFEFF\r\n  \r\n');
    await expect(readVcardBook(vcf)).rejects.toThrow(/the file is empty/);
  });

  it('stops a read that runs over its budget with a sentence naming the file', async () => {
    const folder = await tempDir();
    const path = await generatedPst(folder, 200);
    const started = performance.now();
    await expect(readPstContacts(path, { budgetMs: 1 })).rejects.toThrow(
      /generated\.pst could not be read within/,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('fuzz: flipped and scrambled bytes always end within the budget, and partial reads say so', async () => {
    const folder = await tempDir();
    const bases = [
      { name: 'outlook', bytes: await readFile(join(PST_FIXTURES, 'dist-list.pst')) },
      { name: 'generated', bytes: await readFile(await generatedPst(folder, 120)) },
    ];
    const budgetMs = 8_000;
    const outcomes: string[] = [];
    for (const base of bases) {
      const clean = await readPstContacts(join(PST_FIXTURES, 'dist-list.pst'));
      const originalCount = base.name === 'outlook' ? clean.contacts.length : 120;
      for (let seed = 1; seed <= 8; seed++) {
        const next = random(seed * 7919 + base.bytes.length);
        const bytes = Buffer.from(base.bytes);
        const scramble = seed % 2 === 0;
        if (scramble) {
          // 4 KB of noise somewhere after the header region.
          const start = 0x4400 + Math.floor(next() * (bytes.length - 0x4400 - 4096));
          for (let index = 0; index < 4096; index++) bytes[start + index] = Math.floor(next() * 256);
        } else {
          const flips = 1 + Math.floor(next() * 16);
          for (let flip = 0; flip < flips; flip++) {
            const at = 0x4400 + Math.floor(next() * (bytes.length - 0x4400));
            bytes[at] ^= 1 << Math.floor(next() * 8);
          }
        }
        const path = join(folder, `${base.name}-${seed}.pst`);
        await writeFile(path, bytes);
        const started = performance.now();
        let outcome: string;
        try {
          const read = await readPstContacts(path, { budgetMs });
          if (read.contacts.length < originalCount && !read.partial) {
            throw new Error(
              `${path}: ${read.contacts.length} of ${originalCount} contacts, silently (${JSON.stringify(read.folders)})`,
            );
          }
          if (read.partial) expect(read.warnings.join('\n')).toMatch(/read only in part/);
          outcome = read.partial ? 'partial' : 'complete';
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          outcome = /within/.test((error as Error).message) ? 'timed out' : 'refused';
        }
        const elapsed = performance.now() - started;
        expect(elapsed, `${path} took ${elapsed} ms`).toBeLessThan(budgetMs + 4_000);
        outcomes.push(`${base.name} seed ${seed} ${scramble ? 'scrambled' : 'flipped'}: ${outcome}`);
      }
    }
    expect(outcomes).toHaveLength(16);
    console.log(outcomes.join('\n'));
  });

  it('a partial read is not a full sync, so what it missed is never marked deleted', async () => {
    const folder = await tempDir();
    const bytes = await readFile(await generatedPst(folder, 120));
    // Find a damage that reads partly (seeded, so the search is the same every run).
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const damaged = Buffer.from(bytes);
      const start = 0x4400 + Math.floor(next() * (damaged.length - 0x4400 - 4096));
      for (let index = 0; index < 4096; index++) damaged[start + index] = Math.floor(next() * 256);
      const path = join(folder, `partial-${seed}.pst`);
      await writeFile(path, damaged);
      const read = await readPstContacts(path, { budgetMs: 8_000 }).catch(() => undefined);
      if (!read?.partial) continue;
      const lines: string[] = [];
      const batches: SyncBatch[] = [];
      const outcome = await createPstProvider(path, { budgetMs: 8_000 }).sync(
        'pst',
        undefined,
        async (batch) => void batches.push(batch),
        contextWith(lines),
      );
      expect(outcome.full).toBe(false);
      expect(lines.join('\n')).toMatch(/Warning: .*could not be read/);
      return;
    }
    throw new Error('no seed gave a partial read');
  });
});
