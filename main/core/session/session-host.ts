/**
 * What the session services need of the app. app.ts's `AppCore` has all of it; the services take
 * this interface so that session/ never imports app.ts (app.ts builds the session, not the other
 * way round).
 */
import type { AppRegistrations } from '../accounts/app-registrations';
import type { EventName, Events, SessionView } from '../contract/contract-types';
import type { OpenBrowser, Paths } from '../ports';
import type { Profiles } from '../vault/profiles';
import type { ProfileSession } from './profile-session';

export interface SessionHost {
  readonly profiles: Profiles;
  readonly paths: Paths;
  readonly ports: {
    readonly host: 'electron' | 'web' | 'cli';
    readonly openBrowser?: OpenBrowser;
    readonly appRegistrations?: AppRegistrations;
  };
  readonly session: ProfileSession | undefined;
  /** The unlocked session, or a "locked" failure. */
  requireSession(): ProfileSession;
  sessionView(): SessionView | undefined;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  lock(): Promise<void>;
}
