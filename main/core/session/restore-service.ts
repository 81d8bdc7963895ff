/**
 * Restore for the API and the CLI: Restore All, Restore Folder, selected contacts, one version;
 * to a point in time; into the same user, another user or account, or a new vCard folder or file;
 * in new-folder, overwrite or skip mode. Preview computes the plan; the job recomputes it and
 * carries it out with a per-run journal (restore/restore-journal.ts), so a run killed at any
 * instant and resumed creates every contact exactly once.
 *
 * A contact counts as already at the target when it is linked to the backed-up contact: the same
 * source id (same user), the same UID (vCard targets), a link left by an earlier restore
 * (`restore-links`), or the same email / name and phone in the target's own backup. A contact
 * restored into its own account under a new id is re-linked in the history (a rename), so the next
 * backup continues its history instead of adding a second entry.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { safeFileStem } from '../export/vcard-export';
import { statSync } from 'node:fs';
import type {
  RestorePlanView,
  RestoreRequest,
  RestoreTargetView,
  RestoreTargetsView,
} from '../contract/contract-types';
import { ApiFailure } from '../contract/api-failure';
import type { JobContext } from '../jobs/job-registry';
import type { JobRecord } from '../jobs/types';
import {
  identityOf,
  planCounts,
  planNames,
  planRestore,
  selectContacts,
  type RestorePlan,
  type RestoreSelection,
} from '../restore/restore-plan';
import { executeRestore, type RestoreReport } from '../restore/restore-engine';
import { RestoreJournal } from '../restore/restore-journal';
import { withTestKillPoint } from '../restore/test-kill-point';
import { ProviderError, type ContactWriter, type WorkContext } from '../providers/provider';
import { createVcardWriter } from '../providers/vcard/vcard-writer';
import { createVcardFileTarget } from '../providers/vcard/vcard-file-writer';
import { splitUserKey, userKeyOf } from '../history/types';
import { findUser, providerFor } from './account-service';
import { userLabel } from './backup-service';
import type { ProfileSession } from './profile-session';
import { count } from '../plural';

export interface RestoreParams extends RestoreRequest {
  readonly runId: string;
  readonly snapshotId?: string;
}

/** Links from earlier restores: `${targetKey}\u0000${contactId}` -> target id (one entry per pair). */
interface RestoreLinksFile {
  version: 1;
  links: Record<string, string>;
}

function links(session: ProfileSession) {
  return session.vault.database<RestoreLinksFile>('restore-links', { version: 1, links: {} });
}

function linkKey(targetKey: string, contactId: string): string {
  return `${targetKey}\u0000${contactId}`;
}

/** Where a restore goes, resolved. */
interface Target {
  /** Links and lock key: the user key, or `vcard:<path>`. */
  readonly key: string;
  readonly label: string;
  readonly writer: ContactWriter;
  /** Makes the work visible (vCard file: the atomic rename). */
  readonly finish: () => Promise<void>;
  /** The target is the source user itself. */
  readonly sameUser: boolean;
  /** The target keeps vCard UIDs. */
  readonly keepsUid: boolean;
  /** The target's own backup, for identity matching. */
  readonly indexUserKey?: string;
}

const nothing = async () => undefined;

function pathTarget(path: string, kind: 'vcard-folder' | 'vcard-file'): Target {
  if (!isAbsolute(path)) throw new ApiFailure('invalid-request', 'Give the full path of the vCard target.');
  const full = resolvePath(path);
  if (kind === 'vcard-file') {
    if (!/\.vcf$/i.test(full)) throw new ApiFailure('invalid-request', 'A vCard file name ends in .vcf.');
    const file = createVcardFileTarget(full);
    return {
      key: `vcard:${full}`,
      label: full,
      writer: file.writer,
      finish: file.finish,
      sameUser: false,
      keepsUid: true,
    };
  }
  return {
    key: `vcard:${full}`,
    label: full,
    writer: createVcardWriter(full),
    finish: nothing,
    sameUser: false,
    keepsUid: true,
  };
}

