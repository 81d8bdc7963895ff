import { describe, expect, it } from 'vitest';
import { redactText, redactValue } from '../../../main/core/diagnostics/redact';

describe('redaction for logs and reports', () => {
  it('masks tokens, passwords, keys and authorization in free text', () => {
    const text = redactText(
      'GET https://oauth2.example/token?code=4/0AbCdEf&client_secret=s3cr3t&x=1 Authorization: Bearer ya29.a0AfH6SMB password=hunter2',
    );
    expect(text).not.toMatch(/4\/0AbCdEf|s3cr3t|ya29\.a0AfH6SMB|hunter2/);
    expect(text).toContain('x=1');
    expect(redactText('id token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl')).toBe(
      'id token [redacted]',
    );
    expect(redactText('-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----')).toBe('[redacted]');
  });

  it('masks contact data: email addresses and phone numbers, but keeps ids, times and counts', () => {
    expect(redactText('Could not write alice.smith+home@example.org (+1 (555) 010-2345)')).toBe(
      'Could not write [email] ([phone])',
    );
    const kept = 'job j1c07e2c8c23b5c08 at 2026-12-07T03:02:17.070Z: 340 added, 12 changed';
    expect(redactText(kept)).toBe(kept);
  });

  it('masks secret and contact fields at any depth, and errors keep their type and a redacted message', () => {
    const value = redactValue({
      jobId: 'j1',
      counts: { added: 3 },
      request: {
        password: 'hunter2',
        refreshToken: 'abc',
        nested: [{ email: 'a@b.example', name: 'Alice' }],
      },
      error: Object.assign(new Error('refused for bob@example.org'), { code: 'rate-limited' }),
    }) as Record<string, unknown>;
    expect(value).toMatchObject({
      jobId: 'j1',
      counts: { added: 3 },
      request: {
        password: '[redacted]',
        refreshToken: '[redacted]',
        nested: [{ email: '[redacted]', name: '[redacted]' }],
      },
      error: { type: 'Error', message: 'refused for [email]', code: 'rate-limited' },
    });
  });
});
