/**
 * A stable sort that yields to the event loop (issue 16 item 4). `Array#sort` over 100,000 names
 * holds the API thread for a few hundred milliseconds; sorting runs of a thousand and merging them
 * with a pause between slices keeps every stretch short. Stable like `Array#sort`, so for the same
 * comparator both give the same order.
 */

/** Awaited between items; resolves at once until the slice's budget is spent (see ../time-slice.ts). */
export type Pause = () => Promise<void> | undefined;

const RUN = 1024;

/** Sorts `items` (which it may reorder in place) and returns the sorted array, pausing as it goes. */
export async function sortSliced<T>(items: T[], compare: (a: T, b: T) => number, pause: Pause): Promise<T[]> {
  const count = items.length;
  if (count <= RUN) return items.sort(compare);
  for (let start = 0; start < count; start += RUN) {
    const run = items.slice(start, start + RUN).sort(compare);
    for (let offset = 0; offset < run.length; offset += 1) items[start + offset] = run[offset];
    await pause();
  }
  let source = items;
  let target = new Array<T>(count);
  for (let width = RUN; width < count; width *= 2) {
    for (let left = 0; left < count; left += 2 * width) {
      const middle = Math.min(count, left + width);
      const right = Math.min(count, left + 2 * width);
      let from = left;
      let other = middle;
      let to = left;
      while (from < middle && other < right) {
        // Only a strictly smaller right-hand item goes first: that is what keeps the sort stable.
        target[to++] = compare(source[other], source[from]) < 0 ? source[other++] : source[from++];
        if ((to & (RUN - 1)) === 0) await pause();
      }
      while (from < middle) target[to++] = source[from++];
      while (other < right) target[to++] = source[other++];
    }
    [source, target] = [target, source];
  }
  return source;
}