/** Checks a path target before Preview: a clear sentence instead of a failure half way. */
function checkPathTarget(path: string, kind: 'vcard-folder' | 'vcard-file'): void {
  const full = resolvePath(path);
  const info = statOrUndefined(full);
  if (kind === 'vcard-folder' && info && !info.isDirectory())
    throw new ApiFailure(
      'invalid-request',
      `"${full}" is a file: choose "a new vCard file" to restore into it.`,
    );
  if (kind === 'vcard-file') {
    if (info?.isDirectory())
      throw new ApiFailure('invalid-request', `"${full}" is a folder: choose "a new vCard folder" instead.`);
    const parent = statOrUndefined(resolvePath(full, '..'));
    if (parent && !parent.isDirectory())
      throw new ApiFailure('invalid-request', `"${resolvePath(full, '..')}" is a file, not a folder.`);
  }
}

/** Why an account user cannot take a restore, or undefined when it can. */
function notWritableReason(session: ProfileSession, userKey: string): string | undefined {
  const { account, user } = findUser(session, userKey);
  if (account.kind === 'sample' || account.kind === 'pst')
    return `${account.label} is read-only: restore it into a new vCard folder or file, or into another account.`;
  if (account.status === 'sign-in-needed') return `${account.label} needs a new sign-in first.`;
  if (!user.active) return `${userLabel(user)} is suspended or disabled in the directory.`;
  try {
    if (!providerFor(session, account).writer(user.id))
      return `${account.label} is read-only: restore into another account or a new vCard folder.`;
  } catch {
    return `${account.label} cannot be opened for writing.`;
  }
  return undefined;
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function resolveTarget(session: ProfileSession, params: RestoreRequest): Target {
  if (params.targetPath) {
    if (params.target)
      throw new ApiFailure('invalid-request', 'Choose either an account or a vCard path as the target.');
    return pathTarget(params.targetPath, params.targetKind ?? 'vcard-folder');
  }
  const userKey = params.target ?? params.userKey;
  const { account, user } = findUser(session, userKey);
  const reason = notWritableReason(session, userKey);
  if (reason) throw new ApiFailure('not-writable', reason);
  const label = `${userLabel(user)} (${account.label})`;
  const sameUser = userKey === params.userKey;
  const path = account.kind === 'vcard' ? String(account.settings.path ?? '') : '';
  if (path && statOrUndefined(path)?.isFile()) {
    // A vCard account over one file: written through the atomic file target.
    const file = createVcardFileTarget(path);
    return {
      key: userKey,
      label,
      writer: file.writer,
      finish: file.finish,
      sameUser,
      keepsUid: true,
      indexUserKey: userKey,
    };
  }
  const writer = providerFor(session, account).writer(user.id)!;
  return {
    key: userKey,
    label,
    writer,
    finish: nothing,
    sameUser,
    keepsUid: account.kind === 'vcard',
    indexUserKey: userKey,
  };
}

/** The targets a restore from `userKey` can go to, and those not offered with the reason. */
export function restoreTargets(session: ProfileSession, userKey: string): RestoreTargetsView {
  findUser(session, userKey);
  const targets: RestoreTargetView[] = [];
  const notOffered: RestoreTargetView[] = [];
  for (const account of session.accounts.all()) {
    for (const user of account.users) {
      const key = userKeyOf(account.id, user.id);
      const view = { userKey: key, kind: 'account' as const, label: `${userLabel(user)} (${account.label})` };
      const reason = notWritableReason(session, key);
      if (reason) notOffered.push({ ...view, notOffered: reason });
      else if (key === userKey) targets.unshift(view);
      else targets.push(view);
    }
  }
  const sameWritable = targets[0]?.userKey === userKey;
  const stamp = session.ports.clock.now().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const base = join(
    session.ports.home,
    'restores',
    `${safeFileStem(findUser(session, userKey).account.label)} ${stamp}`,
  );
  return {
    targets,
    notOffered,
    suggested: sameWritable ? 'same-user' : 'vcard-folder',
    suggestedPaths: { folder: base, file: `${base}.vcf` },
  };
}

function quietContext(signal = new AbortController().signal): WorkContext {
  return { signal, progress: () => undefined, log: () => undefined };
}

function selectionOf(params: RestoreParams): RestoreSelection {
  return {
    sourceUserKey: params.userKey,
    scope: params.scope,
    folderId: params.folderId,
    contactIds: params.contactIds,
    at: params.at,
    snapshotId: params.snapshotId,
    onlyDeleted: params.onlyDeleted,
    includeDeleted: params.includeDeleted,
  };
}

/** Builds the plan, asking the target which of the contacts it might match exist there now. */
async function buildPlan(
  session: ProfileSession,
  params: RestoreParams,
  target: Target,
  context: WorkContext,
): Promise<{ plan: RestorePlan; existing: ReadonlySet<string> }> {
  findUser(session, params.userKey);
  // A damaged segment of this user up to that moment: the plan could miss contacts, so say so.
  session.history.assertReadable(params.userKey, params.at);
  const mode = params.mode ?? 'new-folder';
  if (params.scope === 'folder' && !params.folderId)
    throw new ApiFailure('invalid-request', 'Choose the folder to restore.');
  if (params.scope === 'contacts' && !params.contactIds?.length) {
    throw new ApiFailure('invalid-request', 'Select the contacts to restore.');
  }
  const selection = selectionOf(params);
  const linkMap = new Map<string, string>();
  const selected = selectContacts(session.history.index, selection);
  const candidates = new Set<string>();
  if (mode !== 'new-folder' || target.sameUser) {
    const stored = (await links(session)).data.links;
    for (const item of selected) {
      const linked = stored[linkKey(target.key, item.contactId)];
      if (linked) {
        linkMap.set(item.contactId, linked);
        candidates.add(linked);
      }
      if (target.sameUser || target.keepsUid) candidates.add(item.sourceId);
    }
  }
  if (mode !== 'new-folder' && !target.sameUser && target.indexUserKey) {
    const identities = new Set(selected.map((item) => identityOf(item.version.brief)).filter(Boolean));
    for (const state of session.history.index.contactsAt(new Set([target.indexUserKey]))) {
      if (!state.deleted && identities.has(identityOf(state.version.brief)))
        candidates.add(state.history.sourceId);
    }
  }
  let existing = new Set<string>();
  try {
    existing = candidates.size ? await target.writer.existing([...candidates], context) : existing;
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'invalid-input')
      throw new ApiFailure('invalid-request', error.message);
    throw error;
  }
  const plan = planRestore(session.history.index, selection, mode, {
    sameUser: target.sameUser,
    existing,
    links: linkMap,
    keepsUid: target.keepsUid,
    targetIndexUserKey: target.indexUserKey,
    unsupportedFields: (contact) => target.writer.unsupportedFields(contact),
  });
  return { plan, existing };
}

