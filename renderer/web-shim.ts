/**
 * window.contactsBackup for a plain browser (the loopback web host, `contacts-backup serve`): the
 * same API the Electron preload exposes, carried over one WebSocket with the framing of
 * main/core/api/ws-protocol.ts. The renderer cannot import that module (lint keeps main/ out except
 * the contract types), so the three message shapes are restated here.
 *
 * Behaviour: calls made while the socket is connecting wait for it; calls in flight when it drops
 * fail with a retryable Result error (the server may or may not have run them, so they are never
 * replayed silently); the socket reconnects with exponential backoff and reports its status.
 * A host that answers but refuses the page (it was restarted with a new token, or the page's access
 * cookie is gone) is told apart from a host that is gone: the page then says its address is no
 * longer valid instead of retrying.
 */
import {
  CHANNELS,
  EVENTS,
  type ApiError,
  type Channel,
  type ContactsBackupApi,
  type EventName,
  type Events,
  type RequestOf,
  type ResponseOf,
  type Result,
} from './src/lib/api-types';
import { strings } from './src/strings';

interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly channel: Channel;
  readonly request: unknown;
}

/** The part of the browser WebSocket the shim uses; the `ws` package's class fits it too (tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

/** `unauthorised`: the host no longer accepts this page (its access cookie is gone); no more retries. */
export type ShimStatus = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'unauthorised';

export interface WebShimOptions {
  readonly url: string;
  readonly createSocket: SocketFactory;
  /** First reconnect delay; doubles per failed attempt up to maxDelayMs. */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /**
   * Asked when the socket closes: false = the host refuses this page (stop and say so), true = it
   * accepts it, undefined = the host cannot be reached (keep reconnecting).
   */
  readonly checkAccess?: () => Promise<boolean | undefined>;
}

export interface WebShim {
  readonly api: ContactsBackupApi;
  /** Status changes (the UI shows "Connection lost, reconnecting…"); returns the unsubscribe function. */
  onStatus(listener: (status: ShimStatus) => void): () => void;
  readonly status: ShimStatus;
  /** Tries to connect now instead of waiting for the next attempt (the Retry button). */
  retryNow(): void;
  /** Closes the socket for good (tests; page unload). */
  close(): void;
}

const OPEN = 1;
const allowedChannels = new Set<string>(CHANNELS);
const allowedEvents = new Set<string>(EVENTS);

function disconnectedError(): ApiError {
  return { code: 'disconnected', message: strings.connection.disconnected, retryable: true };
}

interface Pending {
  readonly resolve: (result: Result<unknown>) => void;
  readonly message: InvokeMessage;
  sent: boolean;
}

