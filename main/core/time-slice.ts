/**
 * Slicing long work (issue 16 item 4): a loop over contacts calls the returned function between
 * items; once the slice has run for its budget it yields to the event loop, so the same thread
 * answers the renderer (a search, a click) within about one budget, whatever the job's size.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** Default time a slice may run before it lets other work in. */
export const SLICE_BUDGET_MS = 25;

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
