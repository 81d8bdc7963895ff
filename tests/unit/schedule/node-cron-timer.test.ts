import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeCronTimer } from '../../../main/core/schedule/scheduler';

describe('nodeCronTimer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('beats on every wall-clock minute until stopped', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-04T08:00:30Z') });
    const onTick = vi.fn();
    const stop = nodeCronTimer().everyMinute(onTick);
    await vi.advanceTimersByTimeAsync(31_000);
    expect(onTick).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onTick).toHaveBeenCalledTimes(2);
    stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(onTick).toHaveBeenCalledTimes(2);
  });
});
