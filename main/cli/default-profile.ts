/**
 * The CLI's default profile on a shared desktop: `profile switch NAME` writes it, and the CLI uses it
 * when neither --profile nor CONTACTS_BACKUP_PROFILE names one. It is a small plain file under the data
 * folder holding only a profile id, which profiles.json already lists in clear: nothing secret.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profiles, ProfileInfo } from '../core/vault/profiles';
import { writeFileAtomic } from '../core/vault/sealed-file';
import { CliError } from './cli-error';

export const DEFAULT_PROFILE_FILE = 'cli-default-profile.json';

interface DefaultProfileFile {
  readonly version: 1;
  readonly profileId: string;
}

function pathOf(home: string): string {
  return join(home, DEFAULT_PROFILE_FILE);
}

/**
 * The id of the CLI's default profile, or undefined when none was chosen or the chosen one no longer
 * exists (a removed profile must not make every command fail).
 */
export async function defaultProfile(profiles: Profiles): Promise<string | undefined> {
  let parsed: Partial<DefaultProfileFile>;
  try {
    parsed = JSON.parse(await readFile(pathOf(profiles.home), 'utf8')) as Partial<DefaultProfileFile>;
  } catch {
    return undefined;
  }
  if (typeof parsed.profileId !== 'string') return undefined;
  const listed = await profiles.list();
  return listed.some((profile) => profile.id === parsed.profileId) ? parsed.profileId : undefined;
}

/** Makes a profile (by id or name) the CLI's default; returns it. */
export async function setDefaultProfile(profiles: Profiles, idOrName: string): Promise<ProfileInfo> {
  const profile = await profiles.find(idOrName);
  if (!profile) throw new CliError(`There is no profile "${idOrName}" (see \`profile list\`).`);
  const file: DefaultProfileFile = { version: 1, profileId: profile.id };
  await writeFileAtomic(pathOf(profiles.home), Buffer.from(`${JSON.stringify(file, null, 2)}\n`));
  return profile;
}

/**
 * The profile a command without a session means: the given id or name, else CONTACTS_BACKUP_PROFILE,
 * else the default profile, else the only profile.
 */
export async function chooseProfile(profiles: Profiles, wanted: string | undefined): Promise<ProfileInfo> {
  const name = wanted ?? process.env.CONTACTS_BACKUP_PROFILE;
  if (name) {
    const profile = await profiles.find(name);
    if (!profile) throw new CliError(`There is no profile "${name}" (see \`profile list\`).`);
    return profile;
  }
  const listed = await profiles.list();
  const fallback = await defaultProfile(profiles);
  const chosen =
    listed.find((profile) => profile.id === fallback) ?? (listed.length === 1 ? listed[0] : undefined);
  if (chosen) return chosen;
  if (!listed.length)
    throw new CliError(`No profile in ${profiles.home}. Run \`contacts-backup init\` first.`);
  throw new CliError(`There are ${listed.length} profiles; choose one with --profile NAME.`);
}
