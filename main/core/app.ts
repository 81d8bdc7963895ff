/**
 * The composition root: builds the core from the host's ports. The Electron shell, the CLI and the
 * web host each call `createApp` and talk to the result only through the API router (or, in the
 * CLI, through the same services).
 */
import { readFileSync } from 'node:fs';
import { Profiles, type ProfileInfo } from './vault/profiles';
import { VaultError } from './vault/errors';
import { lockProfile } from './vault/profile-lock';
import { registerLicenceHost } from './session/licence-state';
import { startIdleLock, type IdleLock } from './session/idle-lock';
import { ProfileSession } from './session/profile-session';
import { warmBrowse } from './session/browse-service';
import type { HistoryOpenOptions } from './history/history-store';
import type { JobHandler } from './jobs/job-registry';
import type { JobKind } from './jobs/types';
import { backupJob } from './session/backup-service';
import { restoreJob } from './session/restore-service';
import { exportJob } from './session/export-service';
import { deleteJob } from './session/delete-service';
import { checkJob } from './session/maintenance-service';
import {
  systemClock,
  memorySecretStore,
  type Clock,
  type Notifier,
  type OpenBrowser,
  type SecretStore,
} from './ports';
import type { EventName, Events, SessionView } from './api/contract-types';
import { ApiFailure } from './api/api-failure';
import type { ProviderOverride } from './session/profile-session';
import { startScheduler } from './session/schedule-service';
import { historyEventsOf } from './session/history-events';
import type { TimerPort } from './schedule/scheduler';

export interface AppPorts {
  readonly home: string;
  readonly host: 'electron' | 'web' | 'cli';
  readonly clock?: Clock;
  readonly secretStore?: SecretStore;
  readonly notifier?: Notifier;
  readonly openBrowser?: OpenBrowser;
  /** Run scheduled backups while a profile is unlocked (the desktop app and the web host). */
  readonly scheduler?: boolean | { readonly timers?: TimerPort };
  /** The native save dialog (Electron); undefined where there is none (web host, CLI). */
  readonly chooseSavePath?: (options: {
    defaultName: string;
    extension: string;
  }) => Promise<string | undefined>;
  /** The native open dialog (Electron) for a source file; undefined where there is none. */
  readonly chooseOpenPath?: (options: {
    title: string;
    filterName: string;
    extensions: string[];
  }) => Promise<string | undefined>;
  /** Turns starting at login on or off (Electron's login item). */
  readonly setStartAtLogin?: (on: boolean) => void;
  /** Supplies a provider for an account before the built-in factory (tests, future plug-ins). */
  readonly providerOverride?: ProviderOverride;
}

type Listener = (event: EventName, payload: unknown) => void;

/** Reads the version once from package.json (no build-time injection needed). */
function readVersion(): string {
  try {
    const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return packageJson.version;
  } catch {
    return '0.0.0';
  }
}

export class AppCore {
  readonly profiles: Profiles;
  readonly version = readVersion();
  readonly clock: Clock;
  readonly secretStore: SecretStore;
  private current?: ProfileSession;
  private releaseProfileLock?: () => Promise<void>;
  private stopWarmSearch?: () => void;
  /** Locks the profile after the idle time in its settings; activity (API calls) restarts it. */
  readonly idleLock: IdleLock;
  private readonly listeners = new Set<Listener>();
  private readonly notifier: Notifier;

  constructor(readonly ports: AppPorts) {
    this.profiles = new Profiles(ports.home);
    this.clock = ports.clock ?? systemClock;
    this.secretStore = ports.secretStore ?? memorySecretStore();
    this.idleLock = startIdleLock(this, { clock: this.clock });
    // Every notification reaches the host's notifier and every window (as a toast).
    this.notifier = {
      notify: (notification) => {
        ports.notifier?.notify(notification);
        this.emit('notification', notification);
      },
    };
  }

  /** Pushes reach every window and the CLI through here. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  get session(): ProfileSession | undefined {
    return this.current;
  }

  /** The unlocked session, or a clear "locked" error for the caller. */
  requireSession(): ProfileSession {
    if (!this.current)
      throw new ApiFailure('locked', 'The profile is locked. Unlock it with your backup password.');
    return this.current;
  }

  sessionView(): SessionView | undefined {
    return this.current
      ? { profileId: this.current.profile.id, profileName: this.current.profile.name }
      : undefined;
  }

  async createProfile(name: string, password: string): Promise<ProfileSession> {
    const { profile, vault } = await this.profiles.create(name, password);
    return this.start(profile, vault);
  }

