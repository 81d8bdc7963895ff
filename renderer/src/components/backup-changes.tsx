/**
 * "What changed" under a finished backup in the Task Manager: the contacts added, changed (with the
 * fields) and deleted at the source since the user's previous backup, from `snapshots.diff`.
 */
import { useState } from 'react';
import { call } from '../lib/api-client';
import type { ApiError, ResponseOf } from '../lib/api-types';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

type Diff = ResponseOf<'snapshots.diff'>;
const SHOWN = 20;

export function BackupChanges({
  userKey,
  snapshotId,
  pruned,
}: {
  readonly userKey: string;
  readonly snapshotId: string;
  /** Retention removed versions in this job: the previous backup is no longer whole. */
  readonly pruned: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [diff, setDiff] = useState<Diff | 'first' | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const t = strings.taskResults;

  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    if (diff) return;
    const snapshots = await call('snapshots.list', { userKey });
    if (!snapshots.ok) return setError(snapshots.error);
    const ordered = [...snapshots.value].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
    const index = ordered.findIndex((snapshot) => snapshot.id === snapshotId);
    if (index <= 0) return setDiff('first');
    const result = await call('snapshots.diff', { userKey, from: ordered[index - 1].id, to: snapshotId });
    if (result.ok) setDiff(result.value);
    else setError(result.error);
  };

  const list = (title: string, names: readonly string[], testId: string) =>
    names.length ? (
      <div data-testid={testId}>
        <h4>{title}</h4>
        <ul className="small">
          {names.slice(0, SHOWN).map((name, index) => (
            <li key={`${name}-${index}`}>{name}</li>
          ))}
          {names.length > SHOWN ? <li>{t.more(names.length - SHOWN)}</li> : null}
        </ul>
      </div>
    ) : null;

  return (
    <div className="backup-changes">
      <button
        type="button"
        className="button button-quiet"
        data-testid="task-changes-toggle"
        aria-expanded={open}
        onClick={() => void toggle()}
      >
        {open ? t.hideChanges : t.whatChanged}
      </button>
      {open ? (
        <div data-testid="task-changes">
          <ErrorMessage error={error} />
          {pruned ? <p className="muted small">{t.prunedNote}</p> : null}
          {diff === 'first' ? <p>{t.firstBackup}</p> : null}
          {diff && diff !== 'first' ? (
            diff.added.length + diff.changed.length + diff.deleted.length === 0 ? (
              <p>{t.changesEmpty}</p>
            ) : (
              <>
                {list(
                  t.added(diff.added.length),
                  diff.added.map((item) => item.displayName),
                  'changes-added',
                )}
                {list(
                  t.changed(diff.changed.length),
                  diff.changed.map((item) => `${item.displayName}: ${item.fields.join(', ')}`),
                  'changes-changed',
                )}
                {list(
                  t.deletedAtSource(diff.deleted.length),
                  diff.deleted.map((item) => item.displayName),
                  'changes-deleted',
                )}
              </>
            )
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
