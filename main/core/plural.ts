/**
 * Counts in sentences a person reads (job titles, results, log lines, audit entries): "1 contact",
 * "340 contacts", "40,000 contacts", never "contact(s)". The core's sentences are English, so the
 * number is grouped as English writes it whatever the host's locale.
 */
const grouped = new Intl.NumberFormat('en-US');

/** `count(1, 'contact')` is "1 contact"; `count(2, 'address book')` is "2 address books". */
export function count(value: number, singular: string, plural = `${singular}s`): string {
  return `${grouped.format(value)} ${value === 1 ? singular : plural}`;
}
