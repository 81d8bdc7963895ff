/**
 * The workload a user could give restic or borg instead of us (issue 20): a folder of N one-card
 * .vcf files (1-3 KB cards, 5 % with a 20-50 KB JPEG-like photo that does not compress) and the same
 * contacts as one N-card file. Whole commands are timed, each with its peak RSS (`/usr/bin/time`),
 * and restic and borg (Debian packages) run on the same data in alternation with the app when they
 * are installed, so the ratios compare like with like on a machine whose load varies.
 *
 * Sizes: `BENCH_SIZES=1000,10000,100000` (the default); repeats: `BENCH_REPEATS` (default 3 below
 * 100,000 and 1 at 100,000); medians are reported.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APP_PASSWORD = 'bench folder workload password';
const TOOL_PASSWORD = 'bench-tool-password';

interface Measured {
  readonly seconds: number;
  readonly rssMb: number;
}

/** mulberry32: the same seed gives the same address book on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = [
  'Anna',
  'Ben',
  'Chloé',
  'Dmitri',
  'Eva',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Karin',
  'Luis',
];
const FAMILY = [
  'Adams',
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hoffmann',
  'Ivanova',
  'Jensen',
];
const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa'.split(
    ' ',
  );

/** Folds a vCard line at 75 octets (RFC 6350 3.2); the text here is ASCII or base64. */
function fold(line: string): string {
  if (line.length <= 75) return line;
  const parts = [line.slice(0, 75)];
  for (let index = 75; index < line.length; index += 74) parts.push(` ${line.slice(index, index + 74)}`);
  return parts.join('\r\n');
}

function card(index: number, next: () => number, edition = 0): string {
  const given = GIVEN[index % GIVEN.length]!;
  const family = `${FAMILY[Math.floor(index / GIVEN.length) % FAMILY.length]!}${index}`;
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:bench-${index.toString(36)}`,
    `FN:${given} ${family}`,
    `N:${family};${given};;;`,
    `EMAIL;TYPE=INTERNET,HOME:${given.toLowerCase()}.${index}@example.org`,
    `EMAIL;TYPE=INTERNET,WORK:${family.toLowerCase()}@work.example.com`,
    `TEL;TYPE=CELL:+1 555 ${String(index % 10_000).padStart(4, '0')} ${String(Math.floor(next() * 1000)).padStart(3, '0')}`,
    `TEL;TYPE=HOME:+44 20 ${String(Math.floor(next() * 1e8)).padStart(8, '0')}`,
    `ADR;TYPE=HOME:;;${Math.floor(next() * 200)} High Street;Springfield;;${10_000 + (index % 89_999)};United States`,
    `ORG:${WORDS[index % WORDS.length]!} Industries;Research`,
    `TITLE:Engineer ${edition}`,
  ];
  // 1-3 KB per card: a note of random words.
  const noteWords = 120 + Math.floor(next() * 280);
  const note: string[] = [];
  for (let word = 0; word < noteWords; word += 1) note.push(WORDS[Math.floor(next() * WORDS.length)]!);
  lines.push(`NOTE:${note.join(' ')}${edition ? ` edition ${edition}` : ''}`);
  if (next() < 0.05) {
    // 20-50 KB of bytes behind a JPEG header: like a real photo, it does not compress.
    const size = 20_000 + Math.floor(next() * 30_000);
    const bytes = Buffer.alloc(size);
    bytes[0] = 0xff;
    bytes[1] = 0xd8;
    for (let offset = 2; offset < size; offset += 1) bytes[offset] = Math.floor(next() * 256);
    lines.push(`PHOTO;ENCODING=b;TYPE=JPEG:${bytes.toString('base64')}`);
  }
  lines.push('END:VCARD');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** Writes `count` one-card files into `folder` and the same cards as one file `single`. */
export function generateFolderWorkload(folder: string, single: string, count: number, seed = 20): void {
  mkdirSync(folder, { recursive: true });
  const next = random(seed);
  const all: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const text = card(index, next);
    writeFileSync(join(folder, `card-${String(index).padStart(6, '0')}.vcf`), text);
    all.push(text);
  }
  writeFileSync(single, all.join(''));
}

/** Rewrites 1 % of the cards (a changed title and note), with a later mtime. */
export function changeOnePercent(folder: string, count: number, round: number): void {
  const next = random(1000 + round);
  const step = 100;
  const later = new Date(Date.now() + 60_000 * (round + 1));
  for (let index = round % step; index < count; index += step) {
    const path = join(folder, `card-${String(index).padStart(6, '0')}.vcf`);
    writeFileSync(path, card(index, next, round + 1));
    utimesSync(path, later, later);
  }
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Measured {
  const out = join(tmpdir(), `cb-bench-time-${process.pid}.txt`);
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', out, command, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${String(result.stderr).slice(-400)}`);
  }
  const [seconds, kb] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { seconds: seconds!, rssMb: Math.round(kb! / 1024) };
}

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The app's CLI as `npm` ships it (the package's bin). */
function appCommand(): { command: string; prefix: string[] } {
  const bin = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin;
  return { command: process.execPath, prefix: [Object.values(bin)[0]!] };
}

