/**
 * The browser host's file routes (issue 16 item 5): a picked file goes into the profile's own
 * imports folder after its kind is checked; a finished export comes back as a download; both need
 * the page's token.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { createApp } from '../../../main/core/app';
import { startWebHost } from '../../../main/web/web-host';
import { safeFileName } from '../../../main/web/file-transfer';
import { addVcardAccount } from '../../../main/core/session/account-service';
import { enqueueBackup } from '../../../main/core/session/backup-service';
import { enqueueExport } from '../../../main/core/session/export-service';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const VCARD = 'BEGIN:VCARD\r\nVERSION:4.0\r\nUID:ada\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n';

async function setup() {
  const home = await tempDir();
  const renderer = join(home, 'renderer');
  await mkdir(renderer, { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  const app = createApp({ home, host: 'web' });
  const host = await startWebHost({ app, rendererFolder: renderer });
  const base = `http://127.0.0.1:${host.port}`;
  return { app, host, base, home };
}

describe('web host file transfer', () => {
  it('refuses both routes without the token', async () => {
    const { host, base } = await setup();
    const upload = await fetch(`${base}/files/upload?name=a.vcf&kind=vcard`, { method: 'POST', body: VCARD });
    expect(upload.status).toBe(403);
    expect((await fetch(`${base}/files/download?job=j1&token=wrong`)).status).toBe(403);
    await host.close();
  });

  it('uploads a vCard into the profile imports folder, refuses a CSV, and downloads an export', async () => {
    const { app, host, base } = await setup();
    const token = encodeURIComponent(host.token);
    const locked = await fetch(`${base}/files/upload?token=${token}&name=a.vcf&kind=vcard`, {
      method: 'POST',
      body: VCARD,
    });
    expect(await locked.json()).toMatchObject({ ok: false, code: 'locked' });

    const session = await app.createProfile('Tester', 'test password 1');
    const csv = await fetch(`${base}/files/upload?token=${token}&name=people.vcf&kind=vcard`, {
      method: 'POST',
      body: 'Name,E-mail\nAda,ada@example.org\n',
    });
    expect(await csv.json()).toMatchObject({
      ok: false,
      code: 'wrong-kind',
      message: expect.stringMatching(/CSV/),
    });

    const upload = await fetch(
      `${base}/files/upload?token=${token}&name=${encodeURIComponent('../../home.vcf')}&kind=vcard`,
      {
        method: 'POST',
        body: VCARD,
      },
    );
    const body = (await upload.json()) as { ok: boolean; path: string };
    expect(body.ok).toBe(true);
    const inside = relative(join(session.vault.folder, 'imports'), body.path);
    expect(inside.startsWith('..')).toBe(false);
    expect(inside.split(sep).at(-1)).toBe('home.vcf');
    expect(await readFile(body.path, 'utf8')).toBe(VCARD);

    const account = await addVcardAccount(session, body.path, 'Home');
    const userKey = `${account.id}/${account.users[0].id}`;
    await session.jobs.wait(enqueueBackup(session, { userKey }, 'user', true).job.id);
    const exported = await session.jobs.wait(enqueueExport(session, { userKey, format: 'vcf' }, 'user').id);
    expect(exported.state).toBe('succeeded');
    const download = await fetch(`${base}/files/download?token=${token}&job=${exported.id}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".*\.vcf"/);
    expect(await download.text()).toContain('FN:Ada Lovelace');
    const notExport = await fetch(`${base}/files/download?token=${token}&job=nope`);
    expect(notExport.status).toBe(404);
    await app.lock();
    await host.close();
  });

  it('keeps only a plain file name from what the browser sends', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\ada\\cards.vcf')).toBe('cards.vcf');
    expect(safeFileName('...')).toBe('upload');
  });
});
