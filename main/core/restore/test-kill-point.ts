/**
 * A deterministic crash point for the crash tests (tests/integration/restore/restore-crash.test.ts):
 * with CONTACTS_BACKUP_TEST_RESTORE_KILL_AFTER=N in the environment, the process kills itself with
 * SIGKILL (the same as `kill -9`) as soon as the target reports its N-th written contact. Unset
 * (always, outside those tests) it costs one comparison per progress report.
 */
import type { ContactWriter, WorkContext } from '../providers/provider';

const variable = 'CONTACTS_BACKUP_TEST_RESTORE_KILL_AFTER';

/** The writer as is, or wrapped so that its N-th written contact ends the process. */
export function withTestKillPoint(writer: ContactWriter): ContactWriter {
  const limit = Number(process.env[variable] ?? '');
  if (!Number.isInteger(limit) || limit <= 0) return writer;
  let before = 0;
  const counting = (context: WorkContext): WorkContext => ({
    ...context,
    progress(done, total) {
      if (before + done >= limit) process.kill(process.pid, 'SIGKILL');
      context.progress(done, total);
    },
  });
  const wrap =
    (write: ContactWriter['create']): ContactWriter['create'] =>
    async (items, context) => {
      const results = await write(items, counting(context));
      before += items.length;
      if (before >= limit) process.kill(process.pid, 'SIGKILL');
      return results;
    };
  return { ...writer, create: wrap(writer.create), update: wrap(writer.update) };
}
