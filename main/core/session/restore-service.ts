/**
 * Restore for the API and the CLI: Restore All, Restore Folder, selected contacts, one version;
 * to a point in time; into the same user, another user or another provider; in new-folder,
 * overwrite or skip mode. Preview computes the plan; the job recomputes it and carries it out.
 */
import { randomUUID } from 'node:crypto';
import type { RestorePlanView, RestoreRequest } from '../api/contract-types';
import { ApiFailure } from '../api/api-failure';
import type { JobContext } from '../jobs/job-registry';
import type { JobRecord } from '../jobs/types';
import {
  identityOf,
  journalKey,
  planCounts,
  planRestore,
  selectContacts,
  type RestorePlan,
} from '../restore/restore-plan';
import { executeRestore, type RestoreJournalFile } from '../restore/restore-engine';
import type { ContactWriter, WorkContext } from '../providers/provider';
import { splitUserKey } from '../history/types';
import { findUser, providerFor } from './account-service';
import { userLabel } from './backup-service';
import type { ProfileSession } from './profile-session';

export interface RestoreParams extends RestoreRequest {
  readonly runId: string;
  readonly snapshotId?: string;
}

function journal(session: ProfileSession) {
  return session.vault.database<RestoreJournalFile>('restore-journal', { version: 1, entries: {} });
}

function targetWriter(session: ProfileSession, targetUserKey: string): ContactWriter {
  const { account, user } = findUser(session, targetUserKey);
  const writer = providerFor(session, account).writer(user.id);
  if (!writer) {
    throw new ApiFailure(
      'not-writable',
      `${account.label} is read-only: restore into another account or export instead.`,
    );
  }
  return writer;
}

function quietContext(signal = new AbortController().signal): WorkContext {
  return { signal, progress: () => undefined, log: () => undefined };
}

/** Builds the plan, asking the target which of the contacts it might match still exist. */
async function buildPlan(
  session: ProfileSession,
  params: RestoreParams,
  context: WorkContext,
): Promise<RestorePlan> {
  const sourceUserKey = params.userKey;
  findUser(session, sourceUserKey);
  // A damaged segment of this user up to that moment: the plan could miss contacts, so say so.
  session.history.assertReadable(sourceUserKey, params.at);
  const targetUserKey = params.target ?? sourceUserKey;
  const writer = targetWriter(session, targetUserKey);
  const mode = params.mode ?? 'new-folder';
  const selection = {
    sourceUserKey,
    scope: params.scope,
    folderId: params.folderId,
    contactIds: params.contactIds,
    at: params.at,
    snapshotId: params.snapshotId,
    onlyDeleted: params.onlyDeleted,
  };
  if (params.scope === 'folder' && !params.folderId)
    throw new ApiFailure('invalid-request', 'Choose the folder to restore.');
  if (params.scope === 'contacts' && !params.contactIds?.length) {
    throw new ApiFailure('invalid-request', 'Select the contacts to restore.');
  }
  const entries = (await journal(session)).data.entries;
  const journalMap = new Map(Object.entries(entries));
  const selected = selectContacts(session.history.index, selection);
  const sameUser = targetUserKey === sourceUserKey;
  const candidates = new Set<string>();
  for (const item of selected) {
    for (const key of [
      journalKey(targetUserKey, item.contactId),
      journalKey(targetUserKey, item.contactId, params.runId),
    ]) {
      const fromJournal = journalMap.get(key);
      if (fromJournal) candidates.add(fromJournal);
    }
    if (sameUser) candidates.add(item.sourceId);
  }
  if (mode !== 'new-folder' && !sameUser) {
    const identities = new Set(selected.map((item) => identityOf(item.contact)).filter(Boolean));
    for (const state of session.history.index.contactsAt(new Set([targetUserKey]))) {
      if (!state.deleted && identities.has(identityOf(state.version.contact)))
        candidates.add(state.history.sourceId);
    }
  }
  const existing = candidates.size ? await writer.existing([...candidates], context) : new Set<string>();
  return planRestore(
    session.history.index,
    selection,
    mode,
    targetUserKey,
    {
      sameUser,
      existing,
      journal: journalMap,
      targetIndexUserKey: targetUserKey,
      unsupportedFields: (contact) => writer.unsupportedFields(contact),
    },
    params.runId,
  );
}

export async function previewRestore(
  session: ProfileSession,
  request: RestoreRequest,
): Promise<RestorePlanView> {
  const plan = await buildPlan(session, { ...request, runId: 'preview' }, quietContext());
  const counts = planCounts(plan);
  return {
    ...counts,
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
  const targetKey = request.target ?? request.userKey;
  const target = findUser(session, targetKey);
  targetWriter(session, targetKey);
  const what =
    request.scope === 'all'
      ? 'all contacts'
      : request.scope === 'folder'
        ? 'a folder'
        : `${request.contactIds?.length ?? 0} contact(s)`;
  const into =
    targetKey === request.userKey ? '' : ` into ${userLabel(target.user)} (${target.account.label})`;
  const params: RestoreParams = { ...request, runId: randomUUID() };
  return session.jobs.enqueue({
    kind: 'restore',
    title: `Restore ${what} of ${userLabel(source.user)}${into}`,
    scope: {
      accountId: target.account.id,
      userId: target.user.id,
      folderIds: request.folderId ? [request.folderId] : undefined,
      contactIds: request.contactIds,
    },
    origin,
    urgent: true,
    params,
    // Writes to one user go one at a time (Google asks for sequential mutations per user).
    lockKey: targetKey,
  }).job;
}

export async function restoreJob(
  session: ProfileSession,
  context: JobContext,
  raw: unknown,
): Promise<unknown> {
  const params = raw as RestoreParams;
  const targetUserKey = params.target ?? params.userKey;
  const workContext: WorkContext = {
    signal: context.signal,
    progress: (done, total) => context.progress('Restoring contacts', done, total),
    log: (line) => context.log(line),
  };
  context.progress('Planning', 0);
  const plan = await buildPlan(session, params, workContext);
  const counts = planCounts(plan);
  context.log(`Plan: create ${counts.create}, update ${counts.update}, skip ${counts.skip}.`);
  const report = await executeRestore({
    plan,
    writer: targetWriter(session, targetUserKey),
    targetUserKey,
    sameUser: targetUserKey === params.userKey,
    runId: params.runId,
    journal: await journal(session),
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
  context.setCount('created', report.created);
  context.setCount('updated', report.updated);
  context.setCount('skipped', report.skipped);
  context.setCount('failed', report.failed);
  context.setCount('folders', report.foldersCreated);
  for (const failure of report.failures.slice(0, 50))
    context.log(`Failed: ${failure.name}: ${failure.reason}`);
  if (report.unmappedFields.length)
    context.log(`Not restored (the target cannot hold them): ${report.unmappedFields.join(', ')}.`);
  const target = findUser(session, targetUserKey);
  await session.audit.record(
    'restore',
    `Restore into ${userLabel(target.user)} (${target.account.label}) from ${splitUserKey(params.userKey).accountId}: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped, ${report.failed} failed.`,
  );
  return report;
}
