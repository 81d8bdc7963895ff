import { describe, expect, it } from 'vitest';
import { sortSliced } from '../../../main/core/history/sliced-sort';

/** A pause that counts how often the sort offered to yield, and yields for real. */
function countingPause() {
  const counter = { calls: 0 };
  const pause = () => {
    counter.calls += 1;
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
  return { counter, pause };
}

describe('sortSliced', () => {
  it('gives the order Array#sort gives, stable on ties, and pauses between runs', async () => {
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
    const items = Array.from({ length: 10_000 }, (_, id) => ({ id, key: Math.floor(random() * 50) }));
    const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
    const expected = [...items].sort(byKey);
    const { counter, pause } = countingPause();
    const sorted = await sortSliced([...items], byKey, pause);
    expect(sorted.map((item) => item.id)).toEqual(expected.map((item) => item.id));
    // Ten runs of 1,024 and the merges between them: it never sorts all 10,000 in one stretch.
    expect(counter.calls).toBeGreaterThan(10);
  });

  it('sorts small arrays in one go', async () => {
    const { counter, pause } = countingPause();
    expect(await sortSliced([3, 1, 2], (a, b) => a - b, pause)).toEqual([1, 2, 3]);
    expect(counter.calls).toBe(0);
  });
});
