/**
 * Retention from the app (issue 16 item 1): the policy, as a sentence, and what its next run would
 * remove, so a person sees the consequence before the next backup applies it.
 */
import type { RetentionSettingsView, RetentionView } from '../contract/contract-types';
import {
  DEFAULT_RETENTION,
  describeRetention,
  retentionDrops,
  type RetentionSettings,
} from '../history/retention';
import type { ProfileSession } from './profile-session';

/** The profile's retention policy and what the next run (after the next backup) would remove. */
export async function retentionView(session: ProfileSession): Promise<RetentionView> {
  const settings = session.settings.get().retention ?? DEFAULT_RETENTION;
  await session.history.ready();
  const drops = retentionDrops(session.history.index, settings, session.ports.clock.now());
  return {
    settings,
    description: capitalise(describeRetention(settings)),
    nextRun: { revisions: drops.versions.size, contacts: drops.contacts.size },
  };
}

/**
 * Saves the policy. Nothing is removed now: each backup applies it to its user, so a mistaken
 * setting can still be undone before the next backup runs.
 */
export async function setRetention(
  session: ProfileSession,
  settings: RetentionSettingsView,
): Promise<RetentionView> {
  const retention: RetentionSettings = {
    policy: settings.policy,
    ...(settings.deletedKeepDays !== undefined ? { deletedKeepDays: settings.deletedKeepDays } : {}),
    ...(settings.purgeDelayDays !== undefined ? { purgeDelayDays: settings.purgeDelayDays } : {}),
  };
  await session.settings.update((data) => {
    data.retention = retention;
  });
  await session.audit.record('setting', `Retention set: ${describeRetention(retention)}`);
  return retentionView(session);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
