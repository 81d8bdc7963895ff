import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppLog, logFileName } from '../../../main/core/diagnostics/app-log';
import { diagnosticReport } from '../../../main/core/diagnostics/diagnostic-report';
import { RotatingFile, rotatedPath } from '../../../main/core/diagnostics/rotating-file';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

describe('the log file', () => {
  it('writes redacted JSON lines, to the app file and then to the unlocked profile’s own file', async () => {
    const folder = await tempDir();
    const log = createAppLog(folder);
    log.log('info', 'Started');
    log.useProfile('ce34d875');
    log.log('error', 'Sign-in failed for carol@example.org', { password: 'hunter2', attempt: 2 });
    log.useProfile(undefined);
    log.log('info', 'Profile locked');
    log.close();
    const app = readFileSync(join(folder, 'app.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const profile = readFileSync(join(folder, logFileName('ce34d875')), 'utf8')
      .trim()
      .split('\n');
    expect(app.map((line) => line.msg)).toEqual(['Started', 'Profile locked']);
    expect(profile).toHaveLength(1);
    expect(JSON.parse(profile[0])).toMatchObject({
      level: 'error',
      msg: 'Sign-in failed for [email]',
      password: '[redacted]',
      attempt: 2,
    });
    expect(profile[0]).not.toMatch(/hunter2|carol/);
  });

  it('rotates by size and keeps a bounded number of old files', async () => {
    const folder = await tempDir();
    const file = new RotatingFile(join(folder, 'app.log'), { maxBytes: 100, keep: 2 });
    for (let line = 0; line < 20; line += 1) file.write(`${'x'.repeat(40)} ${line}\n`);
    file.close();
    const path = join(folder, 'app.log');
    expect(readFileSync(path, 'utf8')).toContain(' 19\n');
    expect(existsSync(rotatedPath(path, 1))).toBe(true);
    expect(existsSync(rotatedPath(path, 2))).toBe(true);
    expect(existsSync(rotatedPath(path, 3))).toBe(false);
    expect(readFileSync(path).length).toBeLessThanOrEqual(100 + 44);
  });

  it('reports versions and the recent lines of the current file first, redacted again', async () => {
    const folder = await tempDir();
    const log = createAppLog(folder);
    log.useProfile('p1');
    log.log('warn', 'Throttled');
    const report = await diagnosticReport({
      version: '1.2.3',
      host: 'web',
      logFolder: folder,
      currentLog: log.file,
      profileCount: 2,
    });
    log.close();
    expect(report).toMatch(/^Contacts Backup diagnostic report\n/);
    expect(report).toContain('Version: 1.2.3 (web)');
    expect(report).toContain('Profiles: 2');
    expect(report.indexOf('profile-p1.log')).toBeLessThan(report.indexOf('app.log'));
    expect(report).toContain('"msg":"Throttled"');
    expect(await diagnosticReport({ version: '1', host: 'cli', logFolder: join(folder, 'none') })).toContain(
      'no log file yet',
    );
  });
});
