/**
 * Numbers and plurals as the reader's language writes them ("40,000", "1 contact", "340 contacts"),
 * from Intl.NumberFormat and Intl.PluralRules rather than "contact(s)". No imports, so the strings
 * module can use it.
 */
const numberFormat = new Intl.NumberFormat(undefined);
const pluralRules = new Intl.PluralRules(undefined);

/** "40,000" (grouped for the reader's locale). */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** The word form for a count: `one` for 1 (in English), `other` otherwise. */
export function pluralWord(count: number, forms: { readonly one: string; readonly other: string }): string {
  return pluralRules.select(count) === 'one' ? forms.one : forms.other;
}

/** "1 contact", "340 contacts", "40,000 contacts". */
export function countOf(count: number, forms: { readonly one: string; readonly other: string }): string {
  return `${formatNumber(count)} ${pluralWord(count, forms)}`;
}

/** "1 contact", "2 contacts", "2 address books": an English word with a regular plural. */
export function countWord(count: number, singular: string, plural = `${singular}s`): string {
  return countOf(count, { one: singular, other: plural });
}
