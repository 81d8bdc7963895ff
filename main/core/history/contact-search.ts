/**
 * Search over every field of a contact, part of a phone number included. The query is compiled once
 * and each contact's text is built once per revision, so a search over 100,000 contacts is a plain
 * loop of substring tests.
 */
import type { Contact } from '../contacts/model';
import type { Version } from './history-index';

/** Lower-cased text of every field, and the digits of every phone. */
export interface Searchable {
  readonly text: string;
  readonly digits: string;
}

const searchText = new WeakMap<Version, Searchable>();

/**
 * The searchable text of one revision, kept: revisions are immutable, so it is computed once (its
 * contact is read from its segment for that; walk many in storage order, see segment-contacts.ts).
 */
export function searchableOf(version: Version): Searchable {
  let cached = searchText.get(version);
  if (!cached) {
    cached = searchableRead(version);
    searchText.set(version, cached);
  }
  return cached;
}

/**
 * The search text of a revision without keeping it: the text stored beside its contact in the
 * segment (segment-codec.ts), else made from the contact (segments written before it was stored).
 */
export function searchableRead(version: Version): Searchable {
  const { segment, slot } = version;
  return segment.loader?.searchableAt?.(segment, slot) ?? searchableNow(version.contact);
}

/**
 * The searchable text without keeping it: the command line writes the search table a stretch of
 * rows at a time and never searches, so holding every contact's text (hundreds of megabytes at
 * 100,000 contacts with notes) would only raise its peak (issue 20).
 */
export function searchableNow(contact: Contact): Searchable {
  const parts: string[] = [];
  collectStrings(contact, parts);
  return {
    text: parts.join('\n').toLowerCase(),
    digits: contact.phones.map((phone) => phone.value.replace(/\D+/g, '')).join('\n'),
  };
}

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number') into.push(String(value));
  else if (Array.isArray(value))
    for (let index = 0; index < value.length; index += 1) collectStrings(value[index], into);
  else if (value && typeof value === 'object') {
    // for...in rather than Object.entries: no array per object, which matters over 100,000 contacts.
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (key === 'photo' || key === 'folderIds') continue;
      collectStrings(record[key], into);
    }
  }
}

/** Tests one contact's searchable text; built by `compileSearch`. */
export type SearchMatcher = (searchable: Searchable) => boolean;

const PHONE_LIKE = /^[\d\s()+./-]+$/;
const onlyDigits = (text: string) => text.replace(/\D+/g, '');

/**
 * What a query asks, before it is turned into a test: the saved search table (table-rows.ts) runs
 * the same plan over its own layout, so both answer alike.
 */
export type SearchPlan =
  /** Phone-like: the digits within a phone's digits, or the lower-cased query within the text. */
  | { readonly kind: 'phone'; readonly digits: string; readonly lower: string }
  /** Every word within the text, or (a phone fragment's) its digits within a phone's digits. */
  | {
      readonly kind: 'words';
      readonly words: readonly { readonly word: string; readonly digits?: string }[];
    };

/** Parses a query into its plan; undefined for an empty query (everything matches). */
export function planSearch(query: string): SearchPlan | undefined {
  const trimmed = query.trim();
  if (!trimmed) return undefined;
  // A query that looks like (part of) a phone number matches phone digits as a whole, whatever the
  // spacing on either side: "555 01" finds +1 (555) 012-3456.
  if (PHONE_LIKE.test(trimmed) && onlyDigits(trimmed).length >= 3) {
    return { kind: 'phone', digits: onlyDigits(trimmed), lower: trimmed.toLowerCase() };
  }
  const words = trimmed
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const digits = onlyDigits(word);
      // "555-0123" is a phone fragment; "a1b2c3" is not (letters would be dropped).
      const phoneFragment = digits.length >= 3 && digits.length >= word.replace(/[\s()+.-]/g, '').length;
      return { word, digits: phoneFragment ? digits : undefined };
    });
  return { kind: 'words', words };
}

/**
 * Compiles a query: true when every word matches some field; digit runs also match phones ignoring
 * spacing. Undefined for an empty query (everything matches).
 */
export function compileSearch(query: string): SearchMatcher | undefined {
  const plan = planSearch(query);
  if (!plan) return undefined;
  if (plan.kind === 'phone') {
    const { digits, lower } = plan;
    return (searchable) => searchable.digits.includes(digits) || searchable.text.includes(lower);
  }
  const words = plan.words;
  return (searchable) => {
    for (const { word, digits } of words) {
      if (searchable.text.includes(word)) continue;
      if (digits !== undefined && searchable.digits.includes(digits)) continue;
      return false;
    }
    return true;
  };
}
