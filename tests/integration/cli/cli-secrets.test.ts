/**
 * Secrets stay off command lines and out of child processes (issue 18, item 7). The CLI runs as a
 * real child process and opens a "browser" for Google sign-in: a stand-in `xdg-open` on PATH that
 * records its own /proc environ and command line and those of the CLI that started it, then completes
 * the sign-in at the Google fake like a browser.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/fake-google';
import { BIN } from '../../support/run-cli';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

afterAll(removeTempDirs);

const PASSWORD = 'pass word in the environment 7';
const CLIENT_SECRET = 'client-secret-do-not-leak-42';
const EMAIL = 'ada@example.com';

interface Recorded {
  readonly browserEnviron: string;
  readonly browserCmdline: string;
  readonly cliEnviron: string;
  readonly cliCmdline: string;
}

/** The stand-in browser: records /proc of itself and of its parent (the CLI), then follows the URL. */
async function fakeBrowserFolder(out: string): Promise<string> {
  const folder = await tempDir('cb-fake-browser-');
  const script = `#!${process.execPath}
const { readFileSync, writeFileSync } = require('node:fs');
const read = (path) => readFileSync(path, 'latin1').split('\\0').join('\\n');
writeFileSync(${JSON.stringify(out)}, JSON.stringify({
  browserEnviron: read('/proc/self/environ'),
  browserCmdline: read('/proc/self/cmdline'),
  cliEnviron: read('/proc/' + process.ppid + '/environ'),
  cliCmdline: read('/proc/' + process.ppid + '/cmdline'),
}));
fetch(process.argv[2], { redirect: 'follow' }).then((response) => response.text());
`;
  const path = join(folder, 'xdg-open');
  await writeFile(path, script);
  await chmod(path, 0o755);
  return folder;
}

function cli(
  home: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input = '',
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--home', home, ...args], {
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(input);
  });
}

/** The parent's environment without anything of ours, plus `extra`. */
function baseEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('CONTACTS_BACKUP_') && value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}

describe('secrets in the CLI', () => {
  let fake: FakeGoogle;
  beforeEach(async () => {
    fake = await startFakeGoogle();
    fake.addUser(EMAIL, { name: 'Ada Lovelace' });
    fake.setBrowserUser(EMAIL);
  });
  afterEach(async () => fake.close());

  function googleArgs(): string[] {
    const { endpoints } = fake;
    return [
      'account',
      'add',
      'google',
      '--client-id',
      'secrets.apps.googleusercontent.com',
      '--root-url',
      endpoints.rootUrl,
      '--auth-url',
      endpoints.authUrl,
      '--token-url',
      endpoints.tokenUrl,
    ];
  }

  it('the browser opened for sign-in gets neither the password nor the client secret', async () => {
    const home = await tempDir();
    const out = join(home, 'recorded.json');
    const browser = await fakeBrowserFolder(out);
    const env = baseEnvironment({
      PATH: `${browser}:${process.env.PATH ?? ''}`,
      CONTACTS_BACKUP_PASSWORD: PASSWORD,
      CONTACTS_BACKUP_CLIENT_SECRET: CLIENT_SECRET,
      SOME_CI_TOKEN: 'ci-token-value',
    });
    expect((await cli(home, ['init'], env)).code).toBe(0);
    const added = await cli(home, googleArgs(), env);
    expect(added.code, added.stderr).toBe(0);
    const recorded = JSON.parse(await readFile(out, 'utf8')) as Recorded;
    expect(recorded.browserEnviron).toContain('PATH=');
    for (const secret of [PASSWORD, CLIENT_SECRET, 'ci-token-value']) {
      expect(recorded.browserEnviron).not.toContain(secret);
      expect(recorded.browserCmdline).not.toContain(secret);
      expect(recorded.cliCmdline).not.toContain(secret);
    }
    expect(recorded.browserEnviron).not.toMatch(/^CONTACTS_BACKUP_/m);
  });

  it('with --password-stdin and --client-secret-stdin no secret is in the CLI’s environ or command line', async () => {
    const home = await tempDir();
    const out = join(home, 'recorded.json');
    const browser = await fakeBrowserFolder(out);
    const env = baseEnvironment({ PATH: `${browser}:${process.env.PATH ?? ''}` });
    expect((await cli(home, ['--password-stdin', 'init'], env, `${PASSWORD}\n`)).code).toBe(0);
    const added = await cli(
      home,
      ['--password-stdin', ...googleArgs(), '--client-secret-stdin'],
      env,
      `${PASSWORD}\n${CLIENT_SECRET}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    const recorded = JSON.parse(await readFile(out, 'utf8')) as Recorded;
    for (const text of Object.values(recorded)) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  it('reads a client secret from a file, and refuses one given as an argument', async () => {
    const home = await tempDir();
    const env = baseEnvironment({ CONTACTS_BACKUP_PASSWORD: PASSWORD });
    expect((await cli(home, ['init'], env)).code).toBe(0);
    const refused = await cli(home, [...googleArgs(), '--client-secret', CLIENT_SECRET, '--no-browser'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('never taken on the command line');
    const empty = join(home, 'empty-secret');
    await writeFile(empty, '\n');
    const fromEmpty = await cli(home, [...googleArgs(), '--client-secret-file', empty, '--no-browser'], env);
    expect(fromEmpty.stderr).toContain('is empty');
    await mkdir(join(home, 'x'), { recursive: true });
    const missing = await cli(
      home,
      [...googleArgs(), '--client-secret-file', join(home, 'x', 'none'), '--no-browser'],
      env,
    );
    expect(missing.stderr).toContain('Cannot read the client secret file');
  });
});
