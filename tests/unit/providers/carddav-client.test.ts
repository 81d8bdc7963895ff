import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DavClient } from '../../../main/core/providers/carddav/dav-client';
import { CARDDAV, DAV, childOf, parseXml } from '../../../main/core/providers/carddav/xml';
import { serverUrlFor } from '../../../main/core/providers/carddav';
import { cardDavDescriptor } from '../../../main/core/providers/carddav';
import { testCertificate } from '../../fakes/graph/tls';

const servers: { close(callback: () => void): void }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

describe('CardDAV XML reader', () => {
  it('matches by namespace whatever the prefix, and keeps address-data byte for byte', () => {
    const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A &amp; B\r\nEND:VCARD\r\n';
    const xml =
      `<?xml version="1.0"?><ns0:multistatus xmlns:ns0="DAV:" xmlns:x="${CARDDAV}"><ns0:response>` +
      `<ns0:href>/a.vcf</ns0:href><ns0:propstat><ns0:prop><x:address-data>  ${card}</x:address-data>` +
      '</ns0:prop></ns0:propstat></ns0:response></ns0:multistatus>';
    const root = parseXml(xml);
    expect(root).toMatchObject({ ns: DAV, name: 'multistatus' });
    const data = childOf(
      childOf(childOf(childOf(root, DAV, 'response'), DAV, 'propstat'), DAV, 'prop'),
      CARDDAV,
      'address-data',
    );
    expect(data?.text).toBe(`  BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A & B\r\nEND:VCARD\r\n`);
    const defaultNs = parseXml(
      '<multistatus xmlns="DAV:"><response><href>/x</href></response></multistatus>',
    );
    expect(childOf(defaultNs, DAV, 'response')).toBeDefined();
  });

  it('refuses a DOCTYPE, undeclared prefixes and broken nesting', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).toThrow(/DOCTYPE/);
    expect(() => parseXml('<d:x/>')).toThrow(/not declared/);
    expect(() => parseXml('<a><b></a>')).toThrow(/mismatched/);
  });
});

describe('CardDAV presets and form', () => {
  it('builds the discovery URL from the preset and what the user typed', () => {
    expect(serverUrlFor('icloud', undefined)).toBe('https://contacts.icloud.com');
    expect(serverUrlFor('fastmail', 'ignored')).toBe('https://carddav.fastmail.com');
    expect(serverUrlFor('nextcloud', 'cloud.example.com')).toBe('https://cloud.example.com/remote.php/dav');
    expect(serverUrlFor('nextcloud', 'https://example.com/nc/')).toBe(
      'https://example.com/nc/remote.php/dav',
    );
    expect(serverUrlFor('other', 'http://127.0.0.1:5232/')).toBe('http://127.0.0.1:5232');
    expect(serverUrlFor('other', '')).toMatchObject({ error: expect.stringMatching(/Enter the address/) });
    expect(serverUrlFor('other', 'ftp://x')).toMatchObject({ error: expect.stringMatching(/https:\/\//) });
  });

  it('keeps the password out of the settings', () => {
    if (cardDavDescriptor.connect.flow !== 'form') throw new Error('CardDAV connects with a form');
    const prepared = cardDavDescriptor.connect.prepare(
      { preset: 'icloud', user: 'me@icloud.com' },
      'abcd-efgh',
    );
    expect(prepared.label).toBe('me@icloud.com (iCloud)');
    expect(JSON.stringify(prepared.settings)).not.toContain('abcd-efgh');
    expect(prepared.secrets).toEqual({ kind: 'carddav', password: 'abcd-efgh' });
    expect(
      () =>
        cardDavDescriptor.connect.flow === 'form' &&
        cardDavDescriptor.connect.prepare({ preset: 'icloud', user: 'x' }, undefined),
    ).toThrow(/app password/);
  });
});

describe('CardDAV client errors', () => {
  it('says that the certificate is not trusted when TLS fails', async () => {
    const { key, cert } = testCertificate();
    const server = createHttpsServer({ key, cert }, (_request, response) => response.end('x'));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new DavClient({ username: 'a', password: 'b', sleep: async () => undefined });
    await expect(
      client.propfind(new URL(`https://127.0.0.1:${port}/`), '0', '<d:current-user-principal/>'),
    ).rejects.toMatchObject({
      code: 'network',
      message: expect.stringMatching(/secure connection to 127\.0\.0\.1:\d+ failed .*certificate/),
    });
  });

  it('retries 503 with Retry-After and never puts the password in a message', async () => {
    let calls = 0;
    const fake: typeof fetch = async () => {
      calls += 1;
      if (calls === 1) return new Response('busy', { status: 503, headers: { 'Retry-After': '1' } });
      return new Response('nope', { status: 401 });
    };
    const waits: number[] = [];
    const client = new DavClient({
      username: 'u',
      password: 'secret-pw',
      fetch: fake,
      sleep: async (ms) => void waits.push(ms),
    });
    const failure = await client
      .propfind(new URL('https://dav.example/'), '0', '')
      .catch((error: Error) => error);
    expect(waits).toEqual([1000]);
    expect(failure).toMatchObject({ code: 'auth-required' });
    expect(String((failure as Error).message)).not.toContain('secret-pw');
  });
});
