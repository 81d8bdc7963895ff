import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesktopBundle, type DesktopBundle } from '../../support/desktop-bundle';
import { SAMPLE_ADDRESS_BOOK_PATH } from '../../support/repo-paths';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

// The built Electron main bundle, as packaged, with only `electron` faked: esbuild once moved the
// sample address book's module-relative path out of the app, which no source-level test could see.
let desktop: DesktopBundle;
const APP_INDEX_URL = 'app://contacts-backup/index.html';

beforeAll(async () => {
  desktop = await startDesktopBundle(await tempDir());
});

afterAll(async () => {
  desktop?.dispose();
  await removeTempDirs();
});

type Ok<T> = { ok: true; value: T };

describe('the built desktop main bundle (out/main/main.cjs)', () => {
  it('serves its window from app://, registered as a privileged scheme', () => {
    expect(desktop.window.url).toBe(`${APP_INDEX_URL}#/`);
    expect(desktop.electron.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
  });

  it('creates a profile, adds the sample address book and backs it up', async () => {
    expect(
      await desktop.invoke('profile.create', { name: 'Tester', password: 'test password 1' }),
    ).toMatchObject({
      ok: true,
    });
    const account = (await desktop.invoke('accounts.addSample')) as Ok<{ users: { userKey: string }[] }>;
    expect(account.ok).toBe(true);
    const userKey = account.value.users[0].userKey;
    const job = (await desktop.invoke('backup.run', { userKey })) as Ok<{ id: string }>;
    expect(job.ok).toBe(true);
    expect(await desktop.jobEnded(job.value.id)).toMatchObject({ state: 'succeeded' });
    const list = (await desktop.invoke('contacts.list', { userKey, limit: 5 })) as Ok<{ total: number }>;
    expect(list.value.total).toBe(340);
  });

  it('refuses calls from a frame that is not its own page', async () => {
    const foreign = await desktop.invoke(
      'app.status',
      {},
      { id: desktop.window.webContents.id, url: 'https://evil.example/' },
    );
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('serves the built renderer on app:// with the CSP, and nothing outside it', async () => {
    const handler = desktop.electron.protocolHandlers.get('app')!;
    const index = await handler(new Request(APP_INDEX_URL));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect((await handler(new Request(`app://contacts-backup/${asset}`))).status).toBe(200);
    }
    expect((await handler(new Request('app://contacts-backup/..%2f..%2fpackage.json'))).status).toBe(404);
  });

  it('copies a redacted diagnostic report from the Help menu', async () => {
    const copied = once(desktop.electron.events, 'clipboard');
    desktop.clickMenu('Copy Diagnostic Report');
    const [report] = (await copied) as [string];
    expect(report).toMatch(/^Contacts Backup diagnostic report/);
    expect(report).toMatch(/Version: \d+\.\d+\.\d+ \(electron\)/);
    expect(report).toMatch(/Job backup succeeded/);
    expect(report).not.toContain('test password 1');
    const sampleEmail = /EMAIL[^:]*:([^\r\n]+)/.exec(await readFile(SAMPLE_ADDRESS_BOOK_PATH, 'utf8'))![1];
    expect(report).not.toContain(sampleEmail);
  });

  it('quits from the menu after locking the profile', async () => {
    const quit = once(desktop.electron.module.app as never, 'quit');
    desktop.clickMenu('Quit');
    await quit;
    const status = (await desktop.invoke('app.status')) as Ok<{ session?: unknown }>;
    expect(status.value.session).toBeUndefined();
  });
});
