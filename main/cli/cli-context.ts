/**
 * What every CLI command shares: the global options, the app core on the chosen data folder, the
 * unlocked profile, and output helpers (JSON for scripts, text for people).
 */
import { resolve } from 'node:path';
import { createApp, type AppCore } from '../core/app';
import { defaultHome } from '../core/default-home';
import type { ProfileSession } from '../core/session/profile-session';
import { ApiFailure } from '../core/contract/api-failure';
import { createRouter, toApiError, type Router, type Sender } from '../core/api/router';
import type { Channel, RequestOf, ResponseOf } from '../core/contract/channels';
import type { EventName, Events } from '../core/contract/contract-types';
import type { AppRegistrations } from '../core/accounts/app-registrations';
import { forgetRememberedKey } from '../core/session/idle-lock';
import { CliError } from './cli-error';
import { readPassword } from './password';
import { cliOpenBrowser } from './open-browser';
import { defaultProfile } from './default-profile';
import { packageRoot } from './package-root';
import { cliLog } from './cli-log';
import { layoutPaths } from '../core/app-paths';
import type { Paths } from '../core/ports';
import type { Vault } from '../core/vault/vault';
import type { ProfileInfo } from '../core/vault/profiles';
import { VaultError } from '../core/vault/errors';
import { lockProfile } from '../core/vault/profile-lock';

export interface GlobalOptions {
  readonly home?: string;
  readonly profile?: string;
  readonly passwordStdin?: boolean;
  /** False with --no-browser: print sign-in addresses without opening a browser. */
  readonly browser?: boolean;
}

export function homeOf(globals: GlobalOptions): string {
  return resolve(globals.home ?? defaultHome());
}

/** The CLI's Paths: the package root's assets and renderer build, the chosen data folder. */
export function pathsOf(globals: GlobalOptions): Paths {
  return layoutPaths(packageRoot(), homeOf(globals));
}

export function openApp(
  globals: GlobalOptions,
  options: { serve?: boolean; appRegistrations?: AppRegistrations } = {},
): AppCore {
  const paths = pathsOf(globals);
  return createApp({
    home: homeOf(globals),
    paths,
    log: cliLog(paths.logs),
    host: options.serve ? 'web' : 'cli',
    // One-shot commands never schedule; the long-running web host does, like the desktop app.
    scheduler: options.serve ?? false,
    notifier: { notify: () => undefined },
    openBrowser: cliOpenBrowser({ noBrowser: globals.browser === false }),
    ...(options.appRegistrations ? { appRegistrations: options.appRegistrations } : {}),
  });
}

/**
 * Opens only the vault of the chosen profile, holding its write lock: for `check`, which must run
 * when the history is too damaged to load. Release with `close()`.
 */
export async function openVaultOnly(
  app: AppCore,
  globals: GlobalOptions,
): Promise<{ vault: Vault; profile: ProfileInfo; close: () => Promise<void> }> {
  const profileId = await chosenProfileId(app, globals);
  const profile = (await app.profiles.find(profileId))!;
  const vault = await app.profiles.unlock(profileId, await readPassword(globals)).catch((error: unknown) => {
    throw error instanceof VaultError && error.code === 'wrong-password'
      ? new ApiFailure('wrong-password', 'That backup password is not correct.')
      : error;
  });
  const release = await lockProfile(vault.folder).catch((error: unknown) => {
    vault.lock();
    throw error;
  });
  return {
    vault,
    profile,
    close: async () => {
      vault.lock();
      await release();
    },
  };
}

/** Picks the profile (--profile, CONTACTS_BACKUP_PROFILE, or the only one) and unlocks it. */
export async function unlockProfile(app: AppCore, globals: GlobalOptions): Promise<ProfileSession> {
  const profileId = await chosenProfileId(app, globals);
  const password = await readPassword(globals);
  const session = await app.unlock(profileId, password);
  for (const warning of session.openWarnings) process.stderr.write(`Warning: ${warning}\n`);
  for (const segment of session.history.damaged) {
    process.stderr.write(
      `Warning: backup data file ${segment.segmentId} (backup of ${segment.finishedAt}) cannot be read: ${segment.message} Other backups work; run \`contacts-backup check\`.\n`,
    );
  }
  return session;
}

