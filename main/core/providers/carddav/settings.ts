/**
 * What a CardDAV account stores: the server (a preset or any URL) and the user name, never the
 * password. The app-specific password is sealed in the vault's secrets file (AccountSecrets) as
 * `CardDavSecrets`, so listing accounts, logs and settings exports never see it.
 */
import { z } from 'zod';

/** Servers people pick from a list; "other" takes any URL. */
export const CARDDAV_PRESETS = {
  icloud: { name: 'iCloud', url: 'https://contacts.icloud.com' },
  fastmail: { name: 'Fastmail', url: 'https://carddav.fastmail.com' },
  nextcloud: { name: 'Nextcloud', url: '' },
  other: { name: 'Other server', url: '' },
} as const;

export type CardDavPreset = keyof typeof CARDDAV_PRESETS;

/** The account settings (validated with this schema when an account is added or built). */
export const cardDavSettingsSchema = z
  .object({
    preset: z.enum(['icloud', 'fastmail', 'nextcloud', 'other']),
    /** The URL discovery starts from (the preset's, or what the user typed, normalised). */
    serverUrl: z.string().url().max(2000),
    username: z.string().min(1).max(320),
    /**
     * 'auto' uses sync-collection where an address book offers it; 'propfind' always lists members
     * with PROPFIND (the fallback for servers without RFC 6578, forced in tests to cover it).
     */
    listing: z.enum(['auto', 'propfind']).optional(),
  })
  .strict();

export type CardDavAccountSettings = z.infer<typeof cardDavSettingsSchema>;

/** What AccountSecrets holds for a CardDAV account. */
export interface CardDavSecrets {
  readonly kind: 'carddav';
  readonly password: string;
}

/**
 * The discovery URL for a preset and what the user typed: iCloud and Fastmail have fixed servers;
 * Nextcloud's DAV root is `<server>/remote.php/dav`; another server is used as typed. Returns a
 * sentence when the address cannot be a server address.
 */
export function serverUrlFor(preset: CardDavPreset, typed: string | undefined): string | { error: string } {
  const fixed = CARDDAV_PRESETS[preset].url;
  if (fixed) return fixed;
  const text = (typed ?? '').trim();
  if (!text) return { error: 'Enter the address of your server, for example https://cloud.example.com.' };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return { error: `"${text}" is not a server address. It looks like https://cloud.example.com.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: `"${text}" is not a web address (it must start with https://).` };
  }
  if (preset === 'nextcloud' && !/\/remote\.php\/dav\/?$/.test(url.pathname)) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/remote.php/dav`;
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}
