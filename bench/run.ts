/**
 * `npm run bench`: runs each benchmark in its own process (so each peak RSS is its own), prints
 * one table and writes bench/results/<name>.json. Benchmarks print numbers; they never fail a build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const benchmarks: { name: string; file: string; exportName: string }[] = [
  { name: 'foundation', file: 'bench/foundation.ts', exportName: 'benchFoundation' },
  { name: 'pst', file: 'bench/pst.ts', exportName: 'benchPst' },
  { name: 'google', file: 'bench/google.ts', exportName: 'benchGoogle' },
  { name: 'microsoft', file: 'bench/microsoft.ts', exportName: 'benchMicrosoft' },
  { name: 'restore', file: 'bench/restore.ts', exportName: 'benchRestore' },
  { name: 'restore-run', file: 'bench/restore-run.ts', exportName: 'benchRestoreRun' },
  { name: 'ui', file: 'bench/ui.ts', exportName: 'benchUi' },
  { name: 'folder-workload', file: 'bench/folder-workload.ts', exportName: 'benchFolderWorkload' },
  { name: 'cli-startup', file: 'bench/cli-startup.ts', exportName: 'benchCliStartup' },
  { name: 'carddav', file: 'bench/carddav.ts', exportName: 'benchCardDav' },
  { name: 'responsiveness', file: 'bench/responsiveness.ts', exportName: 'benchResponsiveness' },
];

const only = process.argv.slice(2);
mkdirSync('bench/results', { recursive: true });
const rows: Record<string, string | number>[] = [];
for (const bench of benchmarks) {
  if (only.length && !only.includes(bench.name)) continue;
  if (!existsSync(bench.file)) continue;
  process.stderr.write(`Running ${bench.name}…\n`);
  try {
    const output = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./${bench.file}').then((m) => m.${bench.exportName}()).then((r) => process.stdout.write('\\nRESULT ' + JSON.stringify(r) + '\\n'))`,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = output.split('\n').find((text) => text.startsWith('RESULT '));
    const result = JSON.parse(line!.slice(7)) as Record<string, number>;
    writeFileSync(`bench/results/${bench.name}.json`, `${JSON.stringify(result, null, 2)}\n`);
    for (const [metric, value] of Object.entries(result)) rows.push({ bench: bench.name, metric, value });
  } catch (error) {
    rows.push({ bench: bench.name, metric: 'error', value: String((error as Error).message).slice(0, 120) });
  }
}
console.table(rows);
