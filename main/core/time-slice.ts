/**
 * Slicing long work (issue 16 item 4): a loop over contacts calls the returned function between
 * items; once the slice has run for its budget it yields to the event loop, so the same thread
 * answers the renderer (a search, a click) within about one budget, whatever the job's size.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/**
 * Default time a slice may run before it lets other work in. Slices of concurrent work (the history
 * read after unlocking, the search warm-up, a search's sort) resume one after another in the same
 * turn of the event loop, so the thread is held for about their sum: at 25 ms, three of them held
 * it 90-110 ms; at 10 ms, three or four stay well under 100 ms.
 */
export const SLICE_BUDGET_MS = 10;

/** Returns a function to await between items; it resolves at once until the budget is spent. */
export function timeSlicer(budgetMs = SLICE_BUDGET_MS): () => Promise<void> | undefined {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < budgetMs) return undefined;
    return yieldToEventLoop().then(() => {
      sliceStart = performance.now();
    });
  };
}
