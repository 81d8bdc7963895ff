/**
 * Everything one unlocked profile holds: its vault, history, accounts, secrets, jobs and audit log.
 * Built on unlock, torn down on lock, so no decrypted data outlives the session.
 */
import type { Vault } from '../vault/vault';
import { HistoryStore, type HistoryOpenOptions } from '../history/history-store';
import { JobRegistry, type JobsFile } from '../jobs/job-registry';
import type { JobRecord } from '../jobs/types';
import { AuditLog, type AuditFile } from '../audit/audit-log';
import type { AccountRecord, AccountsFile, SecretsFile } from '../accounts/types';
import type { ContactProvider } from '../providers/provider';
import type { Clock, Notifier, OpenBrowser, Paths } from '../ports';
import type { ProfileInfo } from '../vault/profiles';
import type { RetentionSettings } from '../history/retention';
import { openSideDatabase, type MovedAside } from '../vault/side-file';
import type { Vault as VaultType } from '../vault/vault';
import type { IdListStore, IdLists } from '../jobs/job-id-lists';
import { readSealedJson, writeSealedJson } from '../vault/sealed-file';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LicenceHost, SessionLicence } from './licence-state';
import { AccountStore, SecretStore, SettingsStore } from './session-stores';

/** Job id lists as sealed files under db/job-ids/, one per job (see jobs/job-id-lists.ts). */
function vaultIdListStore(vault: VaultType): IdListStore {
  const name = (jobId: string) => `job-ids/${jobId}`;
  return {
    async write(jobId, lists) {
      await mkdir(join(vault.folder, 'db', 'job-ids'), { recursive: true, mode: 0o700 });
      await writeSealedJson(vault.fileKey(), vault.pathOf(name(jobId)), name(jobId), lists);
    },
    read: (jobId) => readSealedJson<IdLists>(vault.fileKey(), vault.pathOf(name(jobId)), name(jobId)),
    remove: (jobId) => rm(vault.pathOf(name(jobId)), { force: true }),
    async list() {
      const files = await readdir(join(vault.folder, 'db', 'job-ids')).catch(() => [] as string[]);
      return files.filter((file) => file.endsWith('.cbs')).map((file) => file.slice(0, -4));
    },
  };
}

/** What each side file is, in the warning when a damaged one was moved aside. */
const SIDE_FILE_LABELS: Record<string, string> = {
  tasks: 'task list',
  audit: 'audit log',
  settings: 'settings',
};

/** Host services a session needs. */
export interface SessionPorts {
  readonly clock: Clock;
  readonly notifier: Notifier;
  readonly openBrowser: OpenBrowser;
  /** Pushes a job list change to every window and the CLI. */
  readonly onJobsChanged: (jobs: JobRecord[]) => void;
  /** The app's data folder (exports default to a folder under it). */
  readonly home: string;
  /** Where the host keeps the app's files (the sample address book among them). */
  readonly paths: Paths;
  readonly providerOverride?: ProviderOverride;
  /** The OS login item (Electron's setLoginItemSettings); absent where there is none. */
  readonly setStartAtLogin?: (on: boolean) => void;
  /** Every job that reached a final state: the app turns finished backups, deletes and restores into pushes. */
  readonly onJobFinished?: (job: JobRecord) => void;
}

/** Returns a provider for an account, or undefined to use the built-in one. */
export type ProviderOverride = (account: AccountRecord) => ContactProvider | undefined;

export interface SettingsFile {
  version: 1;
  notifications: { jobCreated: boolean; jobFailed: boolean; massDeletion: boolean; signInNeeded: boolean };
  massDeletion: { share: number; minimum: number };
  /** Lock after this many idle minutes; 0 never. Missing in settings written before it existed. */
  idleLockMinutes?: number;
  retention?: RetentionSettings;
  startAtLogin?: boolean;
}

export function defaultSettings(): SettingsFile {
  return {
    version: 1,
    notifications: { jobCreated: true, jobFailed: true, massDeletion: true, signInNeeded: true },
    massDeletion: { share: 0.2, minimum: 10 },
    idleLockMinutes: 15,
  };
}

/**
 * What a session keeps in memory only, for its own lifetime: gone at lock, never written. The
 * services' per-session state lives here rather than in module-level tables keyed by session, so
 * nothing of a locked profile (a ZIP password above all) stays behind in the process.
 */
export interface SessionMemory {
  /** Wrong backup passwords given to Delete in a row (each slows the next answer). */
  deleteFailures: number;
  /** The ZIP password of each export job that has not run yet, by job id (never in the job record). */
  readonly zipPasswords: Map<string, string>;
  /** The host the app registered for this session (licensing decides which key to trust). */
  licenceHost?: LicenceHost;
  /** The licence file and its verification, read once per session. */
  readonly licence: SessionLicence;
}

