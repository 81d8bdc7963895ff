import { describe, expect, it } from 'vitest';
import { computeWindow, nextActiveIndex, scrollToReveal } from '../../../../renderer/src/lib/windowing';

describe('computeWindow', () => {
  it('renders nothing for an empty list', () => {
    expect(
      computeWindow({ count: 0, rowHeight: 36, scrollTop: 100, viewportHeight: 400, overscan: 5 }),
    ).toEqual({
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
  });

  it('renders the visible rows plus overscan below at the top', () => {
    const range = computeWindow({
      count: 1000,
      rowHeight: 40,
      scrollTop: 0,
      viewportHeight: 400,
      overscan: 3,
    });
    // 10 rows fit, +1 for a partly visible row, +3 overscan.
    expect(range).toEqual({ start: 0, end: 14, offsetTop: 0, totalHeight: 40_000 });
  });

  it('windows the middle of 100,000 rows to a few dozen', () => {
    const range = computeWindow({
      count: 100_000,
      rowHeight: 36,
      scrollTop: 1_800_000,
      viewportHeight: 540,
      overscan: 8,
    });
    expect(range.start).toBe(50_000 - 8);
    expect(range.end).toBe(50_000 + 16 + 8);
    expect(range.end - range.start).toBeLessThan(40);
    expect(range.offsetTop).toBe(range.start * 36);
    expect(range.totalHeight).toBe(3_600_000);
  });

  it('clamps a scroll position past the end (list shrank under a search)', () => {
    const range = computeWindow({
      count: 20,
      rowHeight: 36,
      scrollTop: 999_999,
      viewportHeight: 360,
      overscan: 2,
    });
    expect(range.end).toBe(20);
    expect(range.start).toBe(10 - 2);
  });

  it('treats a negative scroll (elastic scrolling) as the top', () => {
    const range = computeWindow({
      count: 50,
      rowHeight: 36,
      scrollTop: -80,
      viewportHeight: 360,
      overscan: 0,
    });
    expect(range.start).toBe(0);
    expect(range.end).toBe(11);
  });
});

describe('scrollToReveal', () => {
  it('keeps the scroll when the row is visible', () => {
    expect(scrollToReveal(5, 36, 0, 360)).toBe(0);
  });
  it('scrolls up to a row above the viewport', () => {
    expect(scrollToReveal(2, 36, 500, 360)).toBe(72);
  });
  it('scrolls down just enough for a row below', () => {
    expect(scrollToReveal(20, 36, 0, 360)).toBe(21 * 36 - 360);
  });
});

describe('nextActiveIndex', () => {
  it('moves and clamps with arrows, pages, Home and End', () => {
    expect(nextActiveIndex('ArrowDown', 0, 10, 5)).toBe(1);
    expect(nextActiveIndex('ArrowDown', 9, 10, 5)).toBe(9);
    expect(nextActiveIndex('ArrowUp', 0, 10, 5)).toBe(0);
    expect(nextActiveIndex('PageDown', 3, 10, 5)).toBe(8);
    expect(nextActiveIndex('PageUp', 3, 10, 5)).toBe(0);
    expect(nextActiveIndex('Home', 7, 10, 5)).toBe(0);
    expect(nextActiveIndex('End', 2, 10, 5)).toBe(9);
  });
  it('ignores other keys and empty lists', () => {
    expect(nextActiveIndex('a', 0, 10, 5)).toBeUndefined();
    expect(nextActiveIndex('ArrowDown', 0, 0, 5)).toBeUndefined();
  });
});
