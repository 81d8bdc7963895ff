/**
 * The automatic backup scheduler (product.md S6, D5; issue 6). It only enqueues: the job registry runs
 * the backup, and the registry's one-job-per-user rule is asked through `isBusy`.
 *
 * How time is followed. Every user has a "considered until" instant: every fire time up to it has been
 * dealt with (enqueued, or skipped because the user was busy). Each tick looks at the fire times
 * between that instant and now; if there is at least one, it enqueues ONE backup and moves the instant
 * to now. So a slot is never queued twice, and many missed slots make one run, not many.
 *
 * Why a minute heartbeat rather than one node-cron task per user or a timer to the next fire time:
 * Node timers run on a monotonic clock that stops while the computer sleeps, so a timer armed for
 * "in six hours" fires hours late after a sleep, and node-cron's own missed-run handling would then
 * drop or replay slots by its rules, not ours. A heartbeat every minute reads the wall clock, so it
 * notices a sleep (a gap between beats) and catches up once, and the fire times come from one place
 * (schedule.ts) that tests drive with a fake clock. node-cron provides the heartbeat in production,
 * aligned to the wall-clock minute; tests pass their own {@link TimerPort} and call `tick()`.
 */
import { createTask } from 'node-cron';
import type { Clock } from '../ports';
import {
  compileSchedule,
  nextFireTime,
  nextFireTimes,
  type BackupSchedule,
  type CompiledSchedule,
  type ScheduleValidation,
} from './schedule';

export type EnqueueReason = 'schedule' | 'catch-up';

/** Calls a function about once a minute until stopped: node-cron in the app, a fake in tests. */
export interface TimerPort {
  /** Starts calling `onTick`; the returned function stops it. */
  everyMinute(onTick: () => void): () => void;
}

export interface SchedulerOptions {
  readonly clock: Clock;
  /** Creates a backup job for the user. Must not throw for expected refusals (licence, vault locked). */
  enqueue(userKey: string, reason: EnqueueReason): void;
  /** When the user's last backup (scheduled or manual) started; undefined if it never ran. */
  lastRunAt(userKey: string): Date | undefined;
  /** Whether a job of the user is queued or running; such a slot is skipped, not queued for later. */
  isBusy(userKey: string): boolean;
  /** Defaults to {@link nodeCronTimer}. */
  readonly timers?: TimerPort;
  /** Told about a slot that was skipped because the user was busy (for the task log). */
  onSkipped?(userKey: string, slot: Date): void;
  /** Told about an exception thrown while ticking from the timer (a bug: log it). */
  onError?(error: unknown): void;
  /** A gap between ticks longer than this is taken as a sleep of the computer. Default 3 minutes. */
  readonly sleepGapMs?: number;
}

interface Entry {
  readonly compiled: CompiledSchedule;
  consideredUntil: Date;
  /** Whether missed times are made up once after a sleep or while the app was closed. */
  readonly catchUp: boolean;
}

