/**
 * Every sentence the licensing code shows to a user, in one place (style.md: user-visible strings in
 * one module). Each refusal says why and what to do next.
 */

const enterKey = 'Enter a licence key in Settings > Licence.';

export const licenceMessages = {
  invalid: {
    malformed: `This is not a Contacts Backup licence key: check that it was copied completely. ${enterKey}`,
    'wrong-signature':
      'This licence key was not issued for this build of Contacts Backup. Use the key from your purchase e-mail.',
    tampered: 'This licence key has been changed since it was issued. Use the key from your purchase e-mail.',
    'wrong-product': 'This licence key is for another product. Use the key for Contacts Backup.',
  },
  unknownUser: (userId: string) =>
    `The user ${userId} is not connected to this profile. Refresh the user list on the Dashboard.`,
  needsBusinessLicence: (email: string) =>
    `Backing up ${email} from a Google Workspace domain or Microsoft 365 tenant needs a business licence. ${enterKey}`,
  invalidLicence: (email: string, reason: string) => `${email} cannot be backed up: ${reason}`,
  personalLicence: (email: string) =>
    `Your licence is for the personal edition, which backs up your own accounts only. A business licence is needed to back up ${email}.`,
  expired: (email: string, expiresAt: string) =>
    `Backups for ${email} are paused because the licence expired on ${expiresAt.slice(0, 10)}. ` +
    `Browsing, restore and export still work. Enter a renewed key in Settings > Licence.`,
  notEnabled: (email: string) =>
    `Contacts backup is not enabled for ${email}. Enable the user on the Dashboard, then try again.`,
  suspended: (email: string) =>
    `${email} is suspended in the directory, so their contacts cannot be read. Backups resume when the account is active again.`,
  notCovered: (email: string, enabled: number, seats: number) =>
    `${email} is not covered by the licence: ${enabled} users are enabled but the licence has ${seats} seats. ` +
    `Disable ${enabled - seats} users on the Dashboard or buy more seats.`,
  enableNeedsLicence: `Enabling users of a Google Workspace domain or Microsoft 365 tenant needs a valid business licence. ${enterKey}`,
  overSeats: (asked: number, free: number, seats: number) =>
    `You chose ${asked} users but only ${free} of the licence's ${seats} seats are free. ` +
    `Nothing was changed: disable other users first or buy more seats.`,
} as const;
