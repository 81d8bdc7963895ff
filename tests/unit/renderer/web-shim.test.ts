import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import {
  createWebShim,
  resolveToken,
  socketUrl,
  type ShimStatus,
  type SocketLike,
  type WebShim,
} from '../../../renderer/web-shim';

interface Received {
  type: string;
  id: number;
  channel: string;
  request: unknown;
}

let server: WebSocketServer;
let url: string;
let connections: ServerSocket[];
let received: Received[];
let shims: WebShim[];

/** Resolves once `predicate` holds, checking on every server event (no fixed sleeps). */
function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  return expect.poll(predicate, { timeout: timeoutMs, interval: 5 }).toBe(true) as unknown as Promise<void>;
}

function shim(options: { initialDelayMs?: number } = {}): WebShim {
  const created = createWebShim({
    url,
    createSocket: (address) => new WebSocket(address) as unknown as SocketLike,
    initialDelayMs: options.initialDelayMs ?? 20,
    maxDelayMs: 100,
  });
  shims.push(created);
  return created;
}

beforeEach(async () => {
  connections = [];
  received = [];
  shims = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/api' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api?token=test-token`;
  server.on('connection', (socket, request) => {
    if (!request.url?.includes('token=test-token')) {
      socket.close(1008, 'bad token');
      return;
    }
    connections.push(socket);
    socket.on('message', (data) => received.push(JSON.parse(String(data)) as Received));
  });
});

