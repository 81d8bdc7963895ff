/**
 * Shows an API error as the server's sentence, with Retry when the server said a retry can help
 * (GitHub Desktop: expected errors are data and may carry a retry action).
 */
import type { ApiError } from '../lib/api-types';
import { strings } from '../strings';

export interface ErrorMessageProps {
  readonly error: ApiError | undefined;
  readonly onRetry?: () => void;
  readonly testId?: string;
}

export function ErrorMessage({ error, onRetry, testId }: ErrorMessageProps) {
  if (!error) return null;
  return (
    <div
      className="error-message"
      role="alert"
      data-testid={testId ?? 'error-message'}
      data-code={error.code}
    >
      <span>{error.message}</span>
      {error.retryable && onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          {strings.retry}
        </button>
      ) : null}
    </div>
  );
}
