/** Plain-sentence errors for users; Graph's own text never reaches them (style.md). */
import { ProviderError } from '../provider';
import { GraphError } from './graph-client';

/** Converts anything a Graph call threw into a ProviderError. Abort reasons pass through. */
export function toProviderError(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return error;
  if (error instanceof ProviderError) return error;
  if (error instanceof GraphError) {
    if (error.status === 403) {
      return new ProviderError(
        'auth-required',
        'Microsoft did not allow access to these contacts. Check the app permissions.',
      );
    }
    if (error.status === 404)
      return new ProviderError('not-found', 'This mailbox or contact folder no longer exists at Microsoft.');
    if (error.status >= 500)
      return new ProviderError(
        'network',
        'Microsoft Graph had a problem. The backup will try again later.',
        true,
      );
    return new ProviderError('invalid-response', 'Microsoft Graph refused a request from Contacts Backup.');
  }
  return new ProviderError('network', 'Microsoft Graph could not be reached. Check the connection.', true);
}

/** The message and retryability for one failed write, by its HTTP status. */
export function writeFailure(status: number): { error: string; retryable: boolean } {
  if (status === 400) return { error: 'Microsoft refused this contact as invalid.', retryable: false };
  if (status === 401 || status === 403)
    return { error: 'This account may not change these contacts.', retryable: false };
  if (status === 404)
    return { error: 'The contact or its folder no longer exists at Microsoft.', retryable: false };
  if (status === 424) return { error: 'A related change failed first.', retryable: true };
  if (status === 429 || status >= 500)
    return { error: 'Microsoft Graph was busy; try again later.', retryable: true };
  return { error: 'Microsoft Graph could not save this contact.', retryable: false };
}