const DEFAULT_SLEEP_GAP_MS = 3 * 60 * 1000;

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly sleepGapMs: number;
  private lastTickAt: Date | undefined;
  private stopTimer: (() => void) | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.sleepGapMs = options.sleepGapMs ?? DEFAULT_SLEEP_GAP_MS;
  }

  /**
   * Sets or replaces a user's schedule. Slots before now are not run for it (catch-up happens only at
   * start and resume). An invalid schedule leaves the previous one in place and says why.
   */
  setSchedule(
    userKey: string,
    schedule: BackupSchedule,
    options: { readonly catchUp?: boolean } = {},
  ): ScheduleValidation {
    const result = compileSchedule(schedule, userKey);
    if (!result.ok) return result;
    this.entries.set(userKey, {
      compiled: result.compiled,
      consideredUntil: this.options.clock.now(),
      catchUp: options.catchUp ?? true,
    });
    return { ok: true };
  }

  /** Stops scheduling a user (the user was disabled or removed). Their backups are not touched. */
  remove(userKey: string): void {
    this.entries.delete(userKey);
  }

  /**
   * Catches up, once per user, what was missed while the app was closed (a fire time after the user's
   * last run), then starts the heartbeat. Set the schedules first. Calling it twice does nothing.
   */
  start(): void {
    if (this.stopTimer) return;
    const now = this.options.clock.now();
    this.lastTickAt = now;
    for (const [userKey, entry] of this.entries) {
      const lastRun = this.options.lastRunAt(userKey);
      if (lastRun && entry.catchUp) this.consider(userKey, entry, lastRun, now, 'catch-up');
      else entry.consideredUntil = now;
    }
    const timers = this.options.timers ?? nodeCronTimer();
    this.stopTimer = timers.everyMinute(() => {
      try {
        this.tick();
      } catch (error) {
        (this.options.onError ?? console.error)(error);
      }
    });
  }

  /** Stops the heartbeat; schedules are kept, so `start()` resumes with a catch-up. */
  stop(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  /**
   * Enqueues what is due now. Called by the heartbeat and by tests with a fake clock. A gap since the
   * previous tick longer than the sleep gap is handled as a resume; a clock set backwards re-anchors
   * every user at the new time (slots in the repeated time may run again, which is better than
   * running nothing until the clock catches up).
   */
  tick(): void {
    const now = this.options.clock.now();
    const previous = this.lastTickAt;
    if (previous && now.getTime() - previous.getTime() > this.sleepGapMs) {
      this.onResume();
      return;
    }
    this.lastTickAt = now;
    if (previous && now < previous) {
      for (const entry of this.entries.values()) entry.consideredUntil = now;
      return;
    }
    for (const [userKey, entry] of this.entries) {
      this.consider(userKey, entry, entry.consideredUntil, now, 'schedule');
    }
  }

  /**
   * After the computer slept (the host may also call it from Electron's powerMonitor 'resume'): one
   * catch-up per user whose fire times passed during the sleep, unless a backup ran after them.
   */
  onResume(): void {
    const now = this.options.clock.now();
    this.lastTickAt = now;
    for (const [userKey, entry] of this.entries) {
      if (!entry.catchUp) {
        entry.consideredUntil = now;
        continue;
      }
      const lastRun = this.options.lastRunAt(userKey);
      const from = lastRun && lastRun > entry.consideredUntil ? lastRun : entry.consideredUntil;
      this.consider(userKey, entry, from, now, 'catch-up');
    }
  }

  /** The user's next `count` fire times from now, offset included, for the Settings page. */
  nextRuns(userKey: string, count: number): Date[] {
    const entry = this.entries.get(userKey);
    return entry ? nextFireTimes(entry.compiled, this.options.clock.now(), count) : [];
  }

  /** Enqueues once if a fire time lies in (from, now]; either way everything up to now is dealt with. */
  private consider(userKey: string, entry: Entry, from: Date, now: Date, reason: EnqueueReason): void {
    const slot = nextFireTime(entry.compiled, from);
    // Moved before enqueue: if enqueue throws, the slot is still not offered twice.
    entry.consideredUntil = now;
    if (!slot || slot > now) return;
    if (this.options.isBusy(userKey)) {
      this.options.onSkipped?.(userKey, slot);
      return;
    }
    this.options.enqueue(userKey, reason);
  }
}

/**
 * The production heartbeat: a node-cron task on every wall-clock minute. `noOverlap` because a tick
 * is synchronous and cheap anyway; `unref` so the scheduler alone never keeps a CLI process alive (the
 * Electron app and the web host keep running for their own reasons).
 */
export function nodeCronTimer(): TimerPort {
  return {
    everyMinute(onTick) {
      const task = createTask('* * * * *', () => onTick(), {
        name: 'contacts-backup-scheduler',
        noOverlap: true,
        suppressMissedWarning: true,
        unref: true,
      });
      void task.start();
      return () => void task.destroy();
    },
  };
}
