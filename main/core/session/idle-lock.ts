/**
 * Locking a profile on a shared desktop (issue 9 §4): the idle timer that locks the unlocked profile
 * after N minutes without activity, and forgetting a profile's remembered key ("remember me").
 *
 * Idle lock:
 * - N is the profile's `idleLockMinutes` setting (default 15; 0 = never), read again at every check,
 *   so a change in Settings takes effect without a restart.
 * - Activity is whatever the host reports through `activity()`: the router calls it for every request
 *   of a trusted window, so clicking and typing that reach the core keep the profile open.
 * - A running or queued job postpones the lock (locking cancels jobs, and a backup is not abandoned
 *   because nobody touched the mouse); the profile locks once the jobs are done and N minutes passed.
 * - Clock and timers are injectable so tests run an hour of idleness in a millisecond.
 */
import type { Clock, SecretStore } from '../ports';
import { systemClock } from '../ports';
import type { EventName } from '../contract/contract-types';
import type { ProfileSession } from './profile-session';

export const DEFAULT_IDLE_LOCK_MINUTES = 15;
const MINUTE_MS = 60_000;
/** How often a lock postponed by running jobs is tried again. */
const BUSY_RECHECK_MS = MINUTE_MS;

export interface IdleTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: IdleTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // The idle timer alone never keeps a process (the CLI, a test) alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The part of AppCore the idle lock uses. */
export interface IdleLockTarget {
  readonly session: ProfileSession | undefined;
  lock(): Promise<void>;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

export interface IdleLockOptions {
  readonly clock?: Clock;
  readonly timers?: IdleTimers;
  /** Called after an idle lock (for a log line or a notification); errors of lock() land here too. */
  readonly onLocked?: (error?: unknown) => void;
}

export interface IdleLock {
  /** The user did something: the countdown starts again. */
  activity(): void;
  /** Stops watching (app shutdown). */
  stop(): void;
}

/** The profile's idle lock setting in minutes: a whole number ≥ 0, 0 meaning never. */
export function idleLockMinutes(session: ProfileSession): number {
  const value = session.settings.get().idleLockMinutes;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.floor(value)
    : DEFAULT_IDLE_LOCK_MINUTES;
}

/**
 * Watches the app and locks the unlocked profile after its idle time. Starts counting when a profile
 * is unlocked and stops when it is locked; call `activity()` on user activity.
 */
export function startIdleLock(app: IdleLockTarget, options: IdleLockOptions = {}): IdleLock {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  let lastActivity = clock.now().getTime();
  let handle: unknown;
  let stopped = false;

  const clear = () => {
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = undefined;
  };

  const schedule = (ms: number) => {
    clear();
    if (!stopped) handle = timers.setTimeout(check, Math.max(0, ms));
  };

  /** Decides now: lock, or plan the next check (any pending timer is replaced). */
  function check(): void {
    clear();
    const session = app.session;
    if (stopped || !session) return;
    const minutes = idleLockMinutes(session);
    // "Never": look again later in case the setting changes.
    if (minutes === 0) return schedule(BUSY_RECHECK_MS);
    const remaining = lastActivity + minutes * MINUTE_MS - clock.now().getTime();
    if (remaining > 0) return schedule(remaining);
    if (hasActiveJobs(session)) return schedule(BUSY_RECHECK_MS);
    app.lock().then(
      () => options.onLocked?.(),
      (error: unknown) => options.onLocked?.(error),
    );
  }

  const unsubscribe = app.subscribe((event, payload) => {
    if (event !== 'session.changed') return;
    if (payload) {
      lastActivity = clock.now().getTime();
      check();
    } else {
      clear();
    }
  });
  if (app.session) check();

  return {
    activity() {
      lastActivity = clock.now().getTime();
      // A shorter setting may now be due sooner than the pending timer; re-plan from the new time.
      if (app.session && !stopped) check();
    },
    stop() {
      stopped = true;
      clear();
      unsubscribe();
    },
  };
}

function hasActiveJobs(session: ProfileSession): boolean {
  return session.jobs.list().some((job) => job.state === 'running' || job.state === 'queued');
}

/** The SecretStore entry holding a profile's remembered data key ("remember me" on this computer). */
export function rememberedKeyName(profileId: string): string {
  return `vault-key:${profileId}`;
}

/**
 * Forgets a profile's remembered key, so the next unlock needs the backup password. Returns whether
 * a key was remembered. Other profiles' entries are untouched ("remember me" is per profile).
 */
export async function forgetRememberedKey(store: SecretStore, profileId: string): Promise<boolean> {
  const name = rememberedKeyName(profileId);
  const had = (await store.get(name)) !== undefined;
  if (had) await store.delete(name);
  return had;
}
