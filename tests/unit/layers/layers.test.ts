/**
 * Issue 13 item 5: the folder READMEs' "may import" rules are lint rules, and folders import each
 * other in one direction only. These tests prove `npm run lint` fails on a cross-layer import
 * (ESLint's Node API on code placed, in memory, in a folder) and on a folder cycle (the cycle check
 * on a small tree written to a temporary folder).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/repo-paths';
import { removeTempDirs, tempDir } from '../../support/temp-dir';

const run = promisify(execFile);
const CYCLE_CHECK = join(REPO_ROOT, 'scripts', 'check-layer-cycles.mjs');

afterAll(removeTempDirs);

const eslint = new ESLint({ cwd: REPO_ROOT });

/** The no-restricted-imports messages ESLint gives `code` as if it were the file at `path`. */
async function importErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, {
    filePath: join(REPO_ROOT, path),
  });
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('folder import rules (eslint.config.js)', () => {
  it.each([
    ['main/core/contacts/probe.ts', "import { Vault } from '../vault/vault';", 'contacts/README.md'],
    ['main/core/contacts/probe.ts', "import { z } from 'zod';", 'contacts/README.md'],
    ['main/core/vault/probe.ts', "import type { Contact } from '../contacts/model';", 'vault/README.md'],
    [
      'main/core/history/probe.ts',
      "import { backupJob } from '../session/backup-service';",
      'history/README.md',
    ],
    ['main/core/jobs/probe.ts', "import type { Contact } from '../contacts/model';", 'jobs/README.md'],
    ['main/core/restore/probe.ts', "import { createRouter } from '../api/router';", 'restore/README.md'],
    ['main/core/schedule/probe.ts', "import { Vault } from '../vault/vault';", 'schedule/README.md'],
    ['main/core/licensing/probe.ts', "import { Vault } from '../vault/vault';", 'licensing/README.md'],
    ['main/core/contract/probe.ts', "import { Vault } from '../vault/vault';", 'contract/README.md'],
    ['main/core/session/probe.ts', "import type { AppCore } from '../app';", 'session/README.md'],
    ['main/core/session/probe.ts', "import { createRouter } from '../api/router';", 'session/README.md'],
    ['main/core/providers/google/probe.ts', "import { Vault } from '../../vault/vault';", 'google/README.md'],
    ['main/core/providers/google/probe.ts', "import { Client } from '@azure/msal-node';", 'google/README.md'],
    [
      'main/core/providers/microsoft/probe.ts',
      "import { people } from '@googleapis/people';",
      'microsoft/README.md',
    ],
    [
      'main/core/providers/carddav/probe.ts',
      "import { Vault } from '../../vault/vault';",
      'carddav/README.md',
    ],
    ['main/core/accounts/probe.ts', "import { GoogleSync } from '../providers/google/sync';", 'index.ts'],
    ['main/core/api/probe.ts', "import { app } from 'electron';", 'never imports electron'],
    ['main/core/app.ts', "import { startWebHost } from '../web/web-host';", 'never imports a host'],
    ['main/web/probe.ts', "import { run } from '../cli/run-job';", 'main/web/README.md'],
    ['main/cli/probe.ts', "import { app } from 'electron';", 'main/cli/README.md'],
    [
      'main/cli/commands/probe.ts',
      "import { enqueueBackup } from '../../core/session/backup-service';",
      'calls the API',
    ],
    ['main/cli/commands/probe.ts', "import { handlers } from '../../core/api/handlers';", 'calls the API'],
    ['main/cli/commands/probe.ts', "import { app } from 'electron';", 'main/cli/README.md'],
    ['main/electron/probe.ts', "import { run } from '../cli/run-job';", 'main/electron/README.md'],
    ['main/electron/probe.ts', "import { ipcMain } from 'electron';", 'Raw IPC'],
    ['preload/probe.ts', "import { createApp } from '../main/core/app';", 'preload/README.md'],
    ['renderer/src/probe.ts', "import { createApp } from '../../main/core/app';", 'renderer/README.md'],
  ])('%s: %s is an error', async (path, code, expected) => {
    const errors = await importErrors(path, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it.each([
    ['main/core/contacts/probe.ts', "import { createHash } from 'node:crypto';"],
    [
      'main/core/history/probe.ts',
      "import { Vault } from '../vault/vault';\nimport type { Contact } from '../contacts/model';",
    ],
    ['main/core/restore/probe.ts', "import { HistoryIndex } from '../history/history-index';"],
    ['main/core/session/probe.ts', "import type { ApiFailure } from '../contract/api-failure';"],
    ['main/core/api/probe.ts', "import type { AppCore } from '../app';"],
    ['main/core/providers/google/probe.ts', "import type { ContactProvider } from '../provider';"],
    ['main/core/accounts/probe.ts', "import { createGoogleProvider } from '../providers/google';"],
    ['main/cli/probe.ts', "import { startWebHost } from '../web/web-host';"],
    // cli-context.ts opens and unlocks the profile (session code); the commands call its API.
    ['main/cli/probe.ts', "import type { ProfileSession } from '../core/session/profile-session';"],
    ['main/cli/commands/probe.ts', "import { withSession } from '../cli-context';"],
    ['main/electron/probe.ts', "import { app } from 'electron';\nimport { createApp } from '../core/app';"],
    ['preload/probe.ts', "import { CHANNELS } from '../main/core/contract/contract-types';"],
    ['renderer/src/probe.ts', "import { CHANNELS } from '../../main/core/contract/contract-types';"],
  ])('%s: %s is allowed', async (path, code) => {
    expect(await importErrors(path, code)).toEqual([]);
  });
});

describe('folder cycle check (scripts/check-layer-cycles.mjs)', () => {
  async function tree(files: Record<string, string>): Promise<string> {
    const root = await tempDir('cb-layers-');
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    return root;
  }

  it('fails on two folders that import each other, naming the imports', async () => {
    const root = await tree({
      // A type-only import counts: the two layers still need each other.
      'main/core/alpha/a.ts': "import type { B } from '../beta/b';\nexport type A = B | 1;\n",
      'main/core/beta/b.ts': "import { helper } from './helper';\nexport type B = 2;\nhelper();\n",
      'main/core/beta/helper.ts':
        "import type { A } from '../alpha/a';\nexport function helper(): A | undefined { return undefined; }\n",
      'main/core/gamma/c.ts': "import type { A } from '../alpha/a';\nexport type C = A;\n",
    });
    const failure = await run(process.execPath, [CYCLE_CHECK, '--root', root]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('Import cycle between folders: main/core/alpha, main/core/beta');
    expect(failure?.stderr).toContain('main/core/beta/helper.ts -> main/core/alpha/a.ts');
    expect(failure?.stderr).not.toContain('gamma');
  });

  it('passes a tree whose folders import one way, and cycles inside one folder', async () => {
    const root = await tree({
      'main/core/alpha/a.ts': "import { b } from '../beta/b';\nexport const a = b;\n",
      'main/core/beta/b.ts': "import { c } from './c';\nexport const b = 1;\nexport const d = c;\n",
      'main/core/beta/c.ts': "import { b } from './b';\nexport const c = () => b;\n",
    });
    const { stdout } = await run(process.execPath, [CYCLE_CHECK, '--root', root]);
    expect(stdout).toContain('No import cycles between folders.');
  });

  it('passes this repository', async () => {
    const { stdout } = await run(process.execPath, [CYCLE_CHECK], { cwd: REPO_ROOT });
    expect(stdout).toContain('No import cycles between folders.');
  });
});
