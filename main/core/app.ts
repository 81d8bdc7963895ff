/**
 * The composition root: builds the core from the host's ports. The Electron shell, the CLI and the
 * web host each call `createApp` and talk to the result only through the API router (or, in the
 * CLI, through the same services).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Profiles, type ProfileInfo } from './vault/profiles';
import { VaultError } from './vault/errors';
import { Vault } from './vault/vault';
import { assertStrongPassword } from './vault/password-strength';
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
import { exportJob, removeExportLeftovers } from './session/export-service';
import { deleteJob } from './session/delete-service';
import { checkJob } from './session/maintenance-service';
import {
  systemClock,
  memorySecretStore,
  type Clock,
  type Notifier,
  type OpenBrowser,
  type Paths,
  type SecretStore,
} from './ports';
import { layoutPaths } from './app-paths';
import { silentLog, type AppLog } from './diagnostics/app-log';
import { diagnosticReport } from './diagnostics/diagnostic-report';
import type { JobRecord } from './jobs/types';
import type { EventName, Events, SessionView } from './contract/contract-types';
import { ApiFailure } from './contract/api-failure';
import type { ProviderOverride } from './session/profile-session';
import type { SessionHost } from './session/session-host';
import { startScheduler } from './session/schedule-service';
import { historyEventsOf } from './session/history-events';
import type { TimerPort } from './schedule/scheduler';
import type { AppRegistrations } from './accounts/app-registrations';

export interface AppPorts {
  readonly home: string;
  /**
   * Where the app's own files are (assets, the sample, the renderer build). Every host passes it;
   * without it the package root is taken to be the working directory, which holds only for tests
   * and scripts run from the repository.
   */
  readonly paths?: Paths;
  /** The host's log file (diagnostics/app-log.ts); none when not given (tests). */
  readonly log?: AppLog;
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
  /** The app's own OAuth registrations; default: config/app-registrations.json and the build env. */
  readonly appRegistrations?: AppRegistrations;
}

type Listener = (event: EventName, payload: unknown) => void;

/** Reads the version from the package root's package.json (the root the Paths port names). */
export function readPackageVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export class AppCore implements SessionHost {
  readonly profiles: Profiles;
  readonly version: string;
  readonly paths: Paths;
  readonly log: AppLog;
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
    this.paths = ports.paths ?? layoutPaths(process.cwd(), ports.home);
    this.version = readPackageVersion(dirname(this.paths.assets));
    this.log = ports.log ?? silentLog;
    this.logFinishedJobs();
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

  /** One log line per job that ends (kind, state, counts, error code): what support asks first. */
  private logFinishedJobs(): void {
    // Only jobs seen queued or running by this process: the list also holds jobs of earlier runs.
    const active = new Set<string>();
    this.subscribe((event, payload) => {
      if (event !== 'tasks.changed') return;
      for (const job of payload as JobRecord[]) {
        if (job.state === 'queued' || job.state === 'running') {
          active.add(job.id);
          continue;
        }
        if (!active.delete(job.id)) continue;
        this.log.log(job.state === 'failed' ? 'error' : 'info', `Job ${job.kind} ${job.state}`, {
          jobId: job.id,
          counts: job.counts,
          error: job.error,
        });
      }
    });
  }

  /** The text "Copy diagnostic report" puts on the clipboard: versions and the recent log lines. */
  async diagnosticReport(): Promise<string> {
    return diagnosticReport({
      version: this.version,
      host: this.ports.host,
      logFolder: this.paths.logs,
      currentLog: this.log.file || undefined,
      profileCount: (await this.profiles.list()).length,
    });
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
    await assertStrongPassword(password);
    const { profile, vault } = await this.profiles.create(name, password);
    return this.start(profile, vault);
  }

  /**
   * Makes a new recovery key for the open profile (replacing any earlier one) after the backup
   * password is confirmed again: whoever holds the key can set a new password.
   */
  async createRecoveryKey(password: string): Promise<string> {
    const session = this.requireSession();
    if (!(await session.vault.verifyPassword(password))) {
      throw new ApiFailure('wrong-password', 'That backup password is not correct.');
    }
    const key = await session.vault.createRecoveryKey();
    await session.audit.record('profile', 'A new recovery key was made (any earlier one no longer works).');
    return key;
  }

  /** Opens a profile with its recovery key and sets a new backup password (a forgotten password). */
  async unlockWithRecoveryKey(
    profileIdOrName: string,
    recoveryKey: string,
    newPassword: string,
    options: { historyInBackground?: boolean } = {},
  ): Promise<ProfileSession> {
    const profile = await this.profiles.find(profileIdOrName);
    if (!profile) throw new ApiFailure('not-found', `There is no profile "${profileIdOrName}".`);
    await assertStrongPassword(newPassword);
    const vault = await Vault.unlockWithRecoveryKey(
      this.profiles.folderOf(profile.id),
      recoveryKey,
      newPassword,
    );
    const session = await this.start(profile, vault, { background: options.historyInBackground });
    await session.audit.record('profile', 'Unlocked with the recovery key; a new backup password was set.');
    return session;
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
    const warn = (message: string) => this.log.log('warn', message);
    const session = await this.openSession(profile, vault, { warn, ...historyOptions }).catch(
      async (error: unknown) => {
        await release();
        this.releaseProfileLock = undefined;
        vault.lock();
        throw error;
      },
    );
    registerLicenceHost(session, this.ports.host);
    // Private .partial files of exports killed mid-way (issue 18 item 4); best effort, in the background.
    void removeExportLeftovers(session).catch(() => undefined);
    // Warming the list and search text serves a screen; a CLI command would only pay for it.
    if (this.ports.host !== 'cli') this.stopWarmSearch = warmBrowse(session);
    // Damaged segments are left out of the history: say so once, naming what still works.
    session.history
      .ready()
      .then(() => {
        const damaged = session.history.damaged;
        if (!damaged.length || this.current !== session) return;
        this.notifier.notify({
          title: 'Part of the backup could not be read',
          body: `${damaged.length} backup data file${damaged.length === 1 ? '' : 's'} could not be read (${damaged[0].message}). Backups of the users concerned are paused; every other backup can be browsed and restored. Run a check for details.`,
          kind: 'error',
        });
      })
      .catch(() => undefined);
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
    this.log.useProfile(profile.id);
    this.log.log('info', `Profile unlocked (${this.ports.host})`, { profileId: profile.id });
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
        paths: this.paths,
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
    this.log.log('info', 'Profile locked', { profileId: session.profile.id });
    this.log.useProfile(undefined);
    this.emit('session.changed', null);
  }
}

export function createApp(ports: AppPorts): AppCore {
  return new AppCore(ports);
}
