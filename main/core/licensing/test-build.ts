/**
 * Whether this process is a test build, the only kind that may verify licences with a test public
 * key (CONTACTS_BACKUP_LICENCE_PUBLIC_KEY). Without this gate anyone could make a key pair, point
 * the variable at its public half and sign any licence they like.
 *
 * A test build is recognised by two things together:
 * - the code was not bundled for release: scripts/build.mjs defines `__CONTACTS_BACKUP_RELEASE__`
 *   as `true` in every bundle it makes (the Electron main process, which also runs the shipped web
 *   host), so a shipped app refuses the override whatever its environment says;
 * - `NODE_ENV` is `test`, which vitest sets and the test helpers pass on to the CLI processes they
 *   start. The CLI run from a source checkout (bin/contacts-backup.js through tsx) refuses the
 *   override unless a test runner started it that way.
 */

declare const __CONTACTS_BACKUP_RELEASE__: boolean | undefined;

/** True in a bundle made by scripts/build.mjs. */
export function isReleaseBundle(): boolean {
  return typeof __CONTACTS_BACKUP_RELEASE__ !== 'undefined' && __CONTACTS_BACKUP_RELEASE__ === true;
}

/** Whether test-only overrides (the licence public key) may apply in this process. */
export function isTestBuild(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return !isReleaseBundle() && env.NODE_ENV === 'test';
}
