/**
 * One handler per channel: the thin layer between validated requests and the core's services.
 * The mapped type over the channel table (contract/channels.ts) makes a missing handler, one for a
 * channel that does not exist, or one whose answer does not fit the channel's response schema a
 * compile error.
 */
import type { AppCore } from '../app';
import type { Channel, ParsedRequestOf, ResponseOf } from '../contract/channels';
import {
  accountViews,
  accountViewsNow,
  contactGet,
  contactsGetMany,
  contactIdsNow,
  contactsListNow,
  folderViewsNow,
  snapshotViews,
} from '../session/browse-service';
import {
  addPstAccount,
  addSampleAccount,
  addVcardAccount,
  connectAccount,
  reconnectFormAccount,
  removeAccount,
} from '../session/account-service';
import { providerInfos } from '../accounts/provider-registry';
import { applyRetention, configureBackup, enqueueBackup } from '../session/backup-service';
import { clearExclusions, excludedSourceIds } from '../session/exclusion-service';
import { enqueueRestore, previewRestore, restoreTargets } from '../session/restore-service';
import { enqueueExport } from '../session/export-service';
import { enqueueDelete } from '../session/delete-service';
import { installLicence, licenceStatus, refreshUsers, setUsersEnabled } from '../session/licence-service';
import { nextBackup, scheduleView, setSchedule } from '../session/schedule-service';
import { retentionView, setRetention } from '../session/retention-service';
import { changeProfilePassword, deleteProfile, renameProfile } from '../session/profile-service';
import type { BackupSchedule } from '../schedule/schedule';
import { enqueueCheck, settingsView, snapshotDiff, updateSettings } from '../session/maintenance-service';
import {
  cancelSignIn,
  connectFromWindow,
  connectTenantFromWindow,
  connectWorkspaceFromWindow,
  reconnectFromWindow,
  signInOptions,
} from '../session/sign-in-service';

/**
 * Who started a job a handler enqueues: the CLI's own router says 'cli' (the job log and audit
 * read "Created by cli"), every window says 'user'.
 */
function originOf(app: AppCore): 'user' | 'cli' {
  return app.ports.host === 'cli' ? 'cli' : 'user';
}

