/**
 * The sorted list behind the Contacts screen, kept between requests. Sorting 100,000 names with a
 * collator costs a few hundred milliseconds, so the sorted rows of a (users, moment) pair are built
 * once per history revision; a folder, a search or a page is then a filter over that order, and a
 * filtered order is kept too so scrolling through pages never filters again.
 *
 * While the history is read, the saved search table answers the same queries (table-rows.ts): it
 * runs the same search plan and saves the orders `columnComparator` gives, so both answer alike.
 *
 * `prepareList` builds what a query needs in time slices (issue 16 item 4): after a backup commits,
 * the first search re-sorts and re-filters the whole list without holding the API thread for more
 * than a slice. The synchronous functions compute whatever is not prepared yet (CLI, tests).
 */
import { timeSlicer } from '../time-slice';
import { compileSearch, searchableOf, type Searchable } from './contact-search';
import type { ContactAt, HistoryIndex, Version } from './history-index';
import { StoredWalk } from './segment-contacts';
import { sortSliced, type Pause } from './sliced-sort';
import {
  byName,
  compareKeyed,
  plainSortKey,
  summarize,
  type ContactQuery,
  type ContactSummary,
} from './contact-queries';

/** Every row of some users at some moment, sorted by name then id. */
export interface SortedRows {
  readonly summaries: readonly ContactSummary[];
  /** The revision each row shows, to build its search text when first needed. */
  readonly versions: readonly Version[];
  /** Search text aligned with `summaries`: given by the search table, else filled on the first search. */
  searchables?: readonly Searchable[];
  /** Positions that pass a filter, in name order or reordered, by filter key (newest last). */
  readonly views: Map<string, readonly number[]>;
}

interface ViewCache {
  readonly revision: number;
  readonly sorted: Map<string, SortedRows>;
}

const SORTED_KEPT = 3;
const VIEWS_KEPT = 12;
/** Items between two looks at the slice's clock. */
const CHECK_EVERY = 256;

const caches = new WeakMap<HistoryIndex, ViewCache>();

function cacheOf(index: HistoryIndex): ViewCache {
  let cache = caches.get(index);
  if (!cache || cache.revision !== index.revision) {
    cache = { revision: index.revision, sorted: new Map() };
    caches.set(index, cache);
  }
  return cache;
}

/** Keeps a map to its newest `limit` entries (a Map iterates in insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): V {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value!);
  return value;
}

function rowsKey(query: ContactQuery): string {
  return JSON.stringify([query.userKeys ? [...query.userKeys].sort() : null, query.at ?? null]);
}

/** Builds sorted rows from keyed ones: `keyed` must already be in list order. */
function rowsFrom(
  keyed: readonly { readonly summary: ContactSummary; readonly version: Version }[],
  searchables?: readonly Searchable[],
): SortedRows {
  return {
    summaries: keyed.map((row) => row.summary),
    versions: keyed.map((row) => row.version),
    searchables,
    views: new Map(),
  };
}

function keyedRow(state: ContactAt) {
  const summary = summarize(state);
  return { summary, version: state.version, key: plainSortKey(summary.displayName) };
}

function sortedRows(index: HistoryIndex, query: ContactQuery): SortedRows {
  const cache = cacheOf(index);
  const key = rowsKey(query);
  const known = cache.sorted.get(key);
  if (known) return remember(cache.sorted, key, known, SORTED_KEPT);
  const keyed = [...index.contactsAt(query.userKeys, query.at)].map(keyedRow);
  keyed.sort(compareKeyed);
  return remember(cache.sorted, key, rowsFrom(keyed), SORTED_KEPT);
}

/** Like `sortedRows`, in slices; undefined when the history changed meanwhile (the caller retries). */
async function sortedRowsSliced(
  index: HistoryIndex,
  query: ContactQuery,
  pause: Pause,
): Promise<SortedRows | undefined> {
  const key = rowsKey(query);
  const known = cacheOf(index).sorted.get(key);
  if (known) return known;
  const revision = index.revision;
  const keyed: ReturnType<typeof keyedRow>[] = [];
  for (const state of index.contactsAt(query.userKeys, query.at)) {
    keyed.push(keyedRow(state));
    if (keyed.length % CHECK_EVERY === 0) {
      await pause();
      // A commit in between may have changed what the walk already passed: start again.
      if (index.revision !== revision) return undefined;
    }
  }
  const sorted = await sortSliced(keyed, compareKeyed, pause);
  if (index.revision !== revision) return undefined;
  const cache = cacheOf(index);
  return cache.sorted.get(key) ?? remember(cache.sorted, key, rowsFrom(sorted), SORTED_KEPT);
}

