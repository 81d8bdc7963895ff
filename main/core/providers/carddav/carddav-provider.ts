/**
 * A ContactProvider over a CardDAV account (iCloud, Fastmail, Nextcloud, Radicale, Xandikos, any
 * RFC 6352 server). One user per account (the signed-in one); every address book is a folder. The
 * app password comes from the sealed AccountSecrets on first use and stays in the DavClient.
 */
import {
  ProviderError,
  type AccountUser,
  type ContactProvider,
  type SourceContact,
  type WorkContext,
} from '../provider';
import type { AccountSecrets } from '../../ports';
import { DavClient } from './dav-client';
import { discoverHome, listAddressBooks } from './discovery';
import type { CardDavAccountSettings, CardDavSecrets } from './settings';
import { MULTIGET_BATCH, fetchCards, syncBooks } from './sync';
import { createCardDavWriter } from './writer';
import { count } from '../../plural';

/** The id of the account's one user. */
export const CARDDAV_USER_ID = 'me';

export interface CardDavDeps {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Cards per multiget (tests use small batches to cover paging). */
  readonly batchSize?: number;
}

export function createCardDavProvider(
  settings: CardDavAccountSettings,
  secrets: AccountSecrets,
  deps: CardDavDeps = {},
): ContactProvider {
  let client: DavClient | undefined;
  let home: URL | undefined;

  async function clientOf(): Promise<DavClient> {
    if (client) return client;
    const stored = await secrets.get<CardDavSecrets>();
    if (!stored?.password) {
      throw new ProviderError(
        'auth-required',
        'The password of this CardDAV account is missing; connect it again.',
      );
    }
    client = new DavClient({
      username: settings.username,
      password: stored.password,
      fetch: deps.fetch,
      sleep: deps.sleep,
    });
    return client;
  }

  async function homeOf(signal?: AbortSignal): Promise<URL> {
    if (!home) home = await discoverHome(await clientOf(), settings.serverUrl, signal);
    return home;
  }

  async function books(signal: AbortSignal) {
    return listAddressBooks(await clientOf(), await homeOf(signal), signal);
  }

  function checkUser(userId: string): void {
    if (userId !== CARDDAV_USER_ID)
      throw new ProviderError('not-found', `This CardDAV account has no user ${userId}.`);
  }

  return {
    async listUsers(context: WorkContext): Promise<AccountUser[]> {
      const found = await books(context.signal);
      context.log(`Found ${count(found.length, 'address book')}.`);
      const email = settings.username.includes('@') ? settings.username : '';
      return [{ id: CARDDAV_USER_ID, email, displayName: settings.username, active: true }];
    },

    async sync(userId, cursor, sink, context) {
      checkUser(userId);
      const all = await books(context.signal);
      return syncBooks(await clientOf(), all, cursor, sink, context, {
        listing: settings.listing ?? 'auto',
        batchSize: deps.batchSize ?? MULTIGET_BATCH,
      });
    },

    async fetchContacts(userId, sourceIds, context): Promise<SourceContact[]> {
      checkUser(userId);
      const all = await books(context.signal);
      const found: SourceContact[] = [];
      for (const book of all) {
        const paths = sourceIds.filter((id) => id.startsWith(book.path) && id !== book.path);
        if (paths.length === 0) continue;
        await fetchCards(
          await clientOf(),
          book,
          paths,
          deps.batchSize ?? MULTIGET_BATCH,
          context.signal,
          async (contacts) => {
            found.push(...contacts);
          },
        );
      }
      return found;
    },

    writer(userId) {
      checkUser(userId);
      return createCardDavWriter({
        client: clientOf,
        home: (signal) => homeOf(signal),
        version: settings.preset === 'icloud' ? '3.0' : '4.0',
      });
    },
  };
}
