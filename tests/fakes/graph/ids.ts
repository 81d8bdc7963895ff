/**
 * Opaque ids shaped like Exchange ids: url-safe base64 with `-`, `_` and a trailing `=`, so a client
 * that forgets to URL-encode (or encodes twice) breaks against the fake as it would against Graph.
 */
import { randomBytes } from 'node:crypto';

function urlSafe(bytes: number): string {
  return randomBytes(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A new item id; `kind` only makes logs readable (AAMk… contacts, AQMk… folders). */
export function newGraphId(kind: 'contact' | 'folder' | 'user'): string {
  const prefix = kind === 'contact' ? 'AAMkAD' : kind === 'folder' ? 'AQMkAD' : '';
  if (kind === 'user') return crypto.randomUUID();
  return `${prefix}${urlSafe(18)}-${urlSafe(6)}_${urlSafe(9)}AAA=`;
}

/** An opaque token for links, codes and bearer tokens. */
export function newToken(bytes = 24): string {
  return urlSafe(bytes);
}