function filterKeyOf(query: ContactQuery): string {
  return JSON.stringify([query.folderId ?? null, query.includeDeleted !== false, query.search?.trim() ?? '']);
}

function isUnfiltered(query: ContactQuery): boolean {
  return !query.folderId && query.includeDeleted !== false && !query.search?.trim();
}

function orderKeyOf(query: ContactQuery): string | undefined {
  const sort = query.sort ?? 'name';
  if (sort === 'name' && !query.descending) return undefined;
  return JSON.stringify([filterKeyOf(query), sort, query.descending === true]);
}

/** Appends the positions in [from, to) that pass the query's filter. */
function filterRange(rows: SortedRows, query: ContactQuery, from: number, to: number, out: number[]): void {
  const matcher = compileSearch(query.search ?? '');
  const skipDeleted = query.includeDeleted === false;
  const folderId = query.folderId;
  for (let position = from; position < to; position += 1) {
    const summary = rows.summaries[position];
    if (skipDeleted && summary.deleted) continue;
    if (folderId && !summary.folderIds.includes(folderId)) continue;
    if (matcher && !matcher(rows.searchables![position])) continue;
    out.push(position);
  }
}

function needsSearch(rows: SortedRows, query: ContactQuery): boolean {
  return !rows.searchables && compileSearch(query.search ?? '') !== undefined;
}

/**
 * Fills the rows' search text in slices, reading their contacts in storage order (in list order a
 * walk jumps between segments, see segment-contacts.ts).
 */
export async function ensureSearchables(rows: SortedRows, pause: Pause = timeSlicer()): Promise<void> {
  if (rows.searchables) return;
  const versions = rows.versions;
  const searchables = new Array<Searchable>(versions.length);
  const walk = new StoredWalk(versions, 'texts');
  for (let step = 0; step < walk.order.length; step += 1) {
    await walk.ready(step);
    const at = walk.order[step]!;
    searchables[at] = searchableOf(versions[at]!);
    if (step % CHECK_EVERY === 0) await pause();
  }
  rows.searchables ??= searchables;
}

/** `ensureSearchables` at once (the command line, tests). */
function searchablesNow(rows: SortedRows): Searchable[] {
  const versions = rows.versions;
  const searchables = new Array<Searchable>(versions.length);
  for (const at of new StoredWalk(versions, 'texts').order) searchables[at] = searchableOf(versions[at]!);
  return searchables;
}

/** The positions matching a query in list order, computed now where not known yet. */
function viewOf(rows: SortedRows, query: ContactQuery): readonly number[] {
  const filterKey = filterKeyOf(query);
  let matched = rows.views.get(filterKey);
  if (!matched) {
    if (needsSearch(rows, query)) rows.searchables = searchablesNow(rows);
    const out: number[] = [];
    if (isUnfiltered(query)) for (let at = 0; at < rows.summaries.length; at += 1) out.push(at);
    else filterRange(rows, query, 0, rows.summaries.length, out);
    matched = out;
  }
  remember(rows.views, filterKey, matched, VIEWS_KEPT);
  // The filter is kept in name order; another sort is a reordering of it, kept under its own key.
  const orderKey = orderKeyOf(query);
  if (!orderKey) return matched;
  let ordered = rows.views.get(orderKey);
  if (!ordered) ordered = orderBy(rows, matched, query).sort(comparatorOf(rows, query));
  return remember(rows.views, orderKey, ordered, VIEWS_KEPT);
}

/** Computes `viewOf`'s result in slices and keeps it on the rows, so `viewOf` then only looks it up. */
async function viewOfSliced(rows: SortedRows, query: ContactQuery, pause: Pause): Promise<void> {
  const filterKey = filterKeyOf(query);
  let matched = rows.views.get(filterKey);
  if (!matched) {
    if (needsSearch(rows, query)) await ensureSearchables(rows, pause);
    const out: number[] = [];
    const unfiltered = isUnfiltered(query);
    for (let from = 0; from < rows.summaries.length; from += CHECK_EVERY * 8) {
      const to = Math.min(rows.summaries.length, from + CHECK_EVERY * 8);
      if (unfiltered) for (let at = from; at < to; at += 1) out.push(at);
      else filterRange(rows, query, from, to, out);
      await pause();
    }
    matched = rows.views.get(filterKey) ?? out;
  }
  remember(rows.views, filterKey, matched, VIEWS_KEPT);
  const orderKey = orderKeyOf(query);
  if (!orderKey || rows.views.has(orderKey)) return;
  const ordered = await sortSliced(orderBy(rows, matched, query), comparatorOf(rows, query), pause);
  remember(rows.views, orderKey, rows.views.get(orderKey) ?? ordered, VIEWS_KEPT);
}

