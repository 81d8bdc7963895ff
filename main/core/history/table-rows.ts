/**
 * The current list answered from the saved search table (search-table.ts) while the history is read
 * after unlocking (issue 16 item 4). Nothing is parsed per row to answer: a search is `indexOf` over
 * a few long strings of search text, a folder or "hide deleted" is a mask, another sort column is a
 * saved order, and only the rows of the page returned are decoded. The answers are the ones
 * list-views.ts gives from the history (same ids, order, total and fields): the same search plan
 * (contact-search.ts `planSearch`), the same filters, and orders saved from its own comparator.
 */
import type { ContactQuery, ContactSummary } from './contact-queries';
import { planSearch } from './contact-search';
import type { Pause } from './sliced-sort';
import type { UserKey } from './types';

/**
 * One stretch of rows' text (search text or phone digits): each row's text followed by
 * `ROW_END`, so one `indexOf` searches thousands of rows and the starts tell which row matched.
 */
export interface TextColumn {
  /** The row each of its entries is (list rows, in the order the text holds them). */
  readonly rows: Uint32Array;
  /** Where each row starts, plus the text's length at the end (rows + 1 entries). */
  readonly starts: Uint32Array;
  /** The text, decoded from the file on first use. */
  readonly text: () => string;
}

/** Ends each row's text in a column; a needle that holds it is tested row by row instead. */
export const ROW_END = '\u0000';

/** One user's current list from the table, in list (name) order. */
export interface TableRows {
  readonly userKey: UserKey;
  readonly count: number;
  /** 1 where the row is deleted at the source (kept in the backup). */
  readonly deleted: Uint8Array;
  /** Per folder id, its rows in ascending order. */
  readonly folders: ReadonlyMap<string, Uint32Array>;
  /** Every row in another column's order (`orderName`), ties in name order. */
  readonly orders: ReadonlyMap<string, Uint32Array>;
  readonly text: readonly TextColumn[];
  readonly digits: readonly TextColumn[];
  /** The row's summary, decoded now (exactly what `summarize` returns). */
  readonly summaryAt: (row: number) => ContactSummary;
  /** Matching rows in the query's order, by query key (newest last). */
  readonly views: Map<string, Uint32Array>;
}

const VIEWS_KEPT = 12;

/** The key of a saved order: company or updated, ascending or descending. */
export function orderName(sort: 'company' | 'updated', descending: boolean): string {
  return `${sort}:${descending ? 'descending' : 'ascending'}`;
}

function viewKeyOf(query: ContactQuery): string {
  return JSON.stringify([
    query.folderId ?? null,
    query.includeDeleted !== false,
    query.search?.trim() ?? '',
    query.sort ?? 'name',
    query.descending === true,
  ]);
}

/** The last row whose start is at or before `at`. */
function rowAt(starts: Uint32Array, at: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (starts[middle] <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Sets `hit[row]` for every row whose text in `columns` includes `needle` (String#includes). */
async function markContaining(
  columns: readonly TextColumn[],
  needle: string,
  hit: Uint8Array,
  pause: Pause,
): Promise<void> {
  for (const column of columns) {
    const text = column.text();
    const { starts, rows } = column;
    if (needle.includes(ROW_END)) {
      // Could span two rows: test each row's own text.
      for (let entry = 0; entry + 1 < starts.length; entry += 1) {
        if (text.slice(starts[entry], starts[entry + 1] - 1).includes(needle)) hit[rows[entry]] = 1;
      }
    } else {
      // Without ROW_END in the needle a match never crosses into the next row.
      let at = text.indexOf(needle);
      while (at >= 0) {
        const entry = rowAt(starts, at);
        hit[rows[entry]] = 1;
        at = text.indexOf(needle, starts[entry + 1]);
      }
    }
    await pause();
  }
}

/** Rows passing the deleted and folder filters (1) or not (0). */
function baseMask(rows: TableRows, query: ContactQuery): Uint8Array {
  const mask = new Uint8Array(rows.count);
  if (query.folderId) {
    for (const row of rows.folders.get(query.folderId) ?? []) mask[row] = 1;
  } else mask.fill(1);
  if (query.includeDeleted === false) {
    for (let row = 0; row < rows.count; row += 1) if (rows.deleted[row]) mask[row] = 0;
  }
  return mask;
}

async function applySearch(
  rows: TableRows,
  query: ContactQuery,
  mask: Uint8Array,
  pause: Pause,
): Promise<void> {
  const plan = planSearch(query.search ?? '');
  if (!plan) return;
  const needles: { text?: string; digits?: string }[] =
    plan.kind === 'phone'
      ? [{ text: plan.lower, digits: plan.digits }]
      : plan.words.map(({ word, digits }) => ({ text: word, digits }));
  // Every needle must match (a word in the text, or its digits in a phone).
  for (const needle of needles) {
    const hit = new Uint8Array(rows.count);
    if (needle.text !== undefined) await markContaining(rows.text, needle.text, hit, pause);
    if (needle.digits !== undefined) await markContaining(rows.digits, needle.digits, hit, pause);
    for (let row = 0; row < rows.count; row += 1) mask[row] &= hit[row];
  }
}

/** The matching rows in the query's order, computed in slices and kept for the next pages. */
async function viewOf(rows: TableRows, query: ContactQuery, pause: Pause): Promise<Uint32Array> {
  const key = viewKeyOf(query);
  let view = rows.views.get(key);
  if (!view) {
    const mask = baseMask(rows, query);
    await applySearch(rows, query, mask, pause);
    const sort = query.sort ?? 'name';
    const descending = query.descending === true;
    const order = sort === 'name' ? undefined : rows.orders.get(orderName(sort, descending));
    if (sort !== 'name' && !order) throw new Error(`The search table has no ${sort} order.`);
    const matched: number[] = [];
    for (let at = 0; at < rows.count; at += 1) {
      const row = order ? order[at] : descending ? rows.count - 1 - at : at;
      if (mask[row]) matched.push(row);
    }
    view = rows.views.get(key) ?? Uint32Array.from(matched);
  }
  rows.views.delete(key);
  rows.views.set(key, view);
  while (rows.views.size > VIEWS_KEPT) rows.views.delete(rows.views.keys().next().value!);
  return view;
}

/** One page of the current list matching a query (`at` and `userKeys` are the caller's to check). */
export async function tablePage(
  rows: TableRows,
  query: ContactQuery,
  pause: Pause,
): Promise<{ total: number; items: ContactSummary[] }> {
  const matched = await viewOf(rows, query, pause);
  const offset = query.offset ?? 0;
  const end = Math.min(matched.length, offset + (query.limit ?? matched.length));
  const items: ContactSummary[] = [];
  for (let at = offset; at < end; at += 1) items.push(rows.summaryAt(matched[at]));
  return { total: matched.length, items };
}
