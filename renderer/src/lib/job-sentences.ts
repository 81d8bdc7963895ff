/**
 * A finished job's outcome as a sentence a person reads ("340 added, 2 changed, 1 deleted at the
 * source"), from its counts and result, for the Task Manager, dialogs and toasts (issue 16 item 3).
 */
import { strings } from '../strings';
import type { Job } from './api-types';

/** The path of an export, when the job's result names one. */
export function resultPath(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object' && typeof (result as { path?: unknown }).path === 'string')
    return (result as { path: string }).path;
  return undefined;
}

/** The sentence for a succeeded job; undefined for any other state. */
export function describeJobOutcome(
  job: Pick<Job, 'kind' | 'state' | 'counts' | 'result'>,
): string | undefined {
  if (job.state === 'cancelled') return strings.taskResults.cancelledLine;
  if (job.state !== 'succeeded') return undefined;
  const count = (name: string) => job.counts[name] ?? 0;
  const t = strings.taskResults;
  switch (job.kind) {
    case 'backup':
      return (
        t.backup(count('added'), count('changed'), count('deleted'), count('unchanged')) +
        (count('pruned') ? t.pruned(count('pruned')) : '')
      );
    case 'restore':
      // The restore engine says what it did in one sentence, with the same counts as its preview.
      if (job.result && typeof (job.result as { summary?: unknown }).summary === 'string')
        return (job.result as { summary: string }).summary;
      return (
        t.restore(count('created'), count('updated'), count('skipped'), count('failed')) +
        (count('folders') ? t.restoreFolders(count('folders')) : '')
      );
    case 'export': {
      const path = resultPath(job.result);
      return path ? t.export(count('exported'), path) : t.exportNoPath(count('exported'));
    }
    case 'delete':
      return t.delete(count('contacts'), count('revisions'), count('photos'));
    case 'check':
      return t.check(count('files') + count('photos'), count('errors'), count('warnings'));
  }
}