afterEach(async () => {
  for (const created of shims) created.close();
  for (const socket of connections) socket.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('web shim after the host restarted with a new token', () => {
  it('says the page is no longer let in instead of retrying', async () => {
    let checks = 0;
    const created = createWebShim({
      url: url.replace('test-token', 'old-token'),
      createSocket: (address) => new WebSocket(address) as unknown as SocketLike,
      initialDelayMs: 20,
      maxDelayMs: 100,
      checkAccess: async () => {
        checks += 1;
        return false;
      },
    });
    shims.push(created);
    await until(() => created.status === 'unauthorised');
    const answer = await created.api.invoke('app.status', {});
    expect(answer.ok).toBe(false);
    // It stays put: Retry does nothing against a host that refuses the page.
    const checksThen = checks;
    created.retryNow();
    expect(created.status).toBe('unauthorised');
    expect(checks).toBe(checksThen);
  });
});

describe('web shim', () => {
  it('sends an invoke frame and resolves with the matching result', async () => {
    const { api } = shim();
    const answer = api.invoke('profile.unlock', { profileId: 'p1', password: 'secret' });
    await until(() => received.length === 1);
    expect(received[0]).toEqual({
      type: 'invoke',
      id: expect.any(Number),
      channel: 'profile.unlock',
      request: { profileId: 'p1', password: 'secret' },
    });
    connections[0].send(
      JSON.stringify({
        type: 'result',
        id: received[0].id,
        result: { ok: true, value: { profileId: 'p1', profileName: 'A' } },
      }),
    );
    await expect(answer).resolves.toEqual({ ok: true, value: { profileId: 'p1', profileName: 'A' } });
  });

  it('matches answers to calls by id when they come back out of order', async () => {
    const { api } = shim();
    const first = api.invoke('accounts.list', {});
    const second = api.invoke('tasks.list', {});
    await until(() => received.length === 2);
    const byChannel = new Map(received.map((message) => [message.channel, message.id]));
    connections[0].send(
      JSON.stringify({
        type: 'result',
        id: byChannel.get('tasks.list'),
        result: { ok: true, value: ['tasks'] },
      }),
    );
    connections[0].send(
      JSON.stringify({
        type: 'result',
        id: byChannel.get('accounts.list'),
        result: { ok: false, error: { code: 'locked', message: 'The profile is locked.', retryable: false } },
      }),
    );
    await expect(second).resolves.toEqual({ ok: true, value: ['tasks'] });
    await expect(first).resolves.toEqual({
      ok: false,
      error: { code: 'locked', message: 'The profile is locked.', retryable: false },
    });
  });

  it('delivers events to listeners, ignores unknown events and honours unsubscribe', async () => {
    const created = shim();
    const seen: unknown[] = [];
    const unsubscribe = created.api.on('notification', (payload) => seen.push(payload));
    await until(() => connections.length === 1 && created.status === 'open');
    const payload = { title: 'Backup finished', body: 'ok', kind: 'info' };
    connections[0].send(JSON.stringify({ type: 'event', event: 'not-an-event', payload: 'x' }));
    connections[0].send('not json');
    connections[0].send(JSON.stringify({ type: 'event', event: 'notification', payload }));
    await until(() => seen.length === 1);
    expect(seen).toEqual([payload]);
    unsubscribe();
    connections[0].send(JSON.stringify({ type: 'event', event: 'notification', payload }));
    // A later call proves the second event was processed before we look.
    const probe = created.api.invoke('app.status', {});
    await until(() => received.length === 1);
    connections[0].send(
      JSON.stringify({ type: 'result', id: received[0].id, result: { ok: true, value: null } }),
    );
    await probe;
    expect(seen).toHaveLength(1);
  });

  it('fails calls in flight when the socket drops, then reconnects and works again', async () => {
    const created = shim();
    const statuses: ShimStatus[] = [];
    created.onStatus((status) => statuses.push(status));
    const pending = created.api.invoke('contacts.list', { limit: 10 });
    await until(() => received.length === 1);
    connections[0].terminate();
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'disconnected', message: expect.stringContaining('connection'), retryable: true },
    });
    expect(statuses).toContain('reconnecting');

    await until(() => created.status === 'open' && connections.length === 2);
    const again = created.api.invoke('app.status', {});
    await until(() => received.length === 2);
    connections[1].send(
      JSON.stringify({ type: 'result', id: received[1].id, result: { ok: true, value: 'back' } }),
    );
    await expect(again).resolves.toEqual({ ok: true, value: 'back' });
    expect(statuses.at(-1)).toBe('open');
  });

  it('fails calls at once while it waits to reconnect, instead of hanging', async () => {
    const created = shim({ initialDelayMs: 10_000 });
    await until(() => created.status === 'open');
    connections[0].terminate();
    await until(() => created.status === 'reconnecting');
    const result = await created.api.invoke('app.status', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'disconnected', retryable: true } });
  });

  it('queues calls made before the socket is open', async () => {
    const created = shim();
    expect(created.status).toBe('connecting');
    const answer = created.api.invoke('tasks.list', {});
    await until(() => received.length === 1);
    connections[0].send(
      JSON.stringify({ type: 'result', id: received[0].id, result: { ok: true, value: [] } }),
    );
    await expect(answer).resolves.toEqual({ ok: true, value: [] });
  });

  it('refuses channels outside the contract without sending them', async () => {
    const created = shim();
    const result = await created.api.invoke('fs.readFile' as never, {} as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    await until(() => created.status === 'open');
    expect(received).toEqual([]);
  });
});

describe('token and socket URL', () => {
  function memoryStorage() {
    const values = new Map<string, string>();
    return {
      getItem: (key: string) => values.get(key) ?? null,
      setItem: (key: string, value: string) => void values.set(key, value),
    };
  }

  it('takes the token from the query, remembers it, and finds it again after a reload', () => {
    const storage = memoryStorage();
    expect(resolveToken({ search: '?token=abc123', hash: '#/' }, storage)).toBe('abc123');
    expect(resolveToken({ search: '', hash: '#/tasks' }, storage)).toBe('abc123');
  });

  it('accepts the token after the hash route too', () => {
    expect(resolveToken({ search: '', hash: '#/tasks?token=xyz' }, memoryStorage())).toBe('xyz');
  });

  it('is undefined with no token anywhere', () => {
    expect(resolveToken({ search: '', hash: '' }, memoryStorage())).toBeUndefined();
  });

  it('builds ws or wss URLs on the page host', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:4100' }, 'a b')).toBe(
      'ws://127.0.0.1:4100/api?token=a%20b',
    );
    expect(socketUrl({ protocol: 'https:', host: 'localhost:9' }, 't')).toBe('wss://localhost:9/api?token=t');
  });
});
