/**
 * The tray: "Next backup at ...", Back up now, open the window, open the Task Manager, and the last
 * backup time and state in the tooltip; the icon changes while a job runs or after a failure.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { NextBackupView } from '../core/contract/contract-types';
import type { JobRecord } from '../core/jobs/types';
import { count } from '../core/plural';

export interface TrayActions {
  backUpNow(): void;
  openMain(): void;
  openTaskManager(): void;
  quit(): void;
}

/** The tooltip and icon state for a job list; pure so it is unit-tested. */
export function trayState(jobs: readonly JobRecord[]): { tooltip: string; icon: 'idle' | 'busy' | 'failed' } {
  const running = jobs.filter((job) => job.state === 'running' || job.state === 'queued');
  const lastBackup = jobs.find((job) => job.kind === 'backup' && job.finishedAt);
  const last = lastBackup
    ? `Last backup: ${new Date(lastBackup.finishedAt!).toLocaleString()} (${lastBackup.state})`
    : 'No backup yet';
  if (running.length)
    return { tooltip: `Contacts Backup – ${count(running.length, 'job')} running\n${last}`, icon: 'busy' };
  return { tooltip: `Contacts Backup\n${last}`, icon: lastBackup?.state === 'failed' ? 'failed' : 'idle' };
}

/** The menu's first line, from the core's next scheduled backup; pure so it is unit-tested. */
export function nextBackupLabel(next: NextBackupView | undefined): string {
  if (!next) return 'Locked: unlock to run scheduled backups';
  return next.at ? `Next backup at ${new Date(next.at).toLocaleString()}` : 'No backup scheduled';
}

export function createTray(
  iconPaths: Record<'idle' | 'busy' | 'failed', string>,
  actions: TrayActions,
): {
  update(jobs: readonly JobRecord[]): void;
  /** Rebuilds the menu with the next backup time (after a backup, a schedule change, unlock, lock). */
  setNextBackup(next: NextBackupView | undefined): void;
  destroy(): void;
} {
  const tray = new Tray(nativeImage.createFromPath(iconPaths.idle));
  const buildMenu = (next: NextBackupView | undefined) =>
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: nextBackupLabel(next), enabled: false },
        { type: 'separator' },
        { label: 'Back up now', click: actions.backUpNow },
        { label: 'Open Contacts Backup', click: actions.openMain },
        { label: 'Task Manager', click: actions.openTaskManager },
        { type: 'separator' },
        { label: 'Quit', click: actions.quit },
      ]),
    );
  buildMenu(undefined);
  tray.on('click', actions.openMain);
  return {
    setNextBackup: buildMenu,
    update(jobs) {
      const state = trayState(jobs);
      tray.setToolTip(state.tooltip);
      tray.setImage(nativeImage.createFromPath(iconPaths[state.icon]));
    },
    destroy: () => tray.destroy(),
  };
}
