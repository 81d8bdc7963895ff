/**
 * A hash of what a contact says, so a backup of an unchanged contact adds no revision.
 * Providers already keep their noise (etags, update times) out of the model; this hashes a canonical
 * JSON form (sorted keys, no undefined, trimmed-away empty strings) so key order or an empty field
 * written one way or another never counts as a change.
 */
import { createHash } from 'node:crypto';
import type { Contact } from './model';

/** Hex SHA-256 of the canonical form. */
export function contentHash(contact: Contact): string {
  return createHash('sha256').update(canonicalJson(contact)).digest('hex');
}

/** Deterministic JSON: object keys sorted, undefined and empty-string members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined && member !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}
