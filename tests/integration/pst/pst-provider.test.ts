/** The PST provider on Outlook-made files and on files that are not PSTs. */
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, type SyncBatch, type WorkContext } from '../../../main/core/providers/provider';
import { createPstProvider, readPstContacts } from '../../../main/core/providers/pst/pst-provider';
import { PST_FIXTURES } from '../../support/shared-fixtures';

const fixtures = PST_FIXTURES;
const context: WorkContext = { signal: new AbortController().signal, progress: () => {}, log: () => {} };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pst-provider-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PST provider', () => {
  for (const name of ['dist-list.pst', 'passworded.pst']) {
    it(`reads the Outlook contact of ${name}`, async () => {
      const provider = createPstProvider(join(fixtures, name));
      expect(await provider.listUsers(context)).toEqual([
        { id: 'pst', email: name, displayName: name, active: true },
      ]);
      expect(provider.writer('pst')).toBeUndefined();
      const batches: SyncBatch[] = [];
      const outcome = await provider.sync(
        'pst',
        undefined,
        async (batch) => void batches.push(batch),
        context,
      );
      expect(outcome).toEqual({ full: true });
      expect(batches[0].folders).toEqual([{ id: String(0x8142), name: 'Contacts' }]);
      const contacts = batches.flatMap((batch) => batch.upserts);
      expect(contacts).toHaveLength(1); // the distribution list is not a contact
      const [contact] = contacts;
      expect(contact.contact.displayName).toBe('contact name 1');
      expect(contact.contact.name).toEqual({ given: 'contact', family: '1', middle: 'name' });
      expect(contact.contact.emails).toEqual([{ value: 'contact1@rjohnson.id.au' }]);
      expect(contact.contact.fileAs).toBe('1, contact name');
      expect(contact.contact.folderIds).toEqual([String(0x8142)]);
      const fetched = await provider.fetchContacts('pst', [contact.sourceId, 'missing'], context);
      expect(fetched.map((item) => item.sourceId)).toEqual([contact.sourceId]);
    });
  }

  it('rejects a file that is not a PST with invalid-input', async () => {
    const path = join(dir, 'notes.pst');
    await writeFile(path, 'BEGIN:VCARD\nEND:VCARD\n'.repeat(100));
    await expect(readPstContacts(path)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('rejects a PST whose body is damaged with invalid-input, without crashing', async () => {
    const original = await readFile(join(fixtures, 'dist-list.pst'));
    const damaged = Buffer.concat([
      original.subarray(0, 0x4400),
      Buffer.alloc(original.length - 0x4400, 0x5a),
    ]);
    const path = join(dir, 'damaged.pst');
    await writeFile(path, damaged);
    const error = await readPstContacts(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('invalid-input');
  });
});