  /**
   * Opens a profile. With `historyInBackground` (the app's own unlock screen) it returns before the
   * history is read: the first screen comes from its saved copy, and the router holds every other
   * request until `historyReady()`. Scripts and tests get a fully read history.
   */
  async unlock(
    profileIdOrName: string,
    password: string,
    options: { historyInBackground?: boolean } = {},
  ): Promise<ProfileSession> {
    const profile = await this.profiles.find(profileIdOrName);
    if (!profile) throw new ApiFailure('not-found', `There is no profile "${profileIdOrName}".`);
    const vault = await this.profiles.unlock(profile.id, password).catch((error: unknown) => {
      if (error instanceof VaultError && error.code === 'wrong-password') {
        throw new ApiFailure('wrong-password', 'That backup password is not correct.');
      }
      throw error;
    });
    return this.start(profile, vault, { background: options.historyInBackground });
  }

  /** Resolves once the open profile's history is read (at once when no profile is open). */
  historyReady(): Promise<void> {
    return this.current?.history.ready() ?? Promise.resolve();
  }

  private async start(
    profile: ProfileInfo,
    vault: Awaited<ReturnType<Profiles['unlock']>>,
    historyOptions: HistoryOpenOptions = {},
  ): Promise<ProfileSession> {
    await this.lock();
    const release = await lockProfile(vault.folder).catch((error: unknown) => {
      vault.lock();
      throw error;
    });
    this.releaseProfileLock = release;
    const session = await this.openSession(profile, vault, historyOptions).catch(async (error: unknown) => {
      await release();
      this.releaseProfileLock = undefined;
      vault.lock();
      throw error;
    });
    registerLicenceHost(session, this.ports.host);
    this.stopWarmSearch = warmBrowse(session);
    // Read in the background, a damaged history would otherwise surface only as failed requests.
    session.history.ready().catch((error: unknown) => {
      if (this.current !== session) return;
      this.notifier.notify({
        title: 'Part of the backup could not be read',
        body: `${error instanceof Error ? error.message : String(error)} The list shows what was saved, but search, restore and new backups of this profile will fail. Keep a copy of the profile folder before anything else.`,
        kind: 'error',
      });
    });
    // Every job reads the history: one queued right after unlock waits until it is read.
    const afterHistory =
      (run: JobHandler): JobHandler =>
      async (context, params) => {
        await session.history.ready();
        return run(context, params);
      };
    // A Record, so a job kind without a handler is a compile error.
    const jobs: Record<
      JobKind,
      (session: ProfileSession, ...args: Parameters<JobHandler>) => ReturnType<JobHandler>
    > = { backup: backupJob, restore: restoreJob, export: exportJob, delete: deleteJob, check: checkJob };
    for (const kind of Object.keys(jobs) as JobKind[]) {
      session.jobs.handle(
        kind,
        afterHistory((context, params) => jobs[kind](session, context, params)),
      );
    }
    if (this.ports.scheduler) {
      const options = typeof this.ports.scheduler === 'object' ? this.ports.scheduler : {};
      session.attachScheduler(await startScheduler(session, options.timers));
    }
    this.current = session;
    await session.audit.record('profile', `Profile "${profile.name}" unlocked (${this.ports.host}).`);
    this.emit('session.changed', this.sessionView() ?? null);
    return session;
  }

  private openSession(
    profile: ProfileInfo,
    vault: Awaited<ReturnType<Profiles['unlock']>>,
    historyOptions: HistoryOpenOptions,
  ): Promise<ProfileSession> {
    return ProfileSession.open(
      profile,
      vault,
      {
        clock: this.clock,
        notifier: this.notifier,
        openBrowser: this.ports.openBrowser ?? { open: async () => undefined },
        onJobsChanged: (jobs) => this.emit('tasks.changed', jobs),
        onJobFinished: (job) => {
          for (const [event, payload] of historyEventsOf(job)) this.emit(event, payload as never);
        },
        home: this.ports.home,
        providerOverride: this.ports.providerOverride,
        setStartAtLogin: this.ports.setStartAtLogin,
      },
      historyOptions,
    );
  }

  /** Locks the profile: running jobs are cancelled, keys forgotten. */
  async lock(): Promise<void> {
    const session = this.current;
    if (!session) return;
    this.current = undefined;
    this.stopWarmSearch?.();
    this.stopWarmSearch = undefined;
    await session.close();
    await this.releaseProfileLock?.();
    this.releaseProfileLock = undefined;
    this.emit('session.changed', null);
  }
}

export function createApp(ports: AppPorts): AppCore {
  return new AppCore(ports);
}
