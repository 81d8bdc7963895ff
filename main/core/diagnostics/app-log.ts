/**
 * The app's log: pino writing JSON lines to a rotating file in the Paths port's logs folder, one
 * file for the app (`app.log`) and one per profile (`profile-ID.log`) while it is unlocked, so a
 * user can send what happened to their profile. Every argument passes through redaction first.
 */
import { pino, type Logger } from 'pino';
import { join } from 'node:path';
import { redactValue } from './redact';
import { RotatingFile, type RotatingFileOptions } from './rotating-file';

export type LogLevel = 'info' | 'warn' | 'error' | 'fatal';

/** The log the hosts and the core write to; `details` is redacted like the message. */
export interface AppLog {
  log(level: LogLevel, message: string, details?: Record<string, unknown>): void;
  /** Sends further lines to the profile's file (undefined: back to app.log). */
  useProfile(profileId: string | undefined): void;
  /** The file written now. */
  readonly file: string;
  readonly folder: string;
  close(): void;
}

/** The log file name for a profile (ids are safe file names: vault ids are hex). */
export function logFileName(profileId?: string): string {
  return profileId ? `profile-${profileId.replace(/[^A-Za-z0-9_-]/g, '_')}.log` : 'app.log';
}

export function createAppLog(folder: string, options: RotatingFileOptions = {}): AppLog {
  let target = new RotatingFile(join(folder, logFileName()), options);
  const logger: Logger = pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // Redact before pino serializes anything: a secret must never reach the file.
        logMethod(args, method) {
          method.apply(this, args.map((arg) => redactValue(arg)) as Parameters<typeof method>);
        },
      },
    },
    { write: (line: string) => target.write(line) },
  );
  return {
    log(level, message, details) {
      if (details) logger[level](details, message);
      else logger[level](message);
    },
    useProfile(profileId) {
      const path = join(folder, logFileName(profileId));
      if (path === target.path) return;
      target.close();
      target = new RotatingFile(path, options);
    },
    get file() {
      return target.path;
    },
    folder,
    close: () => target.close(),
  };
}

/** A log that writes nowhere, for hosts and tests that keep none. */
export const silentLog: AppLog = {
  log: () => undefined,
  useProfile: () => undefined,
  file: '',
  folder: '',
  close: () => undefined,
};
