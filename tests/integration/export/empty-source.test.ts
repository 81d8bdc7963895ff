/**
 * An empty source file is refused, never read as "every contact deleted" (issue 18 item 5): a vCard
 * source truncated to zero bytes makes the next backup fail with "the file is empty", and every
 * contact backed up from it stays live in the backup.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addVcardAccount } from '../../../main/core/session/account-service';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { createTestApp } from '../../support/test-app';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const card = (name: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${name}\r\nN:${name};;;;\r\nEND:VCARD\r\n`;

describe('empty source file', () => {
  it('a zero-byte .vcf fails the backup and marks nothing deleted', async () => {
    const test = await createTestApp();
    const path = join(await tempDir(), 'book.vcf');
    await writeFile(path, card('Ada') + card('Bob'));
    const account = await addVcardAccount(test.session, path, 'Book');
    const userKey = `${account.id}/${account.users[0].id}`;
    const first = await test.session.jobs.wait(enqueueBackup(test.session, { userKey }, 'user', true).job.id);
    expect(first.state).toBe('succeeded');
    await writeFile(path, '');
    const second = await test.session.jobs.wait(
      enqueueBackup(test.session, { userKey }, 'user', true).job.id,
    );
    expect(second.state).toBe('failed');
    expect(second.error?.message).toMatch(/the file is empty/);
    const live = [...test.session.history.index.contactsAt(new Set([userKey]))].filter(
      (state) => !state.deleted,
    );
    expect(live).toHaveLength(2);
  });
});
