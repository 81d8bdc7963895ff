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

/** The label of a typed value: its custom label, else its kind. */
export function typeLabel(value: { type?: string; label?: string }): string | undefined {
  return value.label ?? value.type;
}
