import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createApp } from '../../../main/core/app';
import { startWebHost } from '../../../main/web/web-host';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

async function host() {
  const home = await tempDir();
  const renderer = join(home, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  return startWebHost({ app: createApp({ home, host: 'web' }), rendererFolder: renderer });
}

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    );
  });
}

describe('web host', () => {
  it('listens on 127.0.0.1 only and serves the page only with the token, with a strict CSP', async () => {
    const web = await host();
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const page = await fetch(web.url, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect((await fetch(`http://127.0.0.1:${web.port}/`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${web.port}/?token=wrong`)).status).toBe(403);
    expect((await fetch(`http://127.0.0.1:${web.port}/assets/app.js`)).status).toBe(403);
    expect(
      (await fetch(`http://127.0.0.1:${web.port}/assets/app.js?token=${web.token}`, { redirect: 'manual' }))
        .status,
    ).toBe(303);
    expect((await fetch(`http://127.0.0.1:${web.port}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(403);
    await web.close();
  });

  it('answers invokes over the WebSocket and refuses a wrong token or a foreign origin', async () => {
    const web = await host();
    const base = `ws://127.0.0.1:${web.port}/api`;
    await expect(connect(`${base}?token=nope`)).rejects.toThrow(/403/);
    await expect(connect(`${base}?token=${web.token}`, 'https://evil.example')).rejects.toThrow(/403/);
    const socket = await connect(`${base}?token=${web.token}`, `http://127.0.0.1:${web.port}`);
    const answer = new Promise<unknown>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(data.toString()))),
    );
    socket.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'app.status', request: {} }));
    expect(await answer).toMatchObject({
      type: 'result',
      id: 7,
      result: { ok: true, value: { host: 'web', profiles: [] } },
    });
    socket.close();
    await web.close();
  });
});
