/**
 * Messages of the WebSocket transport (the loopback web host). The same Channels and Events as the
 * Electron IPC transport, framed as JSON text messages:
 *   client → server: { type: 'invoke', id, channel, request }
 *   server → client: { type: 'result', id, result } | { type: 'event', event, payload }
 * The socket URL is ws://127.0.0.1:PORT/api?token=TOKEN, with the token the host printed.
 */
import type { Channel, EventName, Events, Result } from '../contract/contract-types';

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly channel: Channel;
  readonly request: unknown;
}

export interface ResultMessage {
  readonly type: 'result';
  readonly id: number;
  readonly result: Result<unknown>;
}

export interface EventMessage<E extends EventName = EventName> {
  readonly type: 'event';
  readonly event: E;
  readonly payload: Events[E];
}

export type ServerMessage = ResultMessage | EventMessage;
