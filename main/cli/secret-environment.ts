/**
 * Secrets that reach the CLI through its environment (CONTACTS_BACKUP_PASSWORD,
 * CONTACTS_BACKUP_CLIENT_SECRET) are taken out of `process.env` as the CLI starts, so nothing the CLI
 * later starts (the browser for sign-in, any helper) inherits them, and no library that dumps the
 * environment can see them. Child processes get {@link childEnvironment}, which also drops any other
 * variable whose name looks like a secret.
 */

/** The variables the CLI reads secrets from. */
export const SECRET_VARIABLES = ['CONTACTS_BACKUP_PASSWORD', 'CONTACTS_BACKUP_CLIENT_SECRET'] as const;

export type SecretVariable = (typeof SECRET_VARIABLES)[number];

const taken = new Map<SecretVariable, string>();

/** Moves the secret variables out of `env` (process.env by default) into memory; safe to call twice. */
export function takeSecretsFromEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value !== undefined) {
      if (value !== '') taken.set(name, value);
      delete env[name];
    }
  }
}

/** A secret given in the environment at start, or undefined. */
export function environmentSecret(name: SecretVariable): string | undefined {
  return taken.get(name);
}

/** Names that look like a secret, whoever set them (ours, or a CI system's tokens). */
const SECRET_NAME = /PASS(WORD|WD|PHRASE)|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH/i;

/**
 * The environment for a child process: the parent's without anything of ours (CONTACTS_BACKUP_*) and
 * without variables whose names look like secrets. PATH, HOME, DISPLAY, locale and desktop-session
 * variables stay, so a browser still opens on the user's desktop.
 */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name.startsWith('CONTACTS_BACKUP_') || SECRET_NAME.test(name)) continue;
    result[name] = value;
  }
  return result;
}
