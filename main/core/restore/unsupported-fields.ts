/**
 * The "fields the target cannot hold" line of a restore preview and report (issue 14, item 7): one
 * line per contact that loses something, naming the contact and counting repeats
 * ("Ada Lovelace: emails ×2 (Graph keeps 3 email addresses), customFields"), instead of one line per
 * value that nobody can tie back to a contact.
 */
import type { Contact } from '../contacts/model';

/** Writers name values as `field[index] (why)`; the index is dropped so repeats can be counted. */
function withoutIndex(field: string): string {
  return field.replace(/\[\d+\]/, '');
}

/** The line for one contact, or undefined when the target holds all of it. */
export function describeUnsupported(contact: Contact, fields: readonly string[]): string | undefined {
  if (fields.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const field of fields) {
    const key = withoutIndex(field);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([key, count]) => {
    if (count === 1) return key;
    const open = key.indexOf(' (');
    return open < 0 ? `${key} ×${count}` : `${key.slice(0, open)} ×${count}${key.slice(open)}`;
  });
  const name = contact.displayName || contact.emails[0]?.value || 'A contact without a name';
  return `${name}: ${parts.join(', ')}`;
}