/** The matched positions to reorder: reversed for names descending (then nothing to sort). */
function orderBy(rows: SortedRows, matched: readonly number[], query: ContactQuery): number[] {
  const out = [...matched];
  return (query.sort ?? 'name') === 'name' ? out.reverse() : out;
}

/**
 * How matched positions (in name order) are reordered by another column; used with a stable sort,
 * so equal companies or times stay in name order. Empty companies go last in both directions.
 */
function comparatorOf(rows: SortedRows, query: ContactQuery): (a: number, b: number) => number {
  return columnComparator(rows.summaries, query);
}

/**
 * The reordering comparator over positions into `summaries`; the search table saves the orders it
 * gives over all rows (a stable sort then a filter equals a filter then a stable sort).
 */
export function columnComparator(
  summaries: readonly ContactSummary[],
  query: Pick<ContactQuery, 'sort' | 'descending'>,
): (a: number, b: number) => number {
  const sign = query.descending === true ? -1 : 1;
  const sort = query.sort ?? 'name';
  if (sort === 'name') return () => 0;
  if (sort === 'updated') {
    return (a, b) => {
      const x = summaries[a].updatedAt;
      const y = summaries[b].updatedAt;
      return x < y ? -sign : x > y ? sign : 0;
    };
  }
  // Plain company names compare by code units, as names do (plainSortKey): the same order, found
  // several times quicker than by the collator over a hundred thousand rows.
  const keys = summaries.map((summary) => plainSortKey(summary.organization ?? ''));
  return (a, b) => {
    const x = summaries[a].organization ?? '';
    const y = summaries[b].organization ?? '';
    if (!x || !y) return x ? -1 : y ? 1 : 0;
    const keyA = keys[a];
    const keyB = keys[b];
    if (keyA !== undefined && keyB !== undefined) return sign * (keyA < keyB ? -1 : keyA > keyB ? 1 : 0);
    return sign * byName.compare(x, y);
  };
}

/** The rows matching a query, in list order; `total` counts every match before paging. */
export function queryList(
  index: HistoryIndex,
  query: ContactQuery,
): { total: number; rows: SortedRows; positions: readonly number[] } {
  const rows = sortedRows(index, query);
  const positions = viewOf(rows, query);
  return { total: positions.length, rows, positions };
}

/**
 * Prepares what `listContacts` needs for this query in time slices, so the call after it only
 * pages. Several callers asking at once each do their own slices; the results are the same.
 */
export async function prepareList(
  index: HistoryIndex,
  query: ContactQuery,
  pause: Pause = timeSlicer(),
): Promise<void> {
  // A commit may land between slices; after a few tries the synchronous path does the rest.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const rows = await sortedRowsSliced(index, query, pause);
    if (!rows) continue;
    await viewOfSliced(rows, query, pause);
    return;
  }
}

/** The sorted rows of some users now, built in slices (for saving the search table and first screen). */
export async function currentRows(
  index: HistoryIndex,
  userKeys: ReadonlySet<string>,
  pause: Pause = timeSlicer(),
): Promise<SortedRows> {
  const query: ContactQuery = { userKeys };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const rows = await sortedRowsSliced(index, query, pause);
    if (rows) return rows;
  }
  return sortedRows(index, query);
}

/** One page of rows matching a query; total counts every match before paging. */
export function pageOf(rows: SortedRows, query: ContactQuery): { total: number; items: ContactSummary[] } {
  const matched = viewOf(rows, query);
  const offset = query.offset ?? 0;
  const end = Math.min(matched.length, offset + (query.limit ?? matched.length));
  const items: ContactSummary[] = [];
  for (let at = offset; at < end; at += 1) items.push(rows.summaries[matched[at]]);
  return { total: matched.length, items };
}

/** The list, sorted by name; total counts every match before paging. */
export function listContacts(
  index: HistoryIndex,
  query: ContactQuery,
): { total: number; items: ContactSummary[] } {
  return pageOf(sortedRows(index, query), query);
}

/** Every id the query matches, in list order ("select all" ticks them without loading every row). */
export function listContactIds(index: HistoryIndex, query: ContactQuery): string[] {
  const { rows, positions: matched } = queryList(index, query);
  return matched.map((position) => rows.summaries[position].id);
}
