/**
 * The web shim tells "the host refuses this page" from "the host is gone" (issue 18 item 6): when its
 * socket closes it asks checkAccess; a refusal stops the reconnecting and reports `unauthorised`.
 */
import { describe, expect, it } from 'vitest';
import { createWebShim, type ShimStatus, type SocketLike } from '../../../renderer/web-shim';

/** A socket that closes as soon as it is created, like one the host refused. */
function refusedSocket(): SocketLike {
  const socket: SocketLike = {
    readyState: 3,
    send: () => undefined,
    close: () => undefined,
    onopen: null,
    onclose: null,
    onerror: null,
    onmessage: null,
  };
  queueMicrotask(() => socket.onclose?.({}));
  return socket;
}

/** Runs a shim whose every socket is refused; resolves at `wanted` or at the fifth socket. */
function statusesUntil(wanted: ShimStatus, access: boolean | undefined) {
  let sockets = 0;
  const statuses: ShimStatus[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const shim = createWebShim({
    url: 'ws://127.0.0.1:1/api',
    createSocket: () => {
      sockets += 1;
      if (sockets >= 5) done();
      return refusedSocket();
    },
    initialDelayMs: 1,
    maxDelayMs: 2,
    checkAccess: async () => access,
  });
  shim.onStatus((status) => {
    statuses.push(status);
    if (status === wanted) done();
  });
  return finished.then(() => ({ statuses, sockets: () => sockets, close: () => shim.close() }));
}

describe('web shim access check', () => {
  it('stops and reports unauthorised when the host refuses the page', async () => {
    const { statuses, sockets, close } = await statusesUntil('unauthorised', false);
    expect(statuses.at(-1)).toBe('unauthorised');
    const before = sockets();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sockets()).toBe(before); // no more reconnect attempts
    close();
  });

  it('keeps reconnecting when the host cannot be reached', async () => {
    const { statuses, sockets, close } = await statusesUntil('unauthorised', undefined);
    expect(statuses).not.toContain('unauthorised');
    expect(sockets()).toBeGreaterThanOrEqual(5);
    close();
  });
});
