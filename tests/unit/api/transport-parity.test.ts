import { describe, expect, it, vi } from 'vitest';

// The desktop preload and the browser's web shim must give the renderer the same API: the same
// methods and exactly the contract's channels, each forwarded, anything else refused unsent.
const forwarded: string[] = [];
vi.mock('electron', () => ({
  ipcRenderer: {
    invoke: vi.fn(async (channel: string) => (forwarded.push(channel), { ok: true, value: null })),
    on: vi.fn(),
    removeListener: vi.fn(),
  },
  contextBridge: { exposeInMainWorld: () => undefined },
}));

const { buildPreloadApi } = await import('../../../preload/preload');
const { createWebShim } = await import('../../../renderer/web-shim');
const { CHANNELS } = await import('../../../main/core/contract/contract-types');

interface FakeSocket {
  readyState: number;
  sent: string[];
  onopen?: () => void;
  onmessage?: (event: { data: string }) => void;
  onclose?: () => void;
  onerror?: () => void;
  send(data: string): void;
  close(): void;
}

function fakeSocket(): FakeSocket {
  const socket: FakeSocket = {
    readyState: 1,
    sent: [],
    send(data) {
      socket.sent.push(data);
      const message = JSON.parse(data) as { id: number };
      queueMicrotask(() =>
        socket.onmessage?.({
          data: JSON.stringify({ type: 'result', id: message.id, result: { ok: true, value: null } }),
        }),
      );
    },
    close() {
      socket.readyState = 3;
    },
  };
  queueMicrotask(() => socket.onopen?.());
  return socket;
}

describe('preload and web shim parity', () => {
  it('expose the same methods and forward exactly the contract channels', async () => {
    const preload = buildPreloadApi();
    const sockets: FakeSocket[] = [];
    const shim = createWebShim({
      url: 'ws://127.0.0.1:1/api?token=t',
      createSocket: () => {
        const socket = fakeSocket();
        sockets.push(socket);
        return socket as never;
      },
    });
    expect(typeof preload.invoke).toBe('function');
    expect(typeof preload.on).toBe('function');
    expect(typeof shim.api.invoke).toBe('function');
    expect(typeof shim.api.on).toBe('function');

    for (const channel of CHANNELS) {
      expect(await preload.invoke(channel, {} as never)).toEqual({ ok: true, value: null });
      expect(await shim.api.invoke(channel, {} as never)).toEqual({ ok: true, value: null });
    }
    const shimSent = sockets.flatMap((socket) =>
      socket.sent.map((data) => (JSON.parse(data) as { channel: string }).channel),
    );
    expect(forwarded).toEqual([...CHANNELS]);
    expect(shimSent).toEqual([...CHANNELS]);

    const bogus = ['fs.readFile', 'app.quit', '__proto__'];
    for (const channel of bogus) {
      expect((await preload.invoke(channel as never, {} as never)).ok).toBe(false);
      expect((await shim.api.invoke(channel as never, {} as never)).ok).toBe(false);
    }
    expect(forwarded).toHaveLength(CHANNELS.length);
    expect(sockets.flatMap((socket) => socket.sent)).toHaveLength(CHANNELS.length);
    shim.close();
  });
});
