/**
 * One descriptor per source kind (providers/provider-descriptor.ts). The factory, the licensing,
 * the account listing, the API's `providers.list` / `accounts.connect`, the CLI's `account add` and
 * the app's connect list read this table; adding a source is its folder plus one line in `builtIn`.
 * `registerProvider` adds a kind at run time (tests; it returns the function that removes it).
 */
import { z } from 'zod';
import type { ProviderDescriptor, ProviderInfo } from '../providers/provider-descriptor';
import { createSampleProvider } from '../providers/vcard/sample';
import { createVcardProvider } from '../providers/vcard/vcard-provider';
import { createPstProvider } from '../providers/pst/pst-provider';
import { createGoogleProvider, type GoogleAccountSettings } from '../providers/google';
import { createMicrosoftProvider, type MicrosoftAccountSettings } from '../providers/microsoft';
import { cardDavDescriptor } from '../providers/carddav';

const sample: ProviderDescriptor<Record<string, never>> = {
  kind: 'sample',
  displayName: 'Sample address book',
  description: 'A built-in address book of 340 contacts, to try every feature.',
  settingsSchema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  create: (_settings, deps) => createSampleProvider(deps.paths.sampleAddressBook),
  seatSource: () => 'own',
  capabilities: { writable: false, folders: true, photos: true },
  connect: { flow: 'builtin' },
};

const vcard: ProviderDescriptor<{ path: string; skipMalformed?: boolean }> = {
  kind: 'vcard',
  displayName: 'vCard file or folder',
  description: 'A .vcf file or a folder of them.',
  settingsSchema: z.object({ path: z.string().min(1), skipMalformed: z.boolean().optional() }),
  create: (settings) => createVcardProvider({ path: settings.path }),
  seatSource: () => 'own',
  capabilities: { writable: true, folders: true, photos: true },
  connect: { flow: 'file' },
};

const pst: ProviderDescriptor<{ path: string }> = {
  kind: 'pst',
  displayName: 'Outlook PST file',
  description: 'An existing Outlook archive, read-only.',
  settingsSchema: z.object({ path: z.string().min(1) }),
  create: (settings) => createPstProvider(settings.path),
  seatSource: () => 'own',
  capabilities: { writable: false, folders: true, photos: true },
  connect: { flow: 'file' },
};

// Google and Microsoft settings have many optional endpoints; the schema checks what decides the
// flow and keeps the rest as stored (their own modules read them).
const google: ProviderDescriptor<GoogleAccountSettings> = {
  kind: 'google',
  displayName: 'Google',
  description: 'Google Contacts, or every user of a Google Workspace domain.',
  settingsSchema: z
    .object({ clientId: z.string().min(1), mode: z.enum(['personal', 'workspace']) })
    .passthrough() as unknown as z.ZodType<GoogleAccountSettings>,
  create: (settings, deps) => createGoogleProvider(settings, deps.secrets, { clock: deps.clock }),
  seatSource: (settings) => (settings.mode === 'workspace' ? 'directory' : 'own'),
  capabilities: { writable: true, folders: true, photos: true },
  connect: { flow: 'sign-in' },
  renewal: (settings) => (settings.mode === 'workspace' ? 'key-file' : 'browser'),
};

const microsoft: ProviderDescriptor<MicrosoftAccountSettings> = {
  kind: 'microsoft',
  displayName: 'Microsoft 365 / Outlook.com',
  description: 'Outlook contacts, or every user of a Microsoft 365 tenant.',
  settingsSchema: z
    .object({ clientId: z.string().min(1), mode: z.enum(['personal', 'tenant']) })
    .passthrough() as unknown as z.ZodType<MicrosoftAccountSettings>,
  create: (settings, deps) => createMicrosoftProvider(settings, deps.secrets, { clock: deps.clock }),
  seatSource: (settings) => (settings.mode === 'tenant' ? 'directory' : 'own'),
  capabilities: { writable: true, folders: true, photos: true },
  connect: { flow: 'sign-in' },
  renewal: (settings) => (settings.mode === 'tenant' ? 'client-secret' : 'browser'),
};

/** Forgets a descriptor's settings type: the factory parses settings with its schema first. */
function erased<S>(descriptor: ProviderDescriptor<S>): ProviderDescriptor<unknown> {
  return descriptor as unknown as ProviderDescriptor<unknown>;
}

/** The built-in kinds, in the order the app lists them. Adding a source: one line here. */
const builtIn: readonly ProviderDescriptor<unknown>[] = [
  erased(sample),
  erased(vcard),
  erased(pst),
  erased(google),
  erased(microsoft),
  erased(cardDavDescriptor),
];

const registry = new Map<string, ProviderDescriptor<unknown>>(builtIn.map((entry) => [entry.kind, entry]));

/** Adds (or replaces) a kind; returns the function that restores the previous state. */
export function registerProvider<S>(descriptor: ProviderDescriptor<S>): () => void {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(descriptor.kind))
    throw new Error(`"${descriptor.kind}" is not a valid kind.`);
  const previous = registry.get(descriptor.kind);
  registry.set(descriptor.kind, erased(descriptor));
  return () => {
    if (previous) registry.set(descriptor.kind, previous);
    else registry.delete(descriptor.kind);
  };
}

/** The descriptor of a kind, or undefined for a kind this version does not know. */
export function descriptorOf(kind: string): ProviderDescriptor<unknown> | undefined {
  return registry.get(kind);
}

/** Every registered descriptor, built-in kinds first. */
export function providerDescriptors(): ProviderDescriptor<unknown>[] {
  return [...registry.values()];
}

/** The public part of every descriptor (API `providers.list`, the CLI and the connect list). */
export function providerInfos(): ProviderInfo[] {
  return providerDescriptors().map((entry) => ({
    kind: entry.kind,
    displayName: entry.displayName,
    description: entry.description,
    capabilities: entry.capabilities,
    connect: { flow: entry.connect.flow, fields: entry.connect.flow === 'form' ? entry.connect.fields : [] },
  }));
}
