/**
 * The web host against hostile local input (issue 18, item 6): malformed upgrade targets, socket
 * errors, oversized and invalid frames, encoded paths, foreign Host headers; the token leaves the URL
 * for a cookie, and source maps are never served. After every attack the host still answers.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connect as tcpConnect, type Socket } from 'node:net';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createApp } from '../../../main/core/app';
import { startWebHost, type WebHost } from '../../../main/web/web-host';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const hosts: WebHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function host(): Promise<WebHost> {
  const home = await tempDir();
  const renderer = join(home, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(renderer, 'assets', 'app.js.map'), '{"sources":["secret.ts"]}');
  const web = await startWebHost({ app: createApp({ home, host: 'web' }), rendererFolder: renderer });
  hosts.push(web);
  return web;
}

/** Sends raw bytes and resolves with everything the host answered before it closed the socket. */
async function raw(port: number, request: string | Buffer): Promise<string> {
  const socket: Socket = tcpConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  socket.write(request);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

function upgrade(target: string, port: number, extra = ''): string {
  return (
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`
  );
}

async function stillAnswers(web: WebHost): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${web.port}/favicon.ico`);
  expect(response.status).toBe(204);
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${response.statusCode}`)),
    );
  });
}

describe('web host under hostile input', () => {
  it('answers 400 to upgrade targets that are not valid URLs and keeps running', async () => {
    const web = await host();
    for (const target of [
      'http://a:b@[/api',
      '//[::1/api',
      '/%E0%A4%A',
      '*',
      'http://evil.example/api?token=' + web.token,
    ]) {
      expect(await raw(web.port, upgrade(target, web.port))).toMatch(/^HTTP\/1\.1 400/);
    }
    await stillAnswers(web);
  });

  it('refuses upgrades with a wrong token, path, Host or Origin', async () => {
    const web = await host();
    const port = web.port;
    expect(await raw(port, upgrade('/api?token=nope', port))).toMatch(/^HTTP\/1\.1 403/);
    expect(await raw(port, upgrade('/api?token=%', port))).toMatch(/^HTTP\/1\.1 403/);
    expect(await raw(port, upgrade(`/other?token=${web.token}`, port))).toMatch(/^HTTP\/1\.1 403/);
    expect(
      await raw(
        port,
        upgrade(`/api?token=${web.token}`, port).replace(`Host: 127.0.0.1:${port}`, 'Host: evil.example'),
      ),
    ).toMatch(/^HTTP\/1\.1 400/);
    expect(
      await raw(port, upgrade(`/api?token=${web.token}`, port, 'Origin: http://evil.example\r\n')),
    ).toMatch(/^HTTP\/1\.1 403/);
    await stillAnswers(web);
  });

  it('survives garbage requests, resets and half-sent upgrades', async () => {
    const web = await host();
    expect(await raw(web.port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw(web.port, Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]))).toMatch(/^HTTP\/1\.1 400/);
    // A reset in the middle of an upgrade.
    const socket = tcpConnect(web.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    socket.write(upgrade(`/api?token=${web.token}`, web.port).slice(0, 40));
    socket.resetAndDestroy();
    await stillAnswers(web);
  });

  it('survives an oversized frame and an invalid frame on an open socket', async () => {
    const web = await host();
    const url = `ws://127.0.0.1:${web.port}/api?token=${web.token}`;
    // Oversized: a frame header announcing 64 MB (over the 8 MB limit) closes that socket only.
    const big = await openSocket(url);
    const closedBig = once(big, 'close');
    const rawBig = (big as unknown as { _socket: Socket })._socket;
    const header = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4]);
    rawBig.write(header);
    const [bigCode] = (await closedBig) as [number];
    expect(bigCode).toBe(1009);
    // Invalid: an unmasked client frame with a reserved opcode.
    const bad = await openSocket(url);
    const closedBad = once(bad, 'close');
    (bad as unknown as { _socket: Socket })._socket.write(Buffer.from([0x8b, 0x00]));
    const [badCode] = (await closedBad) as [number];
    expect(badCode).toBe(1002);
    await stillAnswers(web);
    // A fresh socket still works.
    const good = await openSocket(url);
    const answer = new Promise<unknown>((resolve) =>
      good.once('message', (data) => resolve(JSON.parse(data.toString()))),
    );
    good.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app.status', request: {} }));
    expect(await answer).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
    good.send('null');
    good.send('[1,2]');
    good.close();
  });

  it('decodes and normalises paths before the access check', async () => {
    const web = await host();
    const base = `http://127.0.0.1:${web.port}`;
    for (const path of [
      '/%69ndex.html',
      '/index%2ehtml',
      '/assets/../index.html',
      '/./index.html',
      '/%2e/index.html',
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(403);
    }
    expect((await fetch(`${base}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${base}/assets%5c..%5cindex.html`)).status).toBe(400);
    expect(
      (await fetch(`${base}/..%2F..%2Fetc%2Fpasswd?token=${web.token}`, { redirect: 'manual' })).status,
    ).toBe(303);
  });

  it('accepts only 127.0.0.1:PORT and localhost:PORT as Host (DNS rebinding)', async () => {
    const web = await host();
    const request = (hostHeader: string) =>
      raw(web.port, `GET /?token=${web.token} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`);
    expect(await request('evil.example')).toMatch(/^HTTP\/1\.1 400/);
    expect(await request(`evil.example:${web.port}`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await request('127.0.0.1')).toMatch(/^HTTP\/1\.1 400/);
    expect(await request(`127.0.0.1:${web.port + 1}`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await request(`127.0.0.1:${web.port}`)).toMatch(/^HTTP\/1\.1 303/);
    expect(await request(`localhost:${web.port}`)).toMatch(/^HTTP\/1\.1 303/);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie and a clean URL; the socket accepts the cookie', async () => {
    const web = await host();
    const first = await fetch(web.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(web.token);
    const pair = cookie.split(';')[0];
    const page = await fetch(`http://127.0.0.1:${web.port}/`, { headers: { cookie: pair } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect(
      (await fetch(`http://127.0.0.1:${web.port}/assets/app.js`, { headers: { cookie: pair } })).status,
    ).toBe(200);
    expect((await fetch(`http://127.0.0.1:${web.port}/`, { headers: { cookie: `${pair}x` } })).status).toBe(
      403,
    );
    const socket = await openSocket(`ws://127.0.0.1:${web.port}/api`, {
      cookie: pair,
      origin: `http://127.0.0.1:${web.port}`,
    });
    socket.close();
    await expect(openSocket(`ws://127.0.0.1:${web.port}/api`)).rejects.toThrow(/403/);
  });

  it('redirects only to a same-origin path, whatever the encoded path was', async () => {
    const web = await host();
    const base = `http://127.0.0.1:${web.port}`;
    for (const [path, location] of [
      ['/%2F%2Fevil.example', '/evil.example'],
      ['/%C3%BC%20x', '/%C3%BC%20x'],
    ]) {
      const response = await fetch(`${base}${path}?token=${web.token}`, { redirect: 'manual' });
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe(location);
    }
    // A target that starts with `//` is refused outright.
    expect(
      await raw(
        web.port,
        `GET //evil.example/?token=${web.token} HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nConnection: close\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1\.1 400/);
  });

  it('answers /session with 204 for the cookie and 403 without (the page’s access check)', async () => {
    const web = await host();
    const first = await fetch(web.url, { redirect: 'manual' });
    const pair = (first.headers.get('set-cookie') ?? '').split(';')[0];
    const base = `http://127.0.0.1:${web.port}`;
    expect((await fetch(`${base}/session`, { headers: { cookie: pair } })).status).toBe(204);
    expect((await fetch(`${base}/session`)).status).toBe(403);
  });

  it('never serves source maps, with or without access', async () => {
    const web = await host();
    const first = await fetch(web.url, { redirect: 'manual' });
    const pair = (first.headers.get('set-cookie') ?? '').split(';')[0];
    const base = `http://127.0.0.1:${web.port}`;
    expect((await fetch(`${base}/assets/app.js.map`)).status).toBe(403);
    expect((await fetch(`${base}/assets/app.js.map`, { headers: { cookie: pair } })).status).toBe(404);
    expect((await fetch(`${base}/assets/app.js%2emap`, { headers: { cookie: pair } })).status).toBe(404);
  });
});
