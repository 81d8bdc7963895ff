/**
 * The router behind both transports (Electron IPC and the loopback WebSocket): it checks the sender,
 * validates the request against its schema, calls the core and turns every outcome into a Result.
 * Expected failures keep their sentence; unexpected exceptions are logged redacted and shown as a
 * generic message, never as a stack or a provider's raw text.
 */
import { ZodError } from 'zod';
import type { AppCore } from '../app';
import { VaultError } from '../vault/errors';
import { ProviderError } from '../providers/provider';
import { JobFailure } from '../jobs/job-registry';
import { ApiFailure } from '../contract/api-failure';
import { channels, type Channel } from '../contract/channels';
import type { ApiError, Result } from '../contract/contract-types';
import { handlers } from './handlers';

/** Who sent a request, as the transport saw it. */
export interface Sender {
  /** True when the transport verified the sender (our own window, or a socket with the right token and origin). */
  readonly trusted: boolean;
  readonly description: string;
}

export interface Router {
  call(channel: string, request: unknown, sender: Sender): Promise<Result<unknown>>;
}

const knownChannels: ReadonlySet<string> = new Set(Object.keys(channels));

export function createRouter(app: AppCore, log: (line: string) => void = () => undefined): Router {
  return {
    async call(channel, request, sender) {
      if (!sender.trusted) {
        log(`Dropped a request from an untrusted sender (${sender.description}).`);
        return failure({ code: 'forbidden', message: 'This window may not use the app.', retryable: false });
      }
      app.idleLock.activity();
      if (!knownChannels.has(channel)) {
        return failure({
          code: 'invalid-request',
          message: `Unknown request "${String(channel).slice(0, 60)}".`,
          retryable: false,
        });
      }
      const typed = channel as Channel;
      // The channel's own schema (channels.ts): strict, so unknown keys are refused; bounded strings.
      const parsed = channels[typed].request.safeParse(request ?? {});
      if (!parsed.success) {
        return failure({ code: 'invalid-request', message: describeZod(parsed.error), retryable: false });
      }
      try {
        const handler = handlers[typed] as (app: AppCore, request: unknown) => Promise<unknown>;
        // After unlocking, the history is read in the background; only channels marked in the table
        // (they answer from the saved first screen or do not touch the history) answer meanwhile.
        if (!channels[typed].beforeHistory) await app.historyReady();
        const value = await handler(app, parsed.data);
        return { ok: true, value };
      } catch (error) {
        const apiError = toApiError(error);
        if (apiError.code === 'internal')
          log(`Internal error in ${typed}: ${(error as Error)?.stack ?? String(error)}`);
        return failure(apiError);
      }
    },
  };
}

function failure(error: ApiError): Result<never> {
  return { ok: false, error };
}

function describeZod(error: ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
  return `The request is not valid${where}: ${issue?.message ?? 'unknown problem'}.`;
}

/** Maps the core's expected errors to API errors; anything else is a bug. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiFailure)
    return { code: error.code, message: error.message, retryable: error.retryable };
  if (error instanceof VaultError) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.code === 'disk-full' || error.code === 'io',
    };
  }
  if (error instanceof ProviderError)
    return { code: error.code, message: error.message, retryable: error.retryable };
  if (error instanceof JobFailure)
    return { code: error.code, message: error.message, retryable: error.retryable };
  return {
    code: 'internal',
    message: 'Something went wrong inside the app. The error was logged.',
    retryable: true,
  };
}
