/**
 * Redaction for everything that reaches a log file or a diagnostic report: secrets (passwords,
 * tokens, keys, authorization headers) and contact data (emails, phone numbers, and any field named
 * like a contact's). Logs are meant to be sent to support, so they must hold neither.
 */

const REDACTED = '[redacted]';

/** Keys whose values are never written, at any depth of a logged object. */
const SECRET_OR_CONTACT_KEY =
  /pass(word|phrase)?|token|secret|authori[sz]ation|cookie|credential|private|api[-_]?key|^key$|code_?verifier|email|phone|address|^name$|displayname|given|family|nickname|note|birthday|photo|organi[sz]ation|vcard|contact$/i;

const PATTERNS: readonly [RegExp, string][] = [
  // key=value in URLs and messages: ?access_token=..., password=..., code=...
  [/\b([\w-]*(?:token|password|secret|code|key|assertion)[\w-]*)=([^&\s"']+)/gi, `$1=${REDACTED}`],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  // JSON Web Tokens and other long opaque credentials.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b(ya29\.|1\/\/)[A-Za-z0-9_-]{10,}/g, REDACTED],
  // PEM blocks (service-account keys).
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, REDACTED],
  // Contact data: email addresses and phone numbers (7+ digits with the usual separators).
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  [/(?<![\w.:/-])\+?\(?\d[\d\s().-]{6,}\d(?![\w.:/-])/g, '[phone]'],
];

/** Masks secrets and contact data in free text. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

/** A copy of `value` safe to log: secret and contact-data keys masked, strings passed through redactText. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[…]';
  if (value instanceof Error) {
    const code = (value as Error & { code?: unknown }).code;
    return {
      type: value.name,
      message: redactText(value.message),
      stack: value.stack ? redactText(value.stack) : undefined,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactValue(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = SECRET_OR_CONTACT_KEY.test(key) ? REDACTED : redactValue(item, depth + 1);
  }
  return result;
}
