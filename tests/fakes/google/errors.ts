/**
 * Google's error envelope (providers.md 1.5): `{error:{code, message, status, details:[ErrorInfo]}}`.
 * Route handlers throw FakeGoogleError and the server turns it into that JSON.
 */

/** An HTTP error the fake answers with, in Google's shape. */
export class FakeGoogleError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly reason?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'FakeGoogleError';
  }
}

/** The JSON body Google sends for an error. */
export function errorEnvelope(error: FakeGoogleError, domain = 'googleapis.com'): unknown {
  const details = error.reason
    ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.reason, domain, metadata: {} }]
    : undefined;
  return { error: { code: error.code, message: error.message, status: error.status, details } };
}

/** 400 INVALID_ARGUMENT, the answer to a malformed request. */
export function invalidArgument(message: string, reason?: string): FakeGoogleError {
  return new FakeGoogleError(400, 'INVALID_ARGUMENT', message, reason);
}

/** 400 FAILED_PRECONDITION, e.g. a stale etag (providers.md 1.3). */
export function failedPrecondition(message: string, reason = 'failedPrecondition'): FakeGoogleError {
  return new FakeGoogleError(400, 'FAILED_PRECONDITION', message, reason);
}

/** 404 NOT_FOUND. */
export function notFound(message = 'Requested entity was not found.'): FakeGoogleError {
  return new FakeGoogleError(404, 'NOT_FOUND', message);
}

/** 401 UNAUTHENTICATED with the text Google uses (providers.md 1.5). */
export function unauthenticated(): FakeGoogleError {
  return new FakeGoogleError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    'ACCESS_TOKEN_TYPE_UNSUPPORTED',
  );
}

/** 403 PERMISSION_DENIED when the token lacks the scope a method needs. */
export function insufficientScope(): FakeGoogleError {
  return new FakeGoogleError(
    403,
    'PERMISSION_DENIED',
    'Request had insufficient authentication scopes.',
    'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
  );
}