interface Tool {
  readonly name: string;
  setup(work: string): void;
  backup(source: string, label: string): Measured;
  restore(target: string): Measured;
}

function appTool(env: NodeJS.ProcessEnv): Tool {
  const { command, prefix } = appCommand();
  let home = '';
  const run = (args: string[]) =>
    execFileSync(command, [...prefix, ...args, '--home', home], { env, encoding: 'utf8' });
  const accounts = new Map<string, string>();
  let lastSource = '';
  return {
    name: 'app',
    setup(work) {
      home = join(work, 'app-home');
      accounts.clear();
      run(['init']);
    },
    backup(source) {
      if (!accounts.has(source)) {
        const added = run(['account', 'add', 'vcard', '--file', source]);
        accounts.set(source, /account (\S+)/.exec(added)![1]!);
      }
      lastSource = source;
      return timed(command, [...prefix, 'backup', '--account', accounts.get(source)!, '--home', home], env);
    },
    restore(target) {
      mkdirSync(target, { recursive: true });
      const added = run(['account', 'add', 'vcard', '--file', target]);
      const targetId = /account (\S+)/.exec(added)![1]!;
      return timed(
        command,
        [
          ...prefix,
          'restore',
          '--all',
          '--account',
          accounts.get(lastSource)!,
          '--to',
          targetId,
          '--home',
          home,
        ],
        env,
      );
    },
  };
}

function resticTool(env: NodeJS.ProcessEnv): Tool {
  let repo = '';
  const toolEnv = { ...env, RESTIC_PASSWORD: TOOL_PASSWORD, RESTIC_CACHE_DIR: '' };
  return {
    name: 'restic',
    setup(work) {
      repo = join(work, 'restic-repo');
      toolEnv.RESTIC_CACHE_DIR = join(work, 'restic-cache');
      execFileSync('restic', ['init', '--repo', repo], { env: toolEnv, stdio: 'ignore' });
    },
    backup(source) {
      return timed('restic', ['--repo', repo, 'backup', '--quiet', source], toolEnv);
    },
    restore(target) {
      return timed('restic', ['--repo', repo, 'restore', 'latest', '--target', target], toolEnv);
    },
  };
}

