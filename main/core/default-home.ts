/**
 * Where the data folder is when nothing says otherwise: CONTACTS_BACKUP_HOME, else the platform's
 * per-user application data folder (the same place Electron's userData points to).
 */
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CONTACTS_BACKUP_HOME) return env.CONTACTS_BACKUP_HOME;
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Contacts Backup');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Contacts Backup');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'contacts-backup');
  }
}
