/**
 * The sorted list behind the Contacts screen, kept between requests. Sorting 100,000 names with a
 * collator costs a few hundred milliseconds, so the sorted rows of a (users, moment) pair are built
 * once per history revision; a folder, a search or a page is then a filter over that order, and a
 * filtered order is kept too so scrolling through pages never filters again.
 */
import { compileSearch, searchableOf, type Searchable } from './contact-search';
import type { ContactAt, HistoryIndex } from './history-index';
import {
  byName,
  compareKeyed,
  plainSortKey,
  summarize,
  type ContactQuery,
  type ContactSummary,
} from './contact-queries';

/** Every row of some users at some moment, sorted by name then id. */
interface SortedRows {
  readonly states: readonly ContactAt[];
  readonly summaries: readonly ContactSummary[];
  /** Search text aligned with `states`, filled on the first search. */
  searchables?: readonly Searchable[];
}

interface ViewCache {
  revision: number;
  readonly sorted: Map<string, SortedRows>;
  /** Positions in the sorted rows that pass a folder/deleted/search filter. */
  readonly filtered: Map<string, readonly number[]>;
}

const SORTED_KEPT = 3;
const FILTERED_KEPT = 12;

const caches = new WeakMap<HistoryIndex, ViewCache>();

function cacheOf(index: HistoryIndex): ViewCache {
  let cache = caches.get(index);
  if (!cache || cache.revision !== index.revision) {
    cache = { revision: index.revision, sorted: new Map(), filtered: new Map() };
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

function sortedRows(index: HistoryIndex, cache: ViewCache, query: ContactQuery): SortedRows {
  const key = JSON.stringify([query.userKeys ? [...query.userKeys].sort() : null, query.at ?? null]);
  const known = cache.sorted.get(key);
  if (known) return remember(cache.sorted, key, known, SORTED_KEPT);
  const rows = [...index.contactsAt(query.userKeys, query.at)].map((state) => {
    const summary = summarize(state);
    return { state, summary, key: plainSortKey(summary.displayName) };
  });
  rows.sort(compareKeyed);
  const sorted: SortedRows = {
    states: rows.map((row) => row.state),
    summaries: rows.map((row) => row.summary),
  };
  return remember(cache.sorted, key, sorted, SORTED_KEPT);
}

function positions(rows: SortedRows, query: ContactQuery): readonly number[] {
  const matcher = compileSearch(query.search ?? '');
  if (matcher && !rows.searchables) {
    rows.searchables = rows.states.map((state) => searchableOf(state.version.contact));
  }
  const skipDeleted = query.includeDeleted === false;
  const folderId = query.folderId;
  const out: number[] = [];
  for (let position = 0; position < rows.states.length; position += 1) {
    const state = rows.states[position];
    if (skipDeleted && state.deleted) continue;
    if (folderId && !state.version.contact.folderIds.includes(folderId)) continue;
    if (matcher && !matcher(rows.searchables![position])) continue;
    out.push(position);
  }
  return out;
}

/** The rows matching a query, in list order; `total` counts every match before paging. */
export function queryList(
  index: HistoryIndex,
  query: ContactQuery,
): { total: number; rows: SortedRows; positions: readonly number[] } {
  const cache = cacheOf(index);
  const rows = sortedRows(index, cache, query);
  const filterKey = JSON.stringify([
    query.userKeys ? [...query.userKeys].sort() : null,
    query.at ?? null,
    query.folderId ?? null,
    query.includeDeleted !== false,
    query.search?.trim() ?? '',
  ]);
  // The filter is kept in name order; another sort is a reordering of it, kept under its own key.
  let matched = cache.filtered.get(filterKey);
  if (!matched) {
    const unfiltered = !query.folderId && query.includeDeleted !== false && !query.search?.trim();
    matched = unfiltered ? rows.states.map((_, position) => position) : positions(rows, query);
  }
  remember(cache.filtered, filterKey, matched, FILTERED_KEPT);
  const sort = query.sort ?? 'name';
  if (sort === 'name' && !query.descending) return { total: matched.length, rows, positions: matched };
  const orderKey = JSON.stringify([filterKey, sort, query.descending === true]);
  let ordered = cache.filtered.get(orderKey);
  if (!ordered) ordered = orderBy(rows, matched, sort, query.descending === true);
  remember(cache.filtered, orderKey, ordered, FILTERED_KEPT);
  return { total: ordered.length, rows, positions: ordered };
}

/**
 * The matched positions (in name order) reordered by another column; a stable sort, so equal
 * companies or times stay in name order. Empty companies go last in both directions.
 */
function orderBy(
  rows: SortedRows,
  matched: readonly number[],
  sort: 'name' | 'company' | 'updated',
  descending: boolean,
): readonly number[] {
  const sign = descending ? -1 : 1;
  const out = [...matched];
  if (sort === 'name') return out.reverse();
  if (sort === 'updated') {
    out.sort((a, b) => {
      const x = rows.summaries[a].updatedAt;
      const y = rows.summaries[b].updatedAt;
      return x < y ? -sign : x > y ? sign : 0;
    });
    return out;
  }
  out.sort((a, b) => {
    const x = rows.summaries[a].organization ?? '';
    const y = rows.summaries[b].organization ?? '';
    if (!x || !y) return x ? -1 : y ? 1 : 0;
    return sign * byName.compare(x, y);
  });
  return out;
}

/** The list, sorted by name; total counts every match before paging. */
export function listContacts(
  index: HistoryIndex,
  query: ContactQuery,
): { total: number; items: ContactSummary[] } {
  const { total, rows, positions: matched } = queryList(index, query);
  const offset = query.offset ?? 0;
  const end = Math.min(total, offset + (query.limit ?? total));
  const items: ContactSummary[] = [];
  for (let at = offset; at < end; at += 1) items.push(rows.summaries[matched[at]]);
  return { total, items };
}

/** Every id the query matches, in list order ("select all" ticks them without loading every row). */
export function listContactIds(index: HistoryIndex, query: ContactQuery): string[] {
  const { rows, positions: matched } = queryList(index, query);
  return matched.map((position) => rows.summaries[position].id);
}