function checkedTarget(session: ProfileSession, request: RestoreRequest): Target {
  if (request.targetPath) checkPathTarget(request.targetPath, request.targetKind ?? 'vcard-folder');
  return resolveTarget(session, request);
}

export async function previewRestore(
  session: ProfileSession,
  request: RestoreRequest,
): Promise<RestorePlanView> {
  const target = checkedTarget(session, request);
  const { plan } = await buildPlan(session, { ...request, runId: 'preview' }, target, quietContext());
  const counts = planCounts(plan);
  return {
    ...counts,
    names: planNames(plan),
    targetLabel: target.label,
    folders: plan.mode === 'new-folder' ? 1 : plan.sourceFolders.length,
    reasons: plan.contacts.slice(0, 1000).map((planned) => ({
      contactId: planned.contactId,
      action: planned.action,
      reason: planned.reason,
    })),
    unmappedFields: plan.unmappedFields,
  };
}

export function enqueueRestore(
  session: ProfileSession,
  request: RestoreRequest & { snapshotId?: string },
  origin: JobRecord['origin'],
): JobRecord {
  const source = findUser(session, request.userKey);
  const target = checkedTarget(session, request);
  const what =
    request.scope === 'all'
      ? 'all contacts'
      : request.scope === 'folder'
        ? 'a folder'
        : `${count(request.contactIds?.length ?? 0, 'contact')}`;
  const into = target.sameUser ? '' : ` into ${target.label}`;
  const params: RestoreParams = { ...request, runId: randomUUID() };
  const targetAccount = request.targetPath ? undefined : findUser(session, target.key);
  return session.jobs.enqueue({
    kind: 'restore',
    title: `Restore ${what} of ${userLabel(source.user)}${into}`,
    scope: {
      accountId: targetAccount?.account.id,
      userId: targetAccount?.user.id,
      folderIds: request.folderId ? [request.folderId] : undefined,
      contactIds: request.contactIds,
    },
    origin,
    urgent: true,
    params,
    // Writes to one user go one at a time (Google asks for sequential mutations per user).
    lockKey: target.key,
  }).job;
}

