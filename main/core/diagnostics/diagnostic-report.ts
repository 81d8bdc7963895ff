/**
 * The diagnostic report a user copies for support ("Copy diagnostic report" in Settings and the Help
 * menu, `contacts-backup diagnostics`): versions, platform, and the last lines of the log files,
 * redacted again on the way out. It holds no contact data, no secret and no profile name.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { arch, homedir, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { redactText } from './redact';

export interface ReportFacts {
  readonly version: string;
  readonly host: string;
  readonly logFolder: string;
  /** The file written now: listed first. */
  readonly currentLog?: string;
  readonly profileCount?: number;
  /** Versions of the runtime (process.versions: node, electron, chrome, v8). */
  readonly versions?: Readonly<Record<string, string | undefined>>;
  readonly now?: Date;
}

const LINES_PER_FILE = 200;
const FILES = 3;

async function recentLogs(folder: string, current?: string): Promise<{ path: string; lines: string[] }[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => /^(app|profile-[\w-]+)\.log$/.test(name));
  } catch {
    return [];
  }
  const files = await Promise.all(
    names.map(async (name) => ({
      path: join(folder, name),
      modified: (await stat(join(folder, name))).mtimeMs,
    })),
  );
  files.sort((a, b) => Number(b.path === current) - Number(a.path === current) || b.modified - a.modified);
  return Promise.all(
    files.slice(0, FILES).map(async ({ path }) => ({
      path,
      lines: (await readFile(path, 'utf8')).split('\n').filter(Boolean).slice(-LINES_PER_FILE),
    })),
  );
}

/** The report as plain text, ready for the clipboard or standard output. */
export async function diagnosticReport(facts: ReportFacts): Promise<string> {
  const versions = facts.versions ?? process.versions;
  const header = [
    'Contacts Backup diagnostic report',
    `Created: ${(facts.now ?? new Date()).toISOString()}`,
    `Version: ${facts.version} (${facts.host})`,
    `Platform: ${platform()} ${release()} ${arch()}, ${Math.round(totalmem() / 2 ** 30)} GiB memory`,
    `Runtime: ${['node', 'electron', 'chrome', 'v8']
      .filter((name) => versions[name])
      .map((name) => `${name} ${versions[name]}`)
      .join(', ')}`,
    ...(facts.profileCount === undefined ? [] : [`Profiles: ${facts.profileCount}`]),
    `Log folder: ${facts.logFolder}`,
    'Secrets and contact data are removed from this report.',
  ];
  const logs = await recentLogs(facts.logFolder, facts.currentLog);
  const sections = logs.length
    ? logs.map(({ path, lines }) => [`--- ${path} (last ${lines.length} lines) ---`, ...lines].join('\n'))
    : ['--- no log file yet ---'];
  // The home folder's path names the user: shown as ~.
  return (
    redactText([...header, '', ...sections].join('\n'))
      .split(homedir())
      .join('~') + '\n'
  );
}
