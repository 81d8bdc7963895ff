/**
 * What changed between two versions of a contact, field by field, for the version comparison in
 * the info pane. Computed in the renderer from two `contacts.get` answers it already has: each field
 * is written out as the lines a person reads ("Work: jane@example.com"), and the lines only one side
 * has are the added and removed ones; a field with one line on each side reads as changed.
 */
import { strings } from '../strings';
import type { Contact } from './api-types';
import { formatCountry, formatPartialDate, formatPhone, typeLabel } from './format';

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffRow {
  /** The field's label, as the info pane names it. */
  readonly field: string;
  readonly kind: DiffKind;
  readonly before?: string;
  readonly after?: string;
}

type Lines = [field: string, lines: string[]][];

function labelled(value: { type?: string; label?: string }, text: string): string {
  const label = typeLabel(value);
  return label ? `${label}: ${text}` : text;
}

/** Every field of a contact as readable lines, in the info pane's order. */
export function contactLines(contact: Contact): Lines {
  const s = strings.info;
  const one = (value: string | undefined) => (value ? [value] : []);
  const name = contact.name;
  return [
    [s.displayName, one(contact.displayName)],
    [s.prefix, one(name.prefix)],
    [s.given, one(name.given)],
    [s.middle, one(name.middle)],
    [s.family, one(name.family)],
    [s.suffix, one(name.suffix)],
    [s.phoneticGiven, one(name.phoneticGiven)],
    [s.phoneticMiddle, one(name.phoneticMiddle)],
    [s.phoneticFamily, one(name.phoneticFamily)],
    [s.nicknames, [...contact.nicknames]],
    [s.fileAs, one(contact.fileAs)],
    [s.emails, contact.emails.map((v) => labelled(v, v.value))],
    [s.phones, contact.phones.map((v) => labelled(v, formatPhone(v.value)))],
    [
      s.addresses,
      contact.addresses.map((a) =>
        labelled(
          a,
          [
            a.street,
            a.extended,
            a.poBox ? `${s.poBox} ${a.poBox}` : undefined,
            [a.postalCode, a.city].filter(Boolean).join(' ') || undefined,
            a.region,
            formatCountry(a.country, a.countryCode),
          ]
            .filter(Boolean)
            .join(', ') ||
            a.formatted ||
            '',
        ),
      ),
    ],
    [s.urls, contact.urls.map((v) => labelled(v, v.value))],
    [
      s.organizations,
      contact.organizations.map((o) =>
        [o.name, o.department, o.title, o.location, o.profession].filter(Boolean).join(' · '),
      ),
    ],
    [s.birthday, contact.birthday ? [formatPartialDate(contact.birthday)] : []],
    [s.events, contact.events.map((e) => labelled(e, formatPartialDate(e.date)))],
    [s.notes, one(contact.notes)],
    [s.relations, contact.relations.map((r) => labelled({ type: r.type }, r.name))],
    [s.im, contact.imAddresses.map((v) => labelled(v, v.value))],
    [s.sip, contact.sipAddresses.map((v) => labelled(v, v.value))],
    [s.customFields, contact.customFields.map((f) => `${f.key}: ${f.value}`)],
    [s.gender, one(contact.gender)],
    [s.photoChangedField, contact.photo ? [contact.photo.hash] : []],
    [
      s.extra,
      Object.entries(contact.extra ?? {}).map(
        ([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
      ),
    ],
  ];
}

/** The changes from `older` to `newer`, in field order; empty when nothing a person sees changed. */
export function diffContacts(older: Contact, newer: Contact): DiffRow[] {
  const before = new Map(contactLines(older));
  const rows: DiffRow[] = [];
  for (const [field, after] of contactLines(newer)) {
    const was = before.get(field) ?? [];
    const removed = was.filter((line) => !after.includes(line));
    const added = after.filter((line) => !was.includes(line));
    // A photo is compared by its hash, which means nothing to a reader: say only that it changed.
    if (field === strings.info.photoChangedField) {
      if (removed.length || added.length) {
        rows.push({ field, kind: !added.length ? 'removed' : !removed.length ? 'added' : 'changed' });
      }
      continue;
    }
    // One line out and one in is the same value edited (a new number, a corrected name).
    if (removed.length === 1 && added.length === 1) {
      rows.push({ field, kind: 'changed', before: removed[0], after: added[0] });
      continue;
    }
    for (const line of removed) rows.push({ field, kind: 'removed', before: line });
    for (const line of added) rows.push({ field, kind: 'added', after: line });
  }
  return rows;
}
