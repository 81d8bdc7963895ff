/**
 * The person field lists of providers.md 1.6, and the proto3 JSON rule of 1.4b. The fake validates
 * `personFields`, `readMask` and `updatePersonFields` against these, as the real API does.
 */
import { invalidArgument } from './errors';

/** Every field `personFields` may name. */
export const readablePersonFields = [
  'addresses',
  'ageRanges',
  'biographies',
  'birthdays',
  'calendarUrls',
  'clientData',
  'coverPhotos',
  'emailAddresses',
  'events',
  'externalIds',
  'genders',
  'imClients',
  'interests',
  'locales',
  'locations',
  'memberships',
  'metadata',
  'miscKeywords',
  'names',
  'nicknames',
  'occupations',
  'organizations',
  'phoneNumbers',
  'photos',
  'relations',
  'sipAddresses',
  'skills',
  'urls',
  'userDefined',
] as const;

const notWritable = new Set(['ageRanges', 'coverPhotos', 'metadata', 'photos', 'skills']);

/** The fields `updatePersonFields` may name. */
export const writablePersonFields: readonly string[] = readablePersonFields.filter(
  (f) => !notWritable.has(f),
);

/** Fields a contact may hold at most one value of (providers.md 1.3). */
export const singletonFields = new Set(['names', 'birthdays', 'biographies', 'genders']);

/** Fields `otherContacts.list` accepts in its readMask. */
export const otherContactFields = ['emailAddresses', 'metadata', 'names', 'phoneNumbers', 'photos'];

/**
 * Parses a field mask such as `names,emailAddresses`. A missing or empty mask is a 400, like the
 * real API ("personFields mask is required").
 */
export function parseFieldMask(
  value: string | undefined | null,
  allowed: readonly string[],
  parameter: string,
): Set<string> {
  if (!value || !value.trim()) {
    throw invalidArgument(`${parameter} mask is required. Please specify one or more valid paths.`);
  }
  const fields = new Set<string>();
  for (const raw of value.split(',')) {
    const field = raw.trim().replace(/^person\./, '');
    if (!allowed.includes(field)) throw invalidArgument(`Invalid ${parameter} mask path: "${raw.trim()}".`);
    fields.add(field);
  }
  return fields;
}

/**
 * Drops default values the way proto3 JSON does: false, 0, '' and empty lists are left out, so a
 * client that treats "absent" as "unknown" breaks here as it would against Google.
 */
export function proto3(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(proto3).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const kept = proto3(item);
      if (kept !== undefined) out[key] = kept;
    }
    return out;
  }
  if (value === false || value === 0 || value === '' || value === null) return undefined;
  return value;
}