/** Creates the shim and starts connecting. */
export function createWebShim(options: WebShimOptions): WebShim {
  const initialDelay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const statusListeners = new Set<(status: ShimStatus) => void>();
  let status: ShimStatus = 'connecting';
  let socket: SocketLike | undefined;
  let nextId = 1;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closedForGood = false;

  const setStatus = (next: ShimStatus) => {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const failAll = () => {
    for (const [id, entry] of pending) {
      pending.delete(id);
      entry.resolve({ ok: false, error: disconnectedError() });
    }
  };

  const handleMessage = (data: unknown) => {
    let message: unknown;
    try {
      message = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return; // Not ours: the host only sends JSON.
    }
    if (!message || typeof message !== 'object') return;
    const typed = message as {
      type?: unknown;
      id?: unknown;
      result?: unknown;
      event?: unknown;
      payload?: unknown;
    };
    if (typed.type === 'result' && typeof typed.id === 'number') {
      const entry = pending.get(typed.id);
      if (!entry) return;
      pending.delete(typed.id);
      const result = typed.result as Result<unknown> | undefined;
      if (result && typeof result === 'object' && typeof result.ok === 'boolean') entry.resolve(result);
      else
        entry.resolve({
          ok: false,
          error: { code: 'bad-response', message: strings.unexpectedError, retryable: true },
        });
    } else if (typed.type === 'event' && typeof typed.event === 'string' && allowedEvents.has(typed.event)) {
      for (const listener of listeners.get(typed.event as EventName) ?? []) {
        try {
          listener(typed.payload as never);
        } catch (error) {
          console.error(`listener for ${typed.event} threw`, error);
        }
      }
    }
  };

  const connect = () => {
    timer = undefined;
    if (closedForGood) return;
    let current: SocketLike;
    try {
      current = options.createSocket(options.url);
    } catch (error) {
      console.error('cannot open the API socket', error);
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      attempt = 0;
      setStatus('open');
      for (const entry of pending.values()) {
        if (!entry.sent) {
          entry.sent = true;
          current.send(JSON.stringify(entry.message));
        }
      }
    };
    current.onmessage = (event) => {
      if (socket === current) handleMessage(event.data);
    };
    current.onerror = () => {
      // The close event follows and does the work; an error alone carries no detail worth showing.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = undefined;
      failAll();
      if (closedForGood) {
        setStatus('closed');
        return;
      }
      scheduleReconnect();
      // A refused socket looks like a dropped one; the host's answer to a plain request tells them apart.
      void options
        .checkAccess?.()
        .then((allowed) => {
          if (allowed !== false || closedForGood) return;
          closedForGood = true;
          if (timer) clearTimeout(timer);
          timer = undefined;
          setStatus('unauthorised');
        })
        .catch(() => undefined);
    };
  };

  const scheduleReconnect = () => {
    setStatus('reconnecting');
    const delay = Math.min(maxDelay, initialDelay * 2 ** attempt);
    attempt++;
    timer = setTimeout(connect, delay);
  };

  const api: ContactsBackupApi = {
    invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
      if (!allowedChannels.has(channel)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'invalid-request', message: strings.unexpectedError, retryable: false },
        });
      }
      if (closedForGood || status === 'reconnecting') {
        return Promise.resolve({ ok: false, error: disconnectedError() });
      }
      return new Promise((resolve) => {
        const message: InvokeMessage = { type: 'invoke', id: nextId++, channel, request };
        const entry: Pending = {
          resolve: resolve as (result: Result<unknown>) => void,
          message,
          sent: false,
        };
        pending.set(message.id, entry);
        if (socket && socket.readyState === OPEN) {
          entry.sent = true;
          socket.send(JSON.stringify(message));
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: never) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };

  connect();

  return {
    api,
    get status() {
      return status;
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    retryNow() {
      if (closedForGood || status === 'open' || status === 'connecting') return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      attempt = 0;
      if (!socket) connect();
    },
    close() {
      closedForGood = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const current = socket;
      socket = undefined;
      failAll();
      setStatus('closed');
      current?.close(1000, 'closed');
    },
  };
}

const TOKEN_KEY = 'contactsBackup.token';

/**
 * The access token: from the page URL's `?token=` (also accepted after the hash route, as in
 * `#/tasks?token=`), remembered in sessionStorage so reloads and the Task Manager route keep working.
 */
export function resolveToken(
  location: { search: string; hash: string },
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined,
): string | undefined {
  const fromSearch = new URLSearchParams(location.search).get('token');
  const hashQuery = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
  const token = fromSearch || new URLSearchParams(hashQuery).get('token') || undefined;
  try {
    if (token) storage?.setItem(TOKEN_KEY, token);
    return token ?? storage?.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return token; // sessionStorage can be disabled; the URL token still works for this page.
  }
}

/** The socket URL for this page: same host, ws or wss to match http or https. */
export function socketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`;
}

/**
 * Whether the web host still accepts this page: `/session` answers 204 with the access cookie and
 * 403 without (main/web/web-host.ts); undefined when the host cannot be reached.
 */
export async function checkWebAccess(origin: string): Promise<boolean | undefined> {
  try {
    const response = await fetch(`${origin}/session`, { cache: 'no-store', credentials: 'same-origin' });
    return response.status !== 403;
  } catch {
    return undefined;
  }
}

/**
 * Installs the shim as window.contactsBackup when no preload provided one. Returns the shim, or
 * undefined in Electron (where the preload's API is used as is).
 */
export function installWebShim(win: Window = window): WebShim | undefined {
  if (win.contactsBackup) return undefined;
  let storage: Storage | undefined;
  try {
    storage = win.sessionStorage;
  } catch {
    storage = undefined;
  }
  const token = resolveToken(win.location, storage);
  // The host trades the printed URL's token for an HttpOnly session cookie and redirects to a clean
  // address, so a served page normally has no token: the socket then authenticates with that cookie.
  const url = token
    ? socketUrl(win.location, token)
    : `${win.location.protocol === 'https:' ? 'wss' : 'ws'}://${win.location.host}/api`;
  const shim = createWebShim({
    url,
    createSocket: (socket) => new WebSocket(socket) as unknown as SocketLike,
    checkAccess: () => checkWebAccess(win.location.origin),
  });
  win.contactsBackup = shim.api;
  return shim;
}

declare global {
  interface Window {
    /** Provided by the Electron preload, or by installWebShim() in a browser. */
    contactsBackup?: ContactsBackupApi;
  }
}
