/**
 * The CardDAV source's registry entry: a form (server preset, server address, user name, app
 * password), a provider per account, own-licence users, writable, address books as folders, photos.
 */
import { ProviderError } from '../provider';
import type { ProviderDescriptor } from '../provider-descriptor';
import { createCardDavProvider } from './carddav-provider';
import {
  CARDDAV_PRESETS,
  cardDavSettingsSchema,
  serverUrlFor,
  type CardDavAccountSettings,
  type CardDavPreset,
  type CardDavSecrets,
} from './settings';

const presets = Object.keys(CARDDAV_PRESETS) as CardDavPreset[];

export const cardDavDescriptor: ProviderDescriptor<CardDavAccountSettings> = {
  kind: 'carddav',
  displayName: 'CardDAV (iCloud, Fastmail, Nextcloud, other servers)',
  description: 'Address books on any CardDAV server, signed in with an app-specific password.',
  settingsSchema: cardDavSettingsSchema,
  create: (settings, deps) => createCardDavProvider(settings, deps.secrets),
  seatSource: () => 'own',
  capabilities: { writable: true, folders: true, photos: true },
  connect: {
    flow: 'form',
    fields: [
      {
        name: 'preset',
        label: 'Server',
        type: 'select',
        required: true,
        defaultValue: 'other',
        options: presets.map((value) => ({ value, label: CARDDAV_PRESETS[value].name })),
      },
      {
        name: 'server',
        label: 'Server address',
        type: 'url',
        required: true,
        placeholder: 'https://cloud.example.com',
        showWhen: { field: 'preset', values: ['nextcloud', 'other'] },
      },
      { name: 'user', label: 'User name', type: 'text', required: true, placeholder: 'you@example.com' },
      { name: 'password', label: 'App password', type: 'password', required: true, secret: true },
    ],
    valuesOf(settings) {
      const parsed = cardDavSettingsSchema.safeParse(settings);
      if (!parsed.success) return {};
      const { preset, serverUrl, username } = parsed.data;
      return { preset, user: username, ...(CARDDAV_PRESETS[preset].url ? {} : { server: serverUrl }) };
    },
    prepare(values, secret) {
      const preset = (values.preset || 'other') as CardDavPreset;
      if (!presets.includes(preset)) {
        throw new ProviderError('invalid-input', `Choose a server from the list (${presets.join(', ')}).`);
      }
      const serverUrl = serverUrlFor(preset, values.server);
      if (typeof serverUrl !== 'string') throw new ProviderError('invalid-input', serverUrl.error);
      const username = (values.user ?? '').trim();
      if (!username)
        throw new ProviderError('invalid-input', 'Enter your user name (for iCloud, your Apple ID email).');
      if (!secret) {
        throw new ProviderError(
          'invalid-input',
          'Enter the app password (for iCloud and Fastmail, an app-specific one).',
        );
      }
      const settings: CardDavAccountSettings = { preset, serverUrl, username };
      const where = CARDDAV_PRESETS[preset].url ? CARDDAV_PRESETS[preset].name : new URL(serverUrl).host;
      const secrets: CardDavSecrets = { kind: 'carddav', password: secret };
      return { label: `${username} (${where})`, settings, secrets };
    },
  },
};
