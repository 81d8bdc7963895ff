/**
 * The CLI's log file: the same rotating, redacted log as the desktop app, in the data folder's
 * logs/ (one per process, made when a command first opens the app). Unexpected errors and crashes
 * are written there, so `contacts-backup diagnostics` can report them.
 */
import { createAppLog, type AppLog } from '../core/diagnostics/app-log';

let current: AppLog | undefined;

/** The log for `folder`, made once per process. */
export function cliLog(folder: string): AppLog {
  if (current?.folder !== folder) {
    current?.close();
    current = createAppLog(folder);
  }
  return current;
}

/** The log opened by this process, if a command opened one. */
export function openedCliLog(): AppLog | undefined {
  return current;
}
