/**
 * The tray: Back up now, open the window, open the Task Manager, and the last backup time and state
 * in the tooltip; the icon changes while a job runs or after a failure.
 */
import { Menu, Tray, nativeImage } from 'electron';
import type { JobRecord } from '../core/jobs/types';

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
    return { tooltip: `Contacts Backup – ${running.length} job(s) running\n${last}`, icon: 'busy' };
  return { tooltip: `Contacts Backup\n${last}`, icon: lastBackup?.state === 'failed' ? 'failed' : 'idle' };
}

export function createTray(
  iconPaths: Record<'idle' | 'busy' | 'failed', string>,
  actions: TrayActions,
): {
  update(jobs: readonly JobRecord[]): void;
  destroy(): void;
} {
  const tray = new Tray(nativeImage.createFromPath(iconPaths.idle));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Back up now', click: actions.backUpNow },
      { label: 'Open Contacts Backup', click: actions.openMain },
      { label: 'Task Manager', click: actions.openTaskManager },
      { type: 'separator' },
      { label: 'Quit', click: actions.quit },
    ]),
  );
  tray.on('click', actions.openMain);
  return {
    update(jobs) {
      const state = trayState(jobs);
      tray.setToolTip(state.tooltip);
      tray.setImage(nativeImage.createFromPath(iconPaths[state.icon]));
    },
    destroy: () => tray.destroy(),
  };
}