export class ProfileSession {
  readonly memory: SessionMemory = { deleteFailures: 0, zipPasswords: new Map(), licence: {} };
  private unsubscribeJobs?: () => void;
  /** Sentences about damage found while opening (side files moved aside); the CLI prints them. */
  readonly openWarnings: string[] = [];
  private schedules?: { refresh(): Promise<void>; stop(): void };

  private constructor(
    public profile: ProfileInfo,
    readonly vault: Vault,
    readonly history: HistoryStore,
    readonly accounts: AccountStore,
    readonly secrets: SecretStore,
    readonly settings: SettingsStore,
    readonly audit: AuditLog,
    readonly jobs: JobRegistry,
    readonly ports: SessionPorts,
  ) {}

  static async open(
    profile: ProfileInfo,
    vault: Vault,
    ports: SessionPorts,
    options: HistoryOpenOptions = {},
  ): Promise<ProfileSession> {
    const history = await HistoryStore.open(vault, options);
    const accounts = await vault.database<AccountsFile>('accounts', { version: 1, accounts: [] });
    const secrets = await vault.database<SecretsFile>('secrets', { version: 1, secrets: {} });
    const moved: MovedAside[] = [];
    const settings = await openSideDatabase<SettingsFile>(vault, 'settings', defaultSettings(), (item) =>
      moved.push(item),
    );
    const audit = new AuditLog(
      await openSideDatabase<AuditFile>(vault, 'audit', { version: 1, entries: [] }, (item) =>
        moved.push(item),
      ),
      profile.id,
      ports.clock,
    );
    const jobsFile = await openSideDatabase<JobsFile>(vault, 'tasks', { version: 1, jobs: [] }, (item) =>
      moved.push(item),
    );
    // The registry reports to the session, which needs the registry: bind through a holder.
    const holder: { session?: ProfileSession } = {};
    const jobs = new JobRegistry(jobsFile, ports.clock, {
      onCreated: (job) => holder.session?.jobCreated(job),
      onFinished: (job) => holder.session?.jobFinished(job),
      idLists: vaultIdListStore(vault),
    });
    await jobs.sweepIdLists();
    const session = new ProfileSession(
      profile,
      vault,
      history,
      new AccountStore(accounts),
      new SecretStore(secrets),
      new SettingsStore(settings),
      audit,
      jobs,
      ports,
    );
    holder.session = session;
    session.unsubscribeJobs = jobs.subscribe(ports.onJobsChanged);
    for (const item of moved) {
      const label = SIDE_FILE_LABELS[item.name] ?? item.name;
      const text = `The ${label} file was damaged (${item.reason}) and was moved aside to ${item.movedTo}; the profile opened without it. Your backups are not affected.`;
      ports.notifier.notify({ title: `The ${label} was reset`, body: text, kind: 'warning' });
      session.openWarnings.push(text);
      await audit.record('profile', text);
    }
    return session;
  }

  /** The user guide asks for a notification whenever a backup or restore job is created. */
  private jobCreated(job: JobRecord): void {
    if (
      !this.settings.get().notifications.jobCreated ||
      job.origin === 'schedule' ||
      job.origin === 'catch-up'
    )
      return;
    const noun = { backup: 'Backup', restore: 'Restore', export: 'Export', delete: 'Delete', check: 'Check' }[
      job.kind
    ];
    this.ports.notifier.notify({
      title: `${noun} job created`,
      body: job.title,
      kind: 'info',
      jobId: job.id,
    });
  }

  private jobFinished(job: JobRecord): void {
    this.ports.onJobFinished?.(job);
    if (job.state === 'failed' && this.settings.get().notifications.jobFailed) {
      // Failed because its account needs signing in again: signing in answers this toast too.
      const accountId = job.scope.accountId;
      const signIn = accountId && this.accounts.find(accountId)?.status === 'sign-in-needed';
      this.ports.notifier.notify({
        title: `${job.title} failed`,
        body: job.error?.message ?? 'The job failed.',
        kind: 'error',
        jobId: job.id,
        ...(signIn ? { signInOf: accountId } : {}),
      });
    }
  }

  /** Runs scheduled backups while the session is open (the app and the web host; not one-shot CLI commands). */
  attachScheduler(schedules: { refresh(): Promise<void>; stop(): void }): void {
    this.schedules = schedules;
  }

  /** Re-reads which users are scheduled and when (after Configure Backup, a schedule or account change). */
  async refreshSchedules(): Promise<void> {
    await this.schedules?.refresh();
  }

  async close(): Promise<void> {
    this.schedules?.stop();
    await this.jobs.stop();
    this.unsubscribeJobs?.();
    await this.history.close();
    // An export queued with a ZIP password and never run: its password goes with the session.
    this.memory.zipPasswords.clear();
    this.vault.lock();
  }
}
