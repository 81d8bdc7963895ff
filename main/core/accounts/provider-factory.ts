/**
 * Builds the provider for an account record from its kind's descriptor (provider-registry.ts), with
 * the stored settings checked against the kind's schema, so the engines stay source-agnostic.
 */
import type { ContactProvider } from '../providers/provider';
import { ProviderError } from '../providers/provider';
import type { ProviderDeps } from '../providers/provider-descriptor';
import type { AccountRecord } from './types';
import { descriptorOf } from './provider-registry';

export type { ProviderDeps } from '../providers/provider-descriptor';

export function createProvider(account: AccountRecord, deps: ProviderDeps): ContactProvider {
  const descriptor = descriptorOf(account.kind);
  if (!descriptor) throw new Error(`This version cannot back up ${account.kind} accounts.`);
  const parsed = descriptor.settingsSchema.safeParse(account.settings);
  if (!parsed.success) {
    throw new ProviderError(
      'invalid-input',
      `The settings of the account "${account.label}" are not valid for ${descriptor.displayName}; remove it and connect it again.`,
    );
  }
  return descriptor.create(parsed.data, deps);
}

/** Whether users of this account come from an organisation's directory (and need seats). */
export function seatSourceOf(account: AccountRecord): 'own' | 'directory' {
  const descriptor = descriptorOf(account.kind);
  if (descriptor) {
    const parsed = descriptor.settingsSchema.safeParse(account.settings);
    return parsed.success ? descriptor.seatSource(parsed.data) : 'own';
  }
  // Kinds with no descriptor (the tests' in-memory 'test' accounts) say so in settings.mode.
  const mode = account.settings.mode;
  return mode === 'workspace' || mode === 'tenant' ? 'directory' : 'own';
}
