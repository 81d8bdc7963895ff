import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

vi.mock('electron', () => ({}));

const { APP_INDEX_URL, APP_ORIGIN, appRequestHandler, registerAppScheme, resolveAppFile, serveAppProtocol } =
  await import('../../../main/electron/app-protocol');
const { APP_CSP, hardenSession } = await import('../../../main/electron/window-security');

afterAll(removeTempDirs);

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme with fetch, and serves it with protocol.handle', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }),
      },
    ]);
    const handled: string[] = [];
    serveAppProtocol({ handle: (scheme) => void handled.push(scheme) }, '/renderer');
    expect(handled).toEqual(['app']);
    expect(APP_INDEX_URL).toBe(`${APP_ORIGIN}/index.html`);
  });

  it('maps app:// URLs into the renderer folder only', () => {
    const root = '/opt/app/out/renderer';
    expect(resolveAppFile('app://contacts-backup/index.html#/tasks', root)).toBe(`${root}/index.html`);
    expect(resolveAppFile('app://contacts-backup/', root)).toBe(`${root}/index.html`);
    expect(resolveAppFile('app://contacts-backup/assets/index-1.js?v=1', root)).toBe(
      `${root}/assets/index-1.js`,
    );
    expect(resolveAppFile('app://contacts-backup/../../main/main.cjs', root)).toBe(`${root}/main/main.cjs`);
    // The URL parser resolves dot segments (also %2e%2e) at the root, so they stay inside.
    expect(resolveAppFile('app://contacts-backup/%2e%2e/%2e%2e/secret', root)).toBe(`${root}/secret`);
    expect(resolveAppFile('app://contacts-backup/..%2f..%2fsecret', root)).toBeUndefined();
    expect(resolveAppFile('app://contacts-backup/a%00b', root)).toBeUndefined();
    expect(resolveAppFile('app://contacts-backup/%E0%A4%A', root)).toBeUndefined();
    expect(resolveAppFile('app://other-host/index.html', root)).toBeUndefined();
    expect(resolveAppFile('file:///etc/passwd', root)).toBeUndefined();
    expect(resolveAppFile('not a url', root)).toBeUndefined();
  });

  it('answers with the file, its type and the CSP, and 404 for anything else', async () => {
    const folder = await tempDir();
    mkdirSync(join(folder, 'assets'));
    writeFileSync(join(folder, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(folder, 'assets', 'app.js'), 'export {};');
    writeFileSync(join(folder, '..', 'outside.txt'), 'secret');
    const handler = appRequestHandler(folder);
    const index = await handler(new Request(APP_INDEX_URL));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await index.text()).toBe('<!doctype html><title>x</title>');
    const script = await handler(new Request(`${APP_ORIGIN}/assets/app.js`));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handler(new Request(`${APP_ORIGIN}/missing.js`))).status).toBe(404);
    expect((await handler(new Request(`${APP_ORIGIN}/..%2foutside.txt`))).status).toBe(404);
    expect((await handler(new Request(APP_INDEX_URL, { method: 'POST', body: 'x' }))).status).toBe(404);
  });
});

describe('session permissions', () => {
  it('grants only clipboard writes, and only to the app origin', () => {
    let request:
      | ((contents: unknown, name: string, callback: (granted: boolean) => void, details: unknown) => void)
      | undefined;
    let check: ((contents: unknown, name: string, origin: string) => boolean) | undefined;
    hardenSession(
      {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: (handler: typeof request) => (request = handler),
        setPermissionCheckHandler: (handler: typeof check) => (check = handler),
      } as never,
      APP_ORIGIN,
    );
    const answers: boolean[] = [];
    const ask = (name: string, url: string) =>
      request!(undefined, name, (granted) => answers.push(granted), { requestingUrl: url });
    ask('clipboard-sanitized-write', `${APP_INDEX_URL}#/settings`);
    ask('clipboard-sanitized-write', 'https://evil.example/');
    ask('clipboard-read', APP_INDEX_URL);
    ask('media', APP_INDEX_URL);
    expect(answers).toEqual([true, false, false, false]);
    expect(check!(undefined, 'clipboard-sanitized-write', APP_ORIGIN)).toBe(true);
    expect(check!(undefined, 'clipboard-sanitized-write', 'file://')).toBe(false);
    expect(check!(undefined, 'notifications', APP_ORIGIN)).toBe(false);
  });
});
