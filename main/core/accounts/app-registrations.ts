/**
 * The app's own OAuth registrations (issue 14, item 1): a Google desktop OAuth client and a
 * Microsoft public-client id that ship with a release, so a user only clicks "Sign in".
 *
 * They are release-time configuration, never source code: `config/app-registrations.json` (see
 * config/README.md) or the build environment (CONTACTS_BACKUP_GOOGLE_CLIENT_ID,
 * CONTACTS_BACKUP_GOOGLE_CLIENT_SECRET, CONTACTS_BACKUP_MICROSOFT_CLIENT_ID). scripts/build.mjs
 * injects them into the desktop and CLI bundles as the define `__CONTACTS_BACKUP_APP_REGISTRATIONS__`;
 * the same file and variables are also read when the app starts, filling what the build left out. A
 * build with none says so in the UI and offers the user's own ids instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Google's registration; endpoints only for private deployments and the test fakes. */
export interface GoogleAppRegistration {
  readonly clientId: string;
  /** Desktop clients have a "secret" Google still asks for at the token endpoint (not secret). */
  readonly clientSecret?: string;
  readonly rootUrl?: string;
  readonly oauth?: { readonly authUrl: string; readonly tokenUrl: string; readonly revokeUrl?: string };
}

/** Microsoft's public-client registration; endpoints only for national clouds and the test fakes. */
export interface MicrosoftAppRegistration {
  readonly clientId: string;
  readonly identityBaseUrl?: string;
  /** A full authority instead of `${identityBaseUrl}/common` (or `/<tenant>`). */
  readonly authority?: string;
  readonly graphBaseUrl?: string;
  readonly knownAuthorities?: readonly string[];
  readonly extraCaPem?: string;
}

export interface AppRegistrations {
  readonly google?: GoogleAppRegistration;
  readonly microsoft?: MicrosoftAppRegistration;
}

/** Replaced by scripts/build.mjs in the desktop bundle (JSON text), absent when run through tsx. */
declare const __CONTACTS_BACKUP_APP_REGISTRATIONS__: string | undefined;

function injected(): string | undefined {
  try {
    return typeof __CONTACTS_BACKUP_APP_REGISTRATIONS__ === 'string'
      ? __CONTACTS_BACKUP_APP_REGISTRATIONS__
      : undefined;
  } catch {
    return undefined;
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** Keeps only well-formed entries; a half-filled file must not produce a Sign-in button that fails. */
export function parseAppRegistrations(value: unknown): AppRegistrations {
  const raw = (value && typeof value === 'object' ? value : {}) as Record<string, Record<string, unknown>>;
  const googleId = nonEmpty(raw.google?.clientId);
  const microsoftId = nonEmpty(raw.microsoft?.clientId);
  return {
    google: googleId
      ? {
          ...(raw.google as object),
          clientId: googleId,
          clientSecret: nonEmpty(raw.google?.clientSecret),
        }
      : undefined,
    microsoft: microsoftId ? { ...(raw.microsoft as object), clientId: microsoftId } : undefined,
  };
}

/** Registrations from the environment variables (one release pipeline may prefer them to a file). */
export function registrationsFromEnv(env: NodeJS.ProcessEnv): AppRegistrations {
  return parseAppRegistrations({
    google: {
      clientId: env.CONTACTS_BACKUP_GOOGLE_CLIENT_ID,
      clientSecret: env.CONTACTS_BACKUP_GOOGLE_CLIENT_SECRET,
    },
    microsoft: { clientId: env.CONTACTS_BACKUP_MICROSOFT_CLIENT_ID },
  });
}

/** The file first, then the environment fills what the file leaves out. */
export function mergeRegistrations(first: AppRegistrations, second: AppRegistrations): AppRegistrations {
  return { google: first.google ?? second.google, microsoft: first.microsoft ?? second.microsoft };
}

/**
 * What this build or run ships with; `{}` when nothing is configured. The build's registrations come
 * first, then `config/app-registrations.json` under the package root, then the environment, each
 * filling what the one before leaves out (a bundle built without any still takes them at start).
 */
export function loadAppRegistrations(env: NodeJS.ProcessEnv = process.env, root?: string): AppRegistrations {
  const fromBuild = injected();
  let merged: AppRegistrations = fromBuild ? parseAppRegistrations(JSON.parse(fromBuild)) : {};
  try {
    const url = root
      ? pathToFileURL(join(root, 'config', 'app-registrations.json'))
      : new URL('../../../config/app-registrations.json', import.meta.url);
    merged = mergeRegistrations(merged, parseAppRegistrations(JSON.parse(readFileSync(url, 'utf8'))));
  } catch {
    // No file: the environment or nothing.
  }
  return mergeRegistrations(merged, registrationsFromEnv(env));
}
