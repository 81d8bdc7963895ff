import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorMessage } from '../../../../renderer/src/components/error-message';
import { UnlockScreen } from '../../../../renderer/src/components/unlock-screen';

describe('UnlockScreen', () => {
  it('offers to create a profile when there is none, with a strength meter and confirmation', () => {
    const html = renderToString(
      createElement(UnlockScreen, { status: { version: '1', host: 'web', profiles: [] } }),
    );
    expect(html).toContain('data-testid="create-profile-form"');
    expect(html).toContain('data-testid="password-strength"');
    expect(html).toContain('data-testid="password-confirm"');
    expect(html).not.toContain('data-testid="unlock-form"');
  });

  it('lists the profiles to unlock when there are some', () => {
    const html = renderToString(
      createElement(UnlockScreen, {
        status: {
          version: '1',
          host: 'web',
          profiles: [
            { id: 'p1', name: 'Alice' },
            { id: 'p2', name: 'Bob' },
          ],
        },
      }),
    );
    expect(html).toContain('data-testid="unlock-form"');
    expect(html).toMatch(/<option value="p1"[^>]*>Alice<\/option>/);
    expect(html).toMatch(/<option value="p2"[^>]*>Bob<\/option>/);
    expect(html).not.toContain('data-testid="create-profile-form"');
  });
});

describe('ErrorMessage', () => {
  it('shows the server sentence and a Retry only when the error is retryable', () => {
    const retryable = renderToString(
      createElement(ErrorMessage, {
        error: { code: 'offline', message: 'Google cannot be reached right now.', retryable: true },
        onRetry: () => {},
      }),
    );
    expect(retryable).toContain('role="alert"');
    expect(retryable).toContain('Google cannot be reached right now.');
    expect(retryable).toContain('data-code="offline"');
    expect(retryable).toContain('>Retry</button>');

    const final = renderToString(
      createElement(ErrorMessage, {
        error: { code: 'wrong-password', message: 'Wrong password.', retryable: false },
        onRetry: () => {},
      }),
    );
    expect(final).toContain('Wrong password.');
    expect(final).not.toContain('Retry');
  });

  it('renders nothing without an error', () => {
    expect(renderToString(createElement(ErrorMessage, { error: undefined }))).toBe('');
  });
});
