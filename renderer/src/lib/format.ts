/**
 * Formatting shared by the screens: dates, partial dates (birthdays without a year), durations and
 * password strength. Kept pure so the info pane renders the same in a test as in the app.
 */
import { strings } from '../strings';
import type { Contact } from './api-types';

type PartialDate = NonNullable<Contact['birthday']>;

/** A readable local date and time for an ISO string; the raw text when it does not parse. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A local date and time to the second, for versions: two backups a minute apart must not read
 * the same.
 */
export function formatVersionTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "14 March 1980", "14 March" when the year is unknown, or the source's own text. */
export function formatPartialDate(date: PartialDate): string {
  const parts: string[] = [];
  if (date.day) parts.push(String(date.day));
  if (date.month && date.month >= 1 && date.month <= 12) parts.push(strings.months[date.month - 1]);
  if (date.year) parts.push(String(date.year));
  const structured = parts.join(' ');
  if (structured && date.text && date.text !== structured) return `${structured} (${date.text})`;
  return structured || date.text || '';
}

/** "2 min 5 s" between two ISO times (or until now for a running job). */
export function formatDuration(
  startIso: string | undefined,
  endIso: string | undefined,
  now = Date.now(),
): string {
  if (!startIso) return '';
  const start = Date.parse(startIso);
  const end = endIso ? Date.parse(endIso) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return '';
  const seconds = Math.max(0, Math.round((end - start) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The label of a typed value: the user's own label as typed, else the human label of its kind. */
export function typeLabel(value: { type?: string; label?: string }): string | undefined {
  if (value.label) return value.label;
  return value.type ? humanType(value.type) : undefined;
}

/** A human label for a kind ("work-mobile" → "Work mobile"); unknown kinds are spelled out too. */
export function humanType(type: string): string {
  const known = strings.typeLabels[type.toLowerCase()];
  if (known) return known;
  const words = type.replace(/[-_]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : type;
}

/**
 * A phone number with its extension written out: dialling pauses (",,80", ";80"), ";ext=80" and
 * "x80" all become "… ext. 80". Anything else is shown as the source wrote it.
 */
export function formatPhone(value: string): string {
  const match = /^(.*?\d[^,;]*?)\s*(?:[,;]+(?:ext=)?|\s+(?:ext\.?|x)\s*)(\d+)\s*$/i.exec(value);
  if (!match) return value;
  return `${match[1].trim()} ${strings.info.extension(match[2])}`;
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return undefined;
  }
})();

/**
 * The country line of an address: the name the reader's language gives the ISO code ("US" →
 * "United States"), else the source's own text; the code is never shown beside its own name.
 */
export function formatCountry(country: string | undefined, code: string | undefined): string | undefined {
  let named: string | undefined;
  if (code && /^[A-Za-z]{2}$/.test(code)) {
    try {
      named = regionNames?.of(code.toUpperCase());
    } catch {
      named = undefined;
    }
    if (named === code.toUpperCase()) named = undefined;
  }
  if (country && named && country.trim().toLowerCase() !== named.toLowerCase()) {
    // The source's text wins when it names the country another way ("USA"): it is what was typed.
    return country;
  }
  return named ?? country ?? (code ? code.toUpperCase() : undefined);
}

/**
 * Places where an email address or URL may break: after "@" and before each ".", so a long
 * address wraps as "jane.doe@ / example.com" instead of in the middle of a word.
 */
export function breakPoints(value: string): string[] {
  return value.split(/(?<=@)|(?=\.)|(?<=\/)/).filter((part) => part.length > 0);
}

/** A short local date for list cells ("7 Dec 2026"); the raw text when it does not parse. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
