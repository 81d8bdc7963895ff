/**
 * The dialogs the Contacts screen opens: Restore (point in time, target, mode, preview before
 * anything is written: B1–B3, B11), Delete (backup password again: S11, S12) and Export (PST, vCard,
 * CSV: S5, B7). The store holds which one is open, so the list, the Folder menu and the info pane
 * all open the same dialogs.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiError, ExportFormat, RestoreMode, RestorePlanView, RestoreRequest } from '../lib/api-types';
import { call } from '../lib/api-client';
import { downloadUrl } from '../lib/file-transfer';
import { formatDateTime } from '../lib/format';
import { selectJob, usersOf } from '../store/selectors';
import { useStore } from '../store/store';
import type { DialogRequest } from '../store/ui-slice';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { ModalDialog } from './modal-dialog';
import { describeResult } from './task-manager';

/** Renders the open dialog, if any. */
export function DialogHost() {
  const { dialog, closeDialog } = useStore(
    useShallow((s) => ({ dialog: s.dialog, closeDialog: s.closeDialog })),
  );
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'restore':
      return <RestoreDialog request={dialog} onClose={closeDialog} />;
    case 'delete':
      return <DeleteDialog request={dialog} onClose={closeDialog} />;
    case 'export':
      return <ExportDialog request={dialog} onClose={closeDialog} />;
    default:
      return assertNever(dialog);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected dialog ${JSON.stringify(value)}`);
}

type RestoreDialogRequest = Extract<DialogRequest, { kind: 'restore' }>;

function restoreTitle(request: RestoreDialogRequest): string {
  if (request.scope === 'all') return strings.restore.titleAll;
  if (request.scope === 'folder')
    return strings.restore.titleFolder(request.folderName ?? request.folderId ?? '');
  return strings.restore.titleContacts(request.contactIds?.length ?? 0);
}

function RestoreDialog({
  request,
  onClose,
}: {
  readonly request: RestoreDialogRequest;
  readonly onClose: () => void;
}) {
  const { accounts, snapshots, startJob } = useStore(
    useShallow((s) => ({ accounts: s.accounts, snapshots: s.snapshots, startJob: s.startJob })),
  );
  const users = useMemo(() => usersOf(accounts), [accounts]);
  const [at, setAt] = useState(request.at ?? '');
  const [target, setTarget] = useState('');
  const [mode, setMode] = useState<RestoreMode>('new-folder');
  const [plan, setPlan] = useState<RestorePlanView | undefined>();
  const [busy, setBusy] = useState<'preview' | 'start' | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  const times = useMemo(() => {
    const list = [...(snapshots ?? [])].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
    return list.map((s) => s.finishedAt);
  }, [snapshots]);

  const body: RestoreRequest = {
    userKey: request.userKey,
    scope: request.scope,
    ...(request.folderId ? { folderId: request.folderId } : {}),
    ...(request.contactIds ? { contactIds: [...request.contactIds] } : {}),
    ...(at ? { at } : {}),
    ...(target ? { target } : {}),
    mode,
  };

  // Any change to the options makes the old preview wrong: it must be asked again.
  const change =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      setPlan(undefined);
    };

  const preview = async () => {
    setBusy('preview');
    const result = await useStore.getState().previewRestore(body);
    setBusy(undefined);
    if (result.ok) {
      setPlan(result.value);
      setError(undefined);
    } else setError(result.error);
  };

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!plan) return void preview();
    setBusy('start');
    const result = await startJob('restore.start', body);
    setBusy(undefined);
    if (result.ok) onClose();
    else setError(result.error);
  };

  return (
    <ModalDialog title={restoreTitle(request)} testId="restore-dialog" onClose={onClose}>
      <form className="form" onSubmit={start}>
        <label className="field">
          <span>{strings.restore.pointInTime}</span>
          <select data-testid="restore-at" value={at} onChange={(e) => change(setAt)(e.target.value)}>
            <option value="">{strings.contacts.latest}</option>
            {at && !times.includes(at) ? <option value={at}>{formatDateTime(at)}</option> : null}
            {times.map((time) => (
              <option key={time} value={time}>
                {formatDateTime(time)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{strings.restore.target}</span>
          <select
            data-testid="restore-target"
            value={target}
            onChange={(e) => change(setTarget)(e.target.value)}
          >
            <option value="">{strings.restore.sameUser}</option>
            {users
              .filter(({ user }) => user.userKey !== request.userKey)
              .map(({ user, accountLabel }) => (
                <option key={user.userKey} value={user.userKey}>
                  {user.displayName ?? user.email} ({accountLabel})
                </option>
              ))}
          </select>
        </label>
        <fieldset className="field">
          <legend>{strings.restore.mode}</legend>
          {(
            [
              ['new-folder', strings.restore.modeNewFolder],
              ['overwrite', strings.restore.modeOverwrite],
              ['skip', strings.restore.modeSkip],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="check">
              <input
                type="radio"
                name="restore-mode"
                value={value}
                data-testid={`restore-mode-${value}`}
                checked={mode === value}
                onChange={() => change(setMode)(value)}
              />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
        {plan ? <RestorePlan plan={plan} /> : <p className="muted">{strings.restore.previewFirst}</p>}
        <ErrorMessage error={error} onRetry={() => void preview()} testId="restore-error" />
        <div className="row dialog-buttons">
          <button type="button" className="button" onClick={onClose}>
            {strings.cancel}
          </button>
          <button
            type="button"
            className="button"
            data-testid="restore-preview"
            disabled={busy !== undefined}
            onClick={() => void preview()}
          >
            {busy === 'preview' ? strings.restore.previewing : strings.restore.preview}
          </button>
          <button
            type="submit"
            className="button button-primary"
            data-testid="restore-start"
            disabled={!plan || busy !== undefined}
          >
            {busy === 'start' ? strings.restore.starting : strings.restore.start}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

/** The preview of a restore: counts, per-contact reasons and fields the target cannot hold. */
export function RestorePlan({ plan }: { readonly plan: RestorePlanView }) {
  return (
    <section className="plan" aria-labelledby="plan-title" data-testid="restore-plan">
      <h3 id="plan-title">{strings.restore.previewTitle}</h3>
      <ul className="plan-counts">
        <li data-testid="plan-create">{strings.restore.create(plan.create)}</li>
        <li data-testid="plan-update">{strings.restore.update(plan.update)}</li>
        <li data-testid="plan-skip">{strings.restore.skip(plan.skip)}</li>
        <li data-testid="plan-folders">{strings.restore.folders(plan.folders)}</li>
      </ul>
      {plan.reasons.length > 0 ? (
        <details>
          <summary>{strings.restore.reasons}</summary>
          <ul className="plan-reasons">
            {plan.reasons.slice(0, 500).map((reason, index) => (
              <li key={index}>
                <span className="kind">{reason.action}</span> {reason.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {plan.unmappedFields.length > 0 ? (
        <p data-testid="plan-unmapped">
          {strings.restore.unmapped}: {plan.unmappedFields.join(', ')}
        </p>
      ) : null}
    </section>
  );
}

type DeleteDialogRequest = Extract<DialogRequest, { kind: 'delete' }>;

function DeleteDialog({
  request,
  onClose,
}: {
  readonly request: DeleteDialogRequest;
  readonly onClose: () => void;
}) {
  const { startJob, clearChecked, selectFolder } = useStore(
    useShallow((s) => ({ startJob: s.startJob, clearChecked: s.clearChecked, selectFolder: s.selectFolder })),
  );
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const title = request.folderId
    ? strings.deleteDialog.titleFolder(request.folderName ?? request.folderId)
    : strings.deleteDialog.titleContacts(request.contactIds?.length ?? 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await startJob('delete.start', {
      userKey: request.userKey,
      password,
      ...(request.folderId ? { folderId: request.folderId } : {}),
      ...(request.contactIds ? { contactIds: [...request.contactIds] } : {}),
    });
    setBusy(false);
    if (result.ok) {
      clearChecked();
      if (request.folderId) void selectFolder(undefined);
      onClose();
    } else {
      setError(result.error);
      setPassword('');
    }
  };

  return (
    <ModalDialog title={title} testId="delete-dialog" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p>{strings.deleteDialog.warning}</p>
        <label className="field">
          <span>{strings.deleteDialog.password}</span>
          <input
            type="password"
            data-testid="delete-password"
            value={password}
            required
            autoFocus
            autoComplete="current-password"
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorMessage error={error} testId="delete-error" />
        <div className="row dialog-buttons">
          <button type="button" className="button" onClick={onClose}>
            {strings.cancel}
          </button>
          <button
            type="submit"
            className="button button-danger"
            data-testid="delete-confirm"
            disabled={busy || password.length === 0}
          >
            {busy ? strings.deleteDialog.deleting : strings.deleteDialog.confirm}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}

type ExportDialogRequest = Extract<DialogRequest, { kind: 'export' }>;

const FORMATS = Object.keys(strings.exportDialog.formats) as ExportFormat[];

function ExportDialog({
  request,
  onClose,
}: {
  readonly request: ExportDialogRequest;
  readonly onClose: () => void;
}) {
  const startJob = useStore((s) => s.startJob);
  const [format, setFormat] = useState<ExportFormat>(request.format ?? 'pst');
  const [path, setPath] = useState('');
  const [nativeDialog, setNativeDialog] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const [jobId, setJobId] = useState<string | undefined>();
  const job = useStore(useMemo(() => selectJob(jobId), [jobId]));
  const title = request.folderName
    ? strings.exportDialog.titleFolder(request.folderName)
    : strings.exportDialog.title;

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    const result = await startJob('export.start', {
      userKey: request.userKey,
      format,
      ...(request.contactIds ? { contactIds: [...request.contactIds] } : {}),
      ...(request.folderIds ? { folderIds: [...request.folderIds] } : {}),
      ...(request.at ? { at: request.at } : {}),
      ...(path.trim() ? { path: path.trim() } : {}),
    });
    setBusy(false);
    if (result.ok) {
      setJobId(result.value.id);
      setError(undefined);
    } else setError(result.error);
  };

  // In the desktop app the host offers its native save dialog; in a browser there is none.
  useEffect(() => {
    void call('app.status', {}).then((status) =>
      setNativeDialog(status.ok && status.value.host === 'electron'),
    );
  }, []);
  const choose = async () => {
    const chosen = await call('export.choosePath', { format });
    if (chosen.ok && chosen.value.path) setPath(chosen.value.path);
  };

  const resultPath = job?.state === 'succeeded' ? describeResult(job.result) : undefined;
  return (
    <ModalDialog title={title} testId="export-dialog" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        {!request.folderIds ? (
          <p>
            {request.contactIds
              ? strings.exportDialog.scopeSelected(request.contactIds.length)
              : strings.exportDialog.scopeAll}
          </p>
        ) : null}
        <label className="field">
          <span>{strings.exportDialog.format}</span>
          <select
            data-testid="export-format"
            value={format}
            disabled={jobId !== undefined}
            onChange={(e) => setFormat(e.target.value as ExportFormat)}
          >
            {FORMATS.map((value) => (
              <option key={value} value={value}>
                {strings.exportDialog.formats[value]}
              </option>
            ))}
          </select>
        </label>
        {/* No typed paths: the desktop app asks its native save dialog, the browser downloads. */}
        {nativeDialog && jobId === undefined ? (
          <div className="field">
            <button
              type="button"
              className="button"
              data-testid="export-choose"
              onClick={() => void choose()}
            >
              {strings.files.saveAs}
            </button>
            <small className="muted">
              {path ? strings.files.savesTo(path) : strings.files.savesToDefault}
            </small>
          </div>
        ) : null}
        <ErrorMessage error={error} onRetry={() => void submit()} />
        <div role="status" data-testid="export-status">
          {job && (job.state === 'queued' || job.state === 'running') ? (
            <p>{strings.exportDialog.running}</p>
          ) : null}
          {resultPath && nativeDialog ? (
            <p data-testid="export-result">
              {strings.exportDialog.done} <code>{resultPath}</code>
            </p>
          ) : null}
          {resultPath && !nativeDialog && jobId ? (
            <p data-testid="export-result">
              {strings.exportDialog.done}{' '}
              <a
                className="button button-primary"
                href={downloadUrl(jobId)}
                download
                data-testid="export-download"
              >
                {strings.files.download}
              </a>
            </p>
          ) : null}
          {job && (job.state === 'failed' || job.state === 'cancelled' || job.state === 'interrupted') ? (
            <p className="error-message">{job.error?.message ?? strings.exportDialog.failed}</p>
          ) : null}
        </div>
        <div className="row dialog-buttons">
          <button type="button" className="button" onClick={onClose}>
            {jobId ? strings.close : strings.cancel}
          </button>
          {jobId ? null : (
            <button
              type="submit"
              className="button button-primary"
              data-testid="export-start"
              disabled={busy}
            >
              {busy ? strings.exportDialog.starting : strings.exportDialog.start}
            </button>
          )}
        </div>
      </form>
    </ModalDialog>
  );
}