/** A handler gets the request as the router parsed it and answers what the response schema says. */
export type Handlers = {
  [C in Channel]: (app: AppCore, request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
};

/** The handler table the router dispatches through: one entry per channel, no more, no less. */
export const handlers: Handlers = {
  'app.status': async (app) => ({
    version: app.version,
    host: app.ports.host,
    profiles: (await app.profiles.list()).map(({ id, name, createdAt }) => ({ id, name, createdAt })),
    session: app.sessionView(),
  }),
  'diagnostics.report': async (app) => ({ report: await app.diagnosticReport() }),
  'profile.create': async (app, request) => {
    await app.createProfile(request.name, request.password);
    return app.sessionView()!;
  },
  'profile.unlock': async (app, request) => {
    await app.unlock(request.profileId, request.password, { historyInBackground: true });
    return app.sessionView()!;
  },
  'profile.createRecoveryKey': async (app, request) => ({
    recoveryKey: await app.createRecoveryKey(request.password),
  }),
  'profile.unlockWithRecoveryKey': async (app, request) => {
    await app.unlockWithRecoveryKey(request.profileId, request.recoveryKey, request.newPassword, {
      historyInBackground: true,
    });
    return app.sessionView()!;
  },
  'profile.lock': async (app) => {
    await app.lock();
    return null;
  },
  'accounts.list': async (app) => accountViewsNow(app.requireSession()),
  'accounts.addSample': async (app) => {
    const session = app.requireSession();
    const account = await addSampleAccount(session);
    return accountViews(session).find((view) => view.id === account.id)!;
  },
  'accounts.addVcard': async (app, request) => {
    const session = app.requireSession();
    const account = await addVcardAccount(session, request.path, request.label);
    return accountViews(session).find((view) => view.id === account.id)!;
  },
  'accounts.remove': async (app, request) => {
    await removeAccount(app.requireSession(), request.accountId);
    return null;
  },
  'providers.list': async (app) => {
    app.requireSession();
    return providerInfos();
  },
  'accounts.connectForm': async (app, request) => {
    const session = app.requireSession();
    if (request.accountId) {
      const again = await reconnectFormAccount(session, request.accountId, request.values, request.secret);
      return accountViews(session).find((view) => view.id === again.id)!;
    }
    const account = await connectAccount(
      session,
      request.kind,
      request.values,
      request.secret,
      request.label,
    );
    return accountViews(session).find((view) => view.id === account.id)!;
  },
  'backup.configure': async (app, request) => ({
    jobs: await configureBackup(app.requireSession(), request),
  }),
  'backup.run': async (app, request) => enqueueBackup(app.requireSession(), request, originOf(app), true).job,
  'contacts.list': async (app, request) => contactsListNow(app.requireSession(), request),
  'contacts.ids': async (app, request) => contactIdsNow(app.requireSession(), request),
  'contacts.get': async (app, request) => contactGet(app.requireSession(), request),
  'contacts.getMany': async (app, request) => contactsGetMany(app.requireSession(), request),
  'folders.list': async (app, request) => folderViewsNow(app.requireSession(), request.userKey, request.at),
  'snapshots.list': async (app, request) => snapshotViews(app.requireSession(), request.userKey),
  'tasks.list': async (app) => app.requireSession().jobs.list(),
  'tasks.cancel': async (app, request) => app.requireSession().jobs.cancel(request.id),
  'tasks.resume': async (app, request) => app.requireSession().jobs.retry(request.id, originOf(app)).job,
  'restore.preview': async (app, request) => previewRestore(app.requireSession(), request),
  'restore.start': async (app, request) => enqueueRestore(app.requireSession(), request, originOf(app)),
  'restore.targets': async (app, request) => restoreTargets(app.requireSession(), request.userKey),
  'export.start': async (app, request) => enqueueExport(app.requireSession(), request, originOf(app)),
  'delete.start': async (app, request) => enqueueDelete(app.requireSession(), request, originOf(app)),
  'audit.list': async (app, request) =>
    app
      .requireSession()
      .audit.list({ search: request.search })
      .map(({ at, action, description }) => ({ at, action, description })),
  'licence.status': async (app) => licenceStatus(app.requireSession()),
  'licence.install': async (app, request) => installLicence(app.requireSession(), request.key),
  'users.setEnabled': async (app, request) =>
    setUsersEnabled(app.requireSession(), request.accountId, request.userIds, request.enabled),
  'users.refresh': async (app, request) => refreshUsers(app.requireSession(), request.accountId),
  'schedule.get': async (app, request) => scheduleView(app.requireSession(), request.userKey),
  'schedule.set': async (app, request) =>
    setSchedule(app.requireSession(), request.userKey, request.schedule as BackupSchedule, {
      enabled: request.enabled,
      catchUp: request.catchUp,
    }),
  'settings.get': async (app) => settingsView(app.requireSession()),
  'settings.set': async (app, request) => updateSettings(app.requireSession(), request),
  'snapshots.diff': async (app, request) =>
    snapshotDiff(app.requireSession(), request.userKey, request.from, request.to),
  'export.choosePath': async (app, request) => {
    app.requireSession();
    if (!app.ports.chooseSavePath) return { available: false };
    const extension = { pst: 'pst', vcf: 'vcf', vcf3: 'vcf', 'csv-google': 'csv', 'csv-outlook': 'csv' }[
      request.format
    ];
    const path = await app.ports.chooseSavePath({
      defaultName: request.suggestedName ?? `contacts.${extension}`,
      extension,
    });
    return { available: true, path };
  },
  'check.start': async (app, request) =>
    enqueueCheck(app.requireSession(), request.repair ?? false, originOf(app)),
  'accounts.signInOptions': async (app) => {
    app.requireSession();
    return signInOptions(app);
  },
  'accounts.connect': async (app, request) => connectFromWindow(app, request),
  'accounts.reconnect': async (app, request) => reconnectFromWindow(app, request),
  'accounts.cancelSignIn': async (app) => {
    cancelSignIn(app);
    return null;
  },
  'accounts.connectWorkspace': async (app, request) => connectWorkspaceFromWindow(app, request),
  'accounts.connectTenant': async (app, request) => connectTenantFromWindow(app, request),
  'schedule.next': async (app) => nextBackup(app.requireSession()),
  'retention.get': async (app) => retentionView(app.requireSession()),
  'retention.set': async (app, request) => setRetention(app.requireSession(), request),
  'retention.apply': async (app) => {
    const { revisionsRemoved, contactsRemoved } = await applyRetention(app.requireSession());
    // Every window's lists, counts and versions refresh, as after a job that changed the backup.
    if (revisionsRemoved || contactsRemoved) app.emit('history.changed', { kind: 'retention' });
    return { revisionsRemoved, contactsRemoved };
  },
  'exclusions.list': async (app, request) => ({
    sourceIds: [...(await excludedSourceIds(app.requireSession(), request.userKey))],
  }),
  'exclusions.clear': async (app, request) => ({
    cleared: await clearExclusions(app.requireSession(), request.userKey),
  }),
  'profile.rename': async (app, request) => renameProfile(app, request.name),
  'profile.changePassword': async (app, request) =>
    changeProfilePassword(app, request.currentPassword, request.newPassword),
  'profile.delete': async (app, request) => deleteProfile(app, request.profileId, request.password),
  'source.choosePath': async (app, request) => {
    app.requireSession();
    if (!app.ports.chooseOpenPath) return { available: false };
    const path = await app.ports.chooseOpenPath(
      request.kind === 'pst'
        ? { title: 'Choose an Outlook PST file', filterName: 'Outlook data file', extensions: ['pst'] }
        : { title: 'Choose a vCard file', filterName: 'vCard', extensions: ['vcf', 'vcard'] },
    );
    return { available: true, path };
  },
  'accounts.addPst': async (app, request) => {
    const session = app.requireSession();
    const account = await addPstAccount(session, request.path, request.label);
    return accountViews(session).find((view) => view.id === account.id)!;
  },
};
