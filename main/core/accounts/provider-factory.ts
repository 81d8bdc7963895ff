/**
 * Builds the provider for an account record. The only place that knows every source kind, so the
 * engines stay source-agnostic (provider.ts).
 */
import type { ContactProvider } from '../providers/provider';
import type { AccountSecrets, Clock, OpenBrowser, Paths } from '../ports';
import { createSampleProvider } from '../providers/vcard/sample';
import { createVcardProvider } from '../providers/vcard/vcard-provider';
import { createPstProvider } from '../providers/pst/pst-provider';
import { createGoogleProvider, type GoogleAccountSettings } from '../providers/google';
import { createMicrosoftProvider, type MicrosoftAccountSettings } from '../providers/microsoft';
import type { AccountRecord } from './types';

export interface ProviderDeps {
  readonly clock: Clock;
  readonly openBrowser: OpenBrowser;
  readonly secrets: AccountSecrets;
  /** The host's paths: the sample address book ships with the app, wherever it is installed. */
  readonly paths: Pick<Paths, 'sampleAddressBook'>;
}

export function createProvider(account: AccountRecord, deps: ProviderDeps): ContactProvider {
  switch (account.kind) {
    case 'sample':
      return createSampleProvider(deps.paths.sampleAddressBook);
    case 'vcard':
      return createVcardProvider({ path: String(account.settings.path) });
    case 'pst':
      return createPstProvider(String(account.settings.path));
    case 'google':
      return createGoogleProvider(account.settings as unknown as GoogleAccountSettings, deps.secrets, {
        clock: deps.clock,
      });
    case 'microsoft':
      return createMicrosoftProvider(account.settings as unknown as MicrosoftAccountSettings, deps.secrets, {
        clock: deps.clock,
      });
    default:
      throw new Error(`This version cannot back up ${account.kind} accounts.`);
  }
}
