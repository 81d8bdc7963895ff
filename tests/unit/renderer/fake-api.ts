/**
 * A fake window.contactsBackup for renderer tests: channels answer from handlers the test sets,
 * every call is recorded, and `emit` plays a push from the main process.
 */
import type {
  Channel,
  ContactsBackupApi,
  EventName,
  Events,
  RequestOf,
  ResponseOf,
  Result,
} from '../../../main/core/contract/contract-types';

type Handler<C extends Channel> = (
  request: RequestOf<C>,
) => Result<ResponseOf<C>> | Promise<Result<ResponseOf<C>>>;

export interface FakeApi extends ContactsBackupApi {
  readonly calls: { channel: Channel; request: unknown }[];
  handle<C extends Channel>(channel: C, handler: Handler<C>): void;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  listenerCount(event: EventName): number;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string, retryable = false): Result<never> {
  return { ok: false, error: { code, message, retryable } };
}

export function createFakeApi(): FakeApi {
  const handlers = new Map<Channel, Handler<Channel>>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const calls: { channel: Channel; request: unknown }[] = [];
  return {
    calls,
    handle(channel, handler) {
      handlers.set(channel, handler as unknown as Handler<Channel>);
    },
    async invoke(channel, request) {
      calls.push({ channel, request });
      const handler = handlers.get(channel);
      if (!handler) return fail('not-found', `no fake handler for ${channel}`) as never;
      return (await handler(request as never)) as never;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload as never);
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };
}
