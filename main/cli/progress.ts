/**
 * Job progress for the CLI: a redrawn bar with counts on a terminal, plain lines (one per change of
 * phase or state) when the output is a pipe or a log file.
 */
import type { JobView } from './run-job';

export function createProgressPrinter(stream: NodeJS.WriteStream = process.stderr): {
  update(jobs: readonly JobView[]): void;
  watch(ids: readonly string[]): void;
  end(): void;
} {
  let watched: ReadonlySet<string> | undefined;
  const seen = new Map<string, string>();
  let drawn = false;
  return {
    watch(ids) {
      watched = new Set(ids);
    },
    update(all) {
      const jobs = watched ? all.filter((job) => watched?.has(job.id)) : all;
      if (stream.isTTY) {
        const running = jobs.find((job) => job.state === 'running');
        if (!running) return;
        const { done, total, phase } = running.progress;
        const width = 30;
        const share = total ? Math.min(1, done / total) : 0;
        const bar = total ? `[${'#'.repeat(Math.round(share * width)).padEnd(width)}]` : '[working…]';
        const counts = total ? `${done}/${total}` : `${done}`;
        stream.write(
          `\r${bar} ${counts} ${phase} – ${running.title}`.slice(0, (stream.columns ?? 100) - 1).padEnd(20),
        );
        drawn = true;
        return;
      }
      for (const job of jobs) {
        const key = `${job.state}:${job.progress.phase}`;
        if (seen.get(job.id) === key) continue;
        seen.set(job.id, key);
        stream.write(`${job.title}: ${job.state} (${job.progress.phase})\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
