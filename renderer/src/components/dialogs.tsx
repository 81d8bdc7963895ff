/**
 * The dialogs the Contacts screen opens: Restore (point in time, target, mode, preview before
 * anything is written: B1–B3, B11), Delete (backup password again: S11, S12) and Export (PST, vCard,
 * CSV: S5, B7). The store holds which one is open, so the list, the Folder menu and the info pane
 * all open the same dialogs.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type {
  ApiError,
  ExportFormat,
  RestoreMode,
  RestorePlanView,
  RestoreRequest,
  RestoreTargetsView,
} from '../lib/api-types';
import { call } from '../lib/api-client';
import { downloadUrl } from '../lib/file-transfer';
import { formatDateTime } from '../lib/format';
import { selectJob } from '../store/selectors';
import { useStore } from '../store/store';
import type { DialogRequest } from '../store/ui-slice';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';
import { ModalDialog } from './modal-dialog';
import { describeResult } from './task-manager';
import { NAMES_SHOWN } from './use-contact-actions';

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

/** Target choices of the dialog: an account user, or a new vCard folder or file at a path. */
type TargetChoice = string;
const VCARD_FOLDER = '*vcard-folder*';
const VCARD_FILE = '*vcard-file*';

function RestoreDialog({
  request,
  onClose,
}: {
  readonly request: RestoreDialogRequest;
  readonly onClose: () => void;
}) {
  const { snapshots, startJob } = useStore(
    useShallow((s) => ({ snapshots: s.snapshots, startJob: s.startJob })),
  );
  const [at, setAt] = useState(request.at ?? '');
  const [targets, setTargets] = useState<RestoreTargetsView | undefined>();
  const [target, setTarget] = useState<TargetChoice>('');
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<RestoreMode>('new-folder');
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [plan, setPlan] = useState<RestorePlanView | undefined>();
  const [busy, setBusy] = useState<'preview' | 'start' | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  // Only targets that can take the restore are offered; read-only sources default to a new vCard folder.
  useEffect(() => {
    let live = true;
    void call('restore.targets', { userKey: request.userKey }).then((result) => {
      if (!live) return;
      if (!result.ok) return setError(result.error);
      setTargets(result.value);
      if (result.value.suggested === 'vcard-folder') {
        setTarget(VCARD_FOLDER);
        setPath(result.value.suggestedPaths.folder);
      } else setTarget(request.userKey);
    });
    return () => {
      live = false;
    };
  }, [request.userKey]);

  const times = useMemo(() => {
    const list = [...(snapshots ?? [])].sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
    return list.map((s) => s.finishedAt);
  }, [snapshots]);

  const toVcard = target === VCARD_FOLDER || target === VCARD_FILE;
  const body: RestoreRequest = {
    userKey: request.userKey,
    scope: request.scope,
    ...(request.folderId ? { folderId: request.folderId } : {}),
    ...(request.contactIds ? { contactIds: [...request.contactIds] } : {}),
    ...(at ? { at } : {}),
    ...(target && !toVcard && target !== request.userKey ? { target } : {}),
    ...(toVcard
      ? { targetPath: path.trim(), targetKind: target === VCARD_FILE ? 'vcard-file' : 'vcard-folder' }
      : {}),
    ...(includeDeleted && request.scope !== 'contacts' ? { includeDeleted } : {}),
    mode,
  };

  // Any change to the options makes the old preview wrong: it must be asked again.
  const change =
    <T,>(setter: (value: T) => void) =>
    (value: T) => {
      setter(value);
      setPlan(undefined);
    };

  const chooseTarget = (value: TargetChoice) => {
    change(setTarget)(value);
    if (value === VCARD_FOLDER && targets) setPath(targets.suggestedPaths.folder);
    if (value === VCARD_FILE && targets) setPath(targets.suggestedPaths.file);
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
            disabled={!targets}
            onChange={(e) => chooseTarget(e.target.value)}
          >
            {!targets ? <option value="">{strings.restore.loadingTargets}</option> : null}
            {targets?.targets.map((choice) => (
              <option key={choice.userKey} value={choice.userKey}>
                {choice.userKey === request.userKey
                  ? strings.restore.sameUserLabel(choice.label)
                  : choice.label}
              </option>
            ))}
            {targets ? <option value={VCARD_FOLDER}>{strings.restore.newVcardFolder}</option> : null}
            {targets ? <option value={VCARD_FILE}>{strings.restore.newVcardFile}</option> : null}
          </select>
        </label>
        {toVcard ? (
          <label className="field">
            <span>{strings.restore.targetPath}</span>
            <input
              type="text"
              data-testid="restore-target-path"
              value={path}
              spellCheck={false}
              onChange={(e) => change(setPath)(e.target.value)}
            />
            <small className="muted">
              {target === VCARD_FILE
                ? strings.restore.targetPathFileHelp
                : strings.restore.targetPathFolderHelp}
            </small>
          </label>
        ) : null}
        {targets && targets.notOffered.length > 0 ? (
          <details data-testid="restore-not-offered">
            <summary>{strings.restore.notOffered}</summary>
            <ul className="plan-reasons">
              {targets.notOffered.map((other) => (
                <li key={other.userKey}>
                  {other.label}: {other.notOffered}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {request.scope !== 'contacts' ? (
          <label className="check" title={strings.restore.includeDeletedHelp}>
            <input
              type="checkbox"
              data-testid="restore-include-deleted"
              checked={includeDeleted}
              onChange={(e) => change(setIncludeDeleted)(e.target.checked)}
            />
            <span>{strings.restore.includeDeleted}</span>
          </label>
        ) : null}
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
            disabled={busy !== undefined || !targets || (toVcard && !path.trim())}
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

/** The first names of one action and how many more there are. */
function PlanNames({
  title,
  count,
  names,
  testId,
}: {
  readonly title: string;
  readonly count: number;
  readonly names: readonly string[] | undefined;
  readonly testId: string;
}) {
  if (!count || !names) return null;
  return (
    <p className="plan-names" data-testid={testId}>
      <strong>{title}:</strong> {names.join(', ')}
      {count > names.length ? `, ${strings.restore.andMore(count - names.length)}` : ''}
    </p>
  );
}

/** The preview of a restore: counts, names, per-contact reasons and fields the target cannot hold. */
export function RestorePlan({ plan }: { readonly plan: RestorePlanView }) {
  return (
    <section className="plan" aria-labelledby="plan-title" data-testid="restore-plan">
      <h3 id="plan-title">{strings.restore.previewTitle}</h3>
      {plan.targetLabel ? <p data-testid="plan-target">{strings.restore.into(plan.targetLabel)}</p> : null}
      <ul className="plan-counts">
        <li data-testid="plan-create">{strings.restore.create(plan.create)}</li>
        <li data-testid="plan-update">{strings.restore.update(plan.update)}</li>
        <li data-testid="plan-skip">{strings.restore.skip(plan.skip)}</li>
        <li data-testid="plan-folders">{strings.restore.folders(plan.folders)}</li>
      </ul>
      <PlanNames
        title={strings.restore.namesCreate}
        count={plan.create}
        names={plan.names?.create}
        testId="plan-names-create"
      />
      <PlanNames
        title={strings.restore.namesUpdate}
        count={plan.update}
        names={plan.names?.update}
        testId="plan-names-update"
      />
      <PlanNames
        title={strings.restore.namesSkip}
        count={plan.skip}
        names={plan.names?.skip}
        testId="plan-names-skip"
      />
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

/** What a delete will remove: how many contacts and the first names, in list order. */
interface DeleteScope {
  readonly count: number;
  readonly names: readonly string[];
}

/**
 * The contacts a delete covers. For selected contacts the count is the selection and the names come
 * with the request; for a folder the list of that folder is asked for its total and first names.
 */
function useDeleteScope(request: DeleteDialogRequest): DeleteScope | undefined {
  const [scope, setScope] = useState<DeleteScope | undefined>(
    request.folderId ? undefined : { count: request.contactIds?.length ?? 0, names: request.names ?? [] },
  );
  useEffect(() => {
    if (!request.folderId) return;
    let live = true;
    void call('contacts.list', {
      userKey: request.userKey,
      folderId: request.folderId,
      includeDeleted: true,
      offset: 0,
      limit: NAMES_SHOWN,
    }).then((result) => {
      if (!live) return;
      setScope(
        result.ok
          ? { count: result.value.total, names: result.value.items.map((item) => item.displayName) }
          : { count: request.count ?? 0, names: [] },
      );
    });
    return () => {
      live = false;
    };
  }, [request.folderId, request.userKey, request.count]);
  return scope;
}

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
  const [keepOut, setKeepOut] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const scope = useDeleteScope(request);
  const folderName = request.folderName ?? request.folderId ?? '';
  const title = request.folderId
    ? strings.deleteDialog.titleFolder(folderName)
    : strings.deleteDialog.titleContacts(request.contactIds?.length ?? 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await startJob('delete.start', {
      userKey: request.userKey,
      password,
      ...(request.folderId ? { folderId: request.folderId } : {}),
      ...(request.contactIds ? { contactIds: [...request.contactIds] } : {}),
      ...(keepOut ? { keepOutOfBackups: true } : {}),
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

  const more = scope ? scope.count - scope.names.length : 0;
  return (
    <ModalDialog title={title} testId="delete-dialog" onClose={onClose}>
      <form className="form" onSubmit={submit}>
        {scope ? (
          <div data-testid="delete-what">
            <p data-testid="delete-count" data-count={scope.count}>
              {request.folderId
                ? strings.deleteDialog.whatFolder(scope.count, folderName)
                : strings.deleteDialog.whatContacts(scope.count)}
            </p>
            {scope.names.length > 0 ? (
              <ul className="delete-names" data-testid="delete-names">
                {scope.names.map((name, index) => (
                  <li key={index}>{name}</li>
                ))}
                {more > 0 ? <li className="muted">{strings.deleteDialog.andMore(more)}</li> : null}
              </ul>
            ) : null}
          </div>
        ) : (
          <p aria-busy="true">{strings.deleteDialog.loadingNames}</p>
        )}
        <p data-testid="delete-again">{strings.deleteDialog.backedUpAgain}</p>
        <label className="check">
          <input
            type="checkbox"
            data-testid="delete-keep-out"
            checked={keepOut}
            aria-describedby="delete-keep-out-hint"
            onChange={(e) => setKeepOut(e.target.checked)}
          />
          <span>{strings.deleteDialog.keepOut}</span>
        </label>
        <small id="delete-keep-out-hint" className="muted">
          {strings.deleteDialog.keepOutHint}
        </small>
        <label className="field">
          <span>{strings.deleteDialog.password}</span>
          <input
            type="password"
            data-testid="delete-password"
            value={password}
            required
            autoFocus
            autoComplete="current-password"
            aria-describedby="delete-password-hint"
            onChange={(e) => setPassword(e.target.value)}
          />
          <small id="delete-password-hint" className="muted">
            {strings.deleteDialog.confirmPassword}
          </small>
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
            disabled={busy || password.length === 0 || !scope}
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
        <dl className="summary" data-testid="export-summary">
          <div>
            <dt>{strings.exportDialog.what}</dt>
            <dd>
              {request.folderName
                ? request.folderName
                : request.contactIds
                  ? strings.exportDialog.scopeSelected(request.contactIds.length)
                  : strings.exportDialog.scopeAll}
              {request.at ? ` ${strings.exportDialog.asOf(formatDateTime(request.at))}` : ''}
            </dd>
          </div>
          <div>
            <dt>{strings.exportDialog.target}</dt>
            <dd data-testid="export-target">
              {path.trim()
                ? strings.exportDialog.targetPath(path.trim())
                : strings.exportDialog.targetDefault}
            </dd>
          </div>
        </dl>
        <p className="muted" data-testid="export-effect">
          {strings.exportDialog.effect(strings.exportDialog.formats[format])}
        </p>
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
