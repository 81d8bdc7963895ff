/**
 * Builds the provider for an account record. The only place that knows every source kind, so the
 * engines stay source-agnostic (provider.ts).
 */
import type { ContactProvider } from '../providers/provider';
import type { AccountSecrets, Clock, OpenBrowser } from '../ports';
import { createSampleProvider } from '../providers/vcard/sample';
import { createVcardProvider } from '../providers/vcard/vcard-provider';
import type { AccountRecord } from './types';

export interface ProviderDeps {
  readonly clock: Clock;
  readonly openBrowser: OpenBrowser;
  readonly secrets: AccountSecrets;
}

export function createProvider(account: AccountRecord, deps: ProviderDeps): ContactProvider {
  void deps;
  switch (account.kind) {
    case 'sample':
      return createSampleProvider();
    case 'vcard':
      return createVcardProvider({ path: String(account.settings.path) });
    default:
      throw new Error(`This version cannot back up ${account.kind} accounts yet.`);
  }
}
