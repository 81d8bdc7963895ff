/**
 * CLI start-up (issue 19): the built `contacts-backup` answering `--help` (target < 300 ms) and
 * `snapshots --json` on a small vault (the 340-contact sample, backed up once), beside `restic
 * version` and `borg --version`, and the same `--help` run from the TypeScript sources through tsx
 * (what bin/ did before). Medians of several runs in milliseconds: wall time, and where
 * /usr/bin/time exists the CPU time (user + system), which other work on the machine hardly moves.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNS = 7;
const BIN = 'bin/contacts-backup.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
}

/** Median wall time of a command, or -1 where it is not installed. */
function time(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { env, stdio: 'ignore' });
    if (result.error || result.status !== 0) return -1;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** Median CPU time (user + system) of a command, or -1 where it or /usr/bin/time is missing. */
function cpu(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  if (!existsSync('/usr/bin/time')) return -1;
  const output = join(tmpdir(), `cb-bench-time-${process.pid}`);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const result = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', output, command, ...args], {
      env,
      stdio: 'ignore',
    });
    if (result.error || result.status !== 0) return -1;
    const [user, system] = readFileSync(output, 'utf8').trim().split(/\s+/).map(Number);
    times.push((user + system) * 1000);
  }
  return median(times);
}

export async function benchCliStartup(): Promise<Record<string, number>> {
  if (!existsSync('out/cli/contacts-backup.cjs'))
    execFileSync(process.execPath, ['scripts/build.mjs', '--cli']);
  const home = await mkdtemp(join(tmpdir(), 'cb-bench-cli-'));
  const env = { ...process.env, CONTACTS_BACKUP_HOME: home, CONTACTS_BACKUP_PASSWORD: 'bench password 1' };
  try {
    for (const args of [['init'], ['account', 'add', 'sample'], ['backup']]) {
      execFileSync(process.execPath, [BIN, ...args], { env, stdio: 'ignore' });
    }
    return {
      help_ms: time(process.execPath, [BIN, '--help'], env),
      help_cpu_ms: cpu(process.execPath, [BIN, '--help'], env),
      version_ms: time(process.execPath, [BIN, '--version'], env),
      snapshots_json_ms: time(process.execPath, [BIN, 'snapshots', '--json'], env),
      snapshots_json_cpu_ms: cpu(process.execPath, [BIN, 'snapshots', '--json'], env),
      restic_version_ms: time('restic', ['version']),
      restic_version_cpu_ms: cpu('restic', ['version']),
      borg_version_ms: time('borg', ['--version']),
      borg_version_cpu_ms: cpu('borg', ['--version']),
      node_empty_ms: time(process.execPath, ['-e', '0']),
      node_empty_cpu_ms: cpu(process.execPath, ['-e', '0']),
      help_from_sources_via_tsx_ms: time(
        process.execPath,
        ['--import', 'tsx', 'main/cli/main.ts', '--help'],
        env,
      ),
    };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await benchCliStartup());
}
