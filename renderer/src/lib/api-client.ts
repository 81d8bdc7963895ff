/**
 * The single place the renderer reaches window.contactsBackup. The store calls `call()`, which turns
 * a thrown exception (a bug or a broken bridge) into a Result error so every screen handles one shape.
 */
import { strings } from '../strings';
import {
  localError,
  type Channel,
  type ContactsBackupApi,
  type RequestOf,
  type ResponseOf,
  type Result,
} from './api-types';

let current: ContactsBackupApi | undefined;

/** Set by bindApi(); tests pass a fake. */
export function setApi(api: ContactsBackupApi | undefined): void {
  current = api;
}

/** Invokes a channel; never throws. */
export async function call<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
): Promise<Result<ResponseOf<C>>> {
  if (!current) return { ok: false, error: localError('no-api', strings.unexpectedError, false) };
  try {
    return await current.invoke(channel, request);
  } catch (error) {
    console.error(`contactsBackup.invoke(${channel}) threw`, error);
    return { ok: false, error: localError('unexpected', strings.unexpectedError, true) };
  }
}
