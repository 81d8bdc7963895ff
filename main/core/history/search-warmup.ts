/**
 * Builds the search text of every current contact in the background after unlocking, so the first
 * search is as quick as the next ones.
 */
import { SLICE_BUDGET_MS, timeSlicer } from '../time-slice';
import { searchableOf } from './contact-search';
import type { HistoryIndex, Version } from './history-index';
import { StoredWalk } from './segment-contacts';

/**
 * Starts the warm-up after `startAfterMs`, in time slices of `budgetMs` (steps end on the clock:
 * 2,000 contacts a step held the API thread for over 100 ms on a busy machine), reading each
 * segment once and ahead, off the thread. Returns a stop function: locking must not leave it
 * holding the contacts in memory. A segment that cannot be read ends it; the search that needs the
 * segment says why.
 */
export function warmSearch(index: HistoryIndex, startAfterMs = 1500, budgetMs = SLICE_BUDGET_MS): () => void {
  let stopped = false;
  const warm = async () => {
    const latest: Version[] = [];
    for (const history of index.contacts.values()) {
      const last = history.versions.at(-1);
      if (last) latest.push(last);
    }
    const walk = new StoredWalk(latest, 'texts');
    const pause = timeSlicer(budgetMs);
    for (let step = 0; step < walk.order.length && !stopped; step += 1) {
      await walk.ready(step);
      if (stopped) return;
      searchableOf(latest[walk.order[step]!]!);
      await pause();
    }
  };
  // Started after the first screens have been answered, so it never delays them.
  const timer = setTimeout(() => void warm().catch(() => undefined), startAfterMs).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