function borgTool(env: NodeJS.ProcessEnv): Tool {
  let repo = '';
  let archive = 0;
  const toolEnv = { ...env, BORG_PASSPHRASE: TOOL_PASSWORD, BORG_BASE_DIR: '' };
  return {
    name: 'borg',
    setup(work) {
      repo = join(work, 'borg-repo');
      archive = 0;
      toolEnv.BORG_BASE_DIR = join(work, 'borg-base');
      execFileSync('borg', ['init', '--encryption', 'repokey', repo], { env: toolEnv, stdio: 'ignore' });
    },
    backup(source) {
      archive += 1;
      return timed('borg', ['create', `${repo}::a${archive}`, source], toolEnv);
    },
    restore(target) {
      mkdirSync(target, { recursive: true });
      // borg extracts into the working folder.
      const out = join(tmpdir(), `cb-bench-time-${process.pid}.txt`);
      const result = spawnSync(
        '/usr/bin/time',
        ['-f', '%e %M', '-o', out, 'borg', 'extract', `${repo}::a${archive}`],
        {
          env: toolEnv,
          cwd: target,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      if (result.status !== 0) throw new Error(`borg extract failed: ${String(result.stderr).slice(-400)}`);
      const [seconds, kb] = readFileSync(out, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      return { seconds: seconds!, rssMb: Math.round(kb! / 1024) };
    },
  };
}

type Scenario = 'initial' | 'no-change' | 'one-percent' | 'restore' | 'single-file';
const SCENARIOS: Scenario[] = ['initial', 'no-change', 'one-percent', 'restore', 'single-file'];

/** Runs every scenario at each size, the tools in alternation; returns medians and ratios. */
export async function benchFolderWorkload(): Promise<Record<string, number>> {
  const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CONTACTS_BACKUP_PASSWORD: APP_PASSWORD,
    NODE_ENV: 'production',
  };
  const tools = [appTool(env)];
  if (installed('restic')) tools.push(resticTool(env));
  if (installed('borg')) tools.push(borgTool(env));
  const result: Record<string, number> = {};
  for (const count of sizes) {
    const root = mkdtempSync(join(tmpdir(), `cb-bench-folder-${count}-`));
    try {
      const folder = join(root, 'cards');
      const single = join(root, 'all.vcf');
      generateFolderWorkload(folder, single, count);
      result[`n${count}_folder_mb`] = Math.round(
        Number(execFileSync('du', ['-sk', folder], { encoding: 'utf8' }).split(/\s/)[0]) / 1024,
      );
      result[`n${count}_single_file_mb`] = Math.round(statSync(single).size / 1024 / 1024);
      const repeats = Number(process.env.BENCH_REPEATS ?? (count >= 100_000 ? 1 : 3));
      const samples = new Map<string, Measured[]>();
      const record = (tool: string, scenario: Scenario, measured: Measured) => {
        const key = `${tool}:${scenario}`;
        samples.set(key, [...(samples.get(key) ?? []), measured]);
        process.stderr.write(`  ${count} ${scenario} ${tool}: ${measured.seconds} s, ${measured.rssMb} MB\n`);
      };
      for (let round = 0; round < repeats; round += 1) {
        const work = join(root, `round-${round}`);
        mkdirSync(work);
        for (const tool of tools) tool.setup(work);
        for (const tool of tools) record(tool.name, 'initial', tool.backup(folder, 'initial'));
        for (const tool of tools) record(tool.name, 'no-change', tool.backup(folder, 'no-change'));
        changeOnePercent(folder, count, round);
        for (const tool of tools) record(tool.name, 'one-percent', tool.backup(folder, 'one-percent'));
        for (const tool of tools) {
          const target = join(work, `restore-${tool.name}`);
          record(tool.name, 'restore', tool.restore(target));
          rmSync(target, { recursive: true, force: true });
        }
        for (const tool of tools) record(tool.name, 'single-file', tool.backup(single, 'single-file'));
        rmSync(work, { recursive: true, force: true });
      }
      for (const scenario of SCENARIOS) {
        const app = samples.get(`app:${scenario}`);
        if (!app) continue;
        const appSeconds = median(app.map((sample) => sample.seconds));
        result[`n${count}_${scenario}_app_s`] = appSeconds;
        result[`n${count}_${scenario}_app_rss_mb`] = Math.max(...app.map((sample) => sample.rssMb));
        result[`n${count}_${scenario}_app_s_per_1000`] = Number(((appSeconds / count) * 1000).toFixed(3));
        for (const other of tools.slice(1)) {
          const measured = samples.get(`${other.name}:${scenario}`);
          if (!measured) continue;
          const seconds = median(measured.map((sample) => sample.seconds));
          result[`n${count}_${scenario}_${other.name}_s`] = seconds;
          result[`n${count}_${scenario}_app_over_${other.name}`] = Number((appSeconds / seconds).toFixed(2));
        }
      }
    } finally {
      if (existsSync(root)) rmSync(root, { recursive: true, force: true });
    }
  }
  return result;
}
