/**
 * An expected failure of an API call: travels to the renderer as `{ok:false,error}` with a sentence
 * a person understands (style.md: errors are data, exceptions are bugs).
 */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}