/** The result of a restore as one sentence, for the Task Manager and the CLI. */
export function restoreSentence(report: RestoreReport): string {
  const parts = [
    `${report.created} created`,
    `${report.updated} updated`,
    `${report.skipped} skipped`,
    ...(report.failed ? [`${report.failed} failed`] : []),
  ];
  const where = report.folderName ? ` (in "${report.folderName}")` : '';
  return `Restored: ${parts.join(', ')}${where}.`;
}

/** Re-links contacts restored into their own account under a new id, so the next backup continues them. */
async function relink(
  session: ProfileSession,
  params: RestoreParams,
  plan: RestorePlan,
  existing: ReadonlySet<string>,
  written: Readonly<Record<string, string>>,
): Promise<number> {
  const moves = plan.contacts.filter((planned) => {
    const targetId = written[planned.contactId];
    return (
      planned.action === 'create' &&
      targetId &&
      targetId !== planned.sourceId &&
      !existing.has(planned.sourceId)
    );
  });
  if (!moves.length) return 0;
  const writer = session.history.begin(params.userKey, 'selected', session.ports.clock.now());
  for (const planned of moves) writer.rename(planned.sourceId, written[planned.contactId]);
  await writer.commit({ finishedAt: session.ports.clock.now() });
  return moves.length;
}

export async function restoreJob(
  session: ProfileSession,
  context: JobContext,
  raw: unknown,
): Promise<unknown> {
  const params = raw as RestoreParams;
  const workContext: WorkContext = {
    signal: context.signal,
    progress: (done, total) => context.progress('Restoring contacts', done, total),
    log: (line) => context.log(line),
  };
  context.progress('Planning', 0);
  const target = await resolveTarget(session, params);
  const { plan, existing } = await buildPlan(session, params, target, workContext);
  const counts = planCounts(plan);
  context.log(`Plan: create ${counts.create}, update ${counts.update}, skip ${counts.skip}.`);
  const journal = await RestoreJournal.open(session.vault.folder, params.runId, session.vault.fileKey());
  let report: RestoreReport;
  try {
    report = await executeRestore({
      plan,
      writer: withTestKillPoint(target.writer),
      sameUser: target.sameUser,
      runId: params.runId,
      journal,
      blobs: session.vault.blobs,
      context: workContext,
      now: () => session.ports.clock.now(),
      onProgress: (progress) => {
        context.setCount('created', progress.created);
        context.setCount('updated', progress.updated);
        context.setCount('skipped', progress.skipped);
        context.setCount('failed', progress.failed);
      },
    });
    await target.finish();
  } catch (error) {
    // Kept for the resume: it says what this run already wrote.
    await journal.close();
    throw error;
  }
  const written = report.written ?? {};
  if (target.sameUser) {
    const moved = await relink(session, params, plan, existing, written);
    if (moved)
      context.log(`${count(moved, 'restored contact')} linked to their history for the next backup.`);
  }
  if (!target.keepsUid && Object.keys(written).length) {
    // One entry per (target, contact), written once per run: bounded by the address book, not by
    // the number of restores. Targets that keep UIDs need none (they are matched by UID).
    const stored = await links(session);
    for (const [contactId, targetId] of Object.entries(written))
      stored.data.links[linkKey(target.key, contactId)] = targetId;
    await stored.write();
  }
  await journal.remove();
  context.setCount('created', report.created);
  context.setCount('updated', report.updated);
  context.setCount('skipped', report.skipped);
  context.setCount('failed', report.failed);
  context.setCount('folders', report.foldersCreated);
  for (const failure of report.failures.slice(0, 50))
    context.log(`Failed: ${failure.name}: ${failure.reason}`);
  if (report.unmappedFields.length)
    context.log(`Not restored (the target cannot hold them): ${report.unmappedFields.join(', ')}.`);
  const sentence = restoreSentence(report);
  context.log(sentence);
  await session.audit.record(
    'restore',
    `Restore into ${target.sameUser ? 'the same user' : target.label} from ${splitUserKey(params.userKey).accountId}: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped, ${report.failed} failed.`,
  );
  const { written: _written, ...result } = report;
  return { ...result, summary: sentence };
}