/** The profile a command works on: --profile, CONTACTS_BACKUP_PROFILE, the default, or the only one. */
async function chosenProfileId(app: AppCore, globals: GlobalOptions): Promise<string> {
  const profiles = await app.profiles.list();
  if (!profiles.length)
    throw new CliError(`No profile in ${app.ports.home}. Run \`contacts-backup init\` first.`);
  const wanted =
    globals.profile ?? process.env.CONTACTS_BACKUP_PROFILE ?? (await defaultProfile(app.profiles));
  let profileId: string;
  if (wanted) {
    const profile = await app.profiles.find(wanted);
    if (!profile) throw new CliError(`There is no profile "${wanted}".`);
    profileId = profile.id;
  } else if (profiles.length === 1) {
    profileId = profiles[0].id;
  } else {
    throw new CliError(`There are ${profiles.length} profiles; choose one with --profile NAME.`);
  }
  return profileId;
}

/**
 * The API as the CLI calls it: the same in-process router (and so the same channels, schemas and
 * handlers) the renderer uses, and the same events, so a capability exists for both or for neither
 * (issue 13 item 2). A `{ ok: false }` answer is thrown as the ApiFailure it came from, which
 * describeFailure turns into the CLI's line and exit code.
 */
export interface CliApi {
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** The events the app pushes to its windows (`tasks.changed` for job progress). */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** The CLI is its own trusted sender: the person at the terminal opened the profile with its password. */
const cliSender: Sender = { trusted: true, description: 'cli' };

/** A CliApi over one router built on `app`. */
export function cliApi(
  app: AppCore,
  router: Router = createRouter(app, (line) => app.log.log('error', line)),
): CliApi {
  return {
    async call(channel, request) {
      const result = await router.call(channel, request, cliSender);
      if (!result.ok) throw new ApiFailure(result.error.code, result.error.message, result.error.retryable);
      return result.value as never;
    },
    on(event, listener) {
      return app.subscribe((name, payload) => {
        if (name === event) listener(payload as never);
      });
    },
  };
}

/** What a command may add to the app it runs on (CLI-only host configuration). */
export interface AppOptions {
  /**
   * The OAuth registration and endpoints a sign-in uses, as the desktop app takes them from
   * config/app-registrations.json: `account add google|microsoft` build it from their options.
   */
  readonly appRegistrations?: AppRegistrations;
}

/**
 * Runs a command body with an unlocked profile and always locks afterwards. The body gets only the
 * API: everything a command does goes through the channels the app's windows call.
 */
export async function withSession<T>(
  globals: GlobalOptions,
  body: (api: CliApi) => Promise<T>,
  options: AppOptions = {},
): Promise<T> {
  const app = openApp(globals, options);
  await unlockProfile(app, globals);
  try {
    return await body(cliApi(app));
  } finally {
    await app.lock();
  }
}

/**
 * Runs a command body on the API without unlocking a profile (creating one, listing them, the
 * diagnostic report); locks whatever the body opened afterwards.
 */
export async function withApi<T>(globals: GlobalOptions, body: (api: CliApi) => Promise<T>): Promise<T> {
  const app = openApp(globals);
  try {
    return await body(cliApi(app));
  } finally {
    await app.lock();
  }
}

/**
 * Forgets a profile's remembered key ("remember me"), so the next unlock needs its password: the
 * CLI's `profile lock` and `profile reset-password` (the CLI keeps no session open to lock).
 */
export async function forgetRememberedKeyOf(globals: GlobalOptions, profileId: string): Promise<boolean> {
  return forgetRememberedKey(openApp(globals).secretStore, profileId);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as aligned columns. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) =>
    Math.min(48, Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const text = cell ?? '';
        return text.length > widths[column]
          ? `${text.slice(0, widths[column] - 1)}…`
          : text.padEnd(widths[column]);
      })
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(headers)}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

/** One line for the user: expected failures keep their sentence. */
export function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof ApiFailure)
    return {
      message: error.message,
      // 'internal' comes from the router, which logged the exception (cli-log) and kept its text out.
      exitCode: error.code === 'wrong-password' ? 3 : error.code === 'internal' ? 70 : 1,
    };
  const apiError = toApiError(error);
  if (apiError.code === 'internal') {
    return { message: `Unexpected error: ${(error as Error)?.message ?? String(error)}`, exitCode: 70 };
  }
  return { message: apiError.message, exitCode: apiError.code === 'wrong-password' ? 3 : 1 };
}

/** Parses a --at value: an ISO time, or a date (end of that day, local time). */
export function parseTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = new Date(dateOnly ? `${value}T23:59:59.999` : value);
  if (Number.isNaN(parsed.getTime()))
    throw new CliError(`"${value}" is not a date or time (use ISO 8601, e.g. 2026-11-25T10:00:00Z).`);
  return parsed.toISOString();
}
