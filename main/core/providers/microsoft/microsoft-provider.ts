/**
 * The Microsoft 365 / Outlook.com provider: one Graph client (4 requests in flight at most) per
 * mailbox, silent token renewal, per-folder delta sync, batched reads and writes.
 */
import type { Clock } from '../../ports';
import type { AccountSecrets } from '../../ports';
import type { ContactProvider, SourceContact } from '../provider';
import { createTokenSource } from './auth';
import { fetchTrusting } from './ca-fetch';
import { CONTACT_SELECT, type GraphContact } from './contact-mapping';
import { sourceContact, syncMailbox } from './delta-sync';
import { toProviderError } from './errors';
import { mailboxPath } from './folders';
import { runBatches } from './graph-batch';
import { createGraphClient, type GraphClient, type Sleep } from './graph-client';
import { resolveEndpoints, type MicrosoftAccountSettings } from './settings';
import { directoryUsers, signedInUser } from './users';
import { createMicrosoftWriter } from './writer';

/** Test seams: a sleep that returns at once makes Retry-After storms instant. */
export interface MicrosoftProviderDeps {
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /** Jitter source for backoff (0..1). */
  readonly random?: () => number;
}

/**
 * Builds the provider for one Microsoft account. Personal mode reads the signed-in user's mailbox
 * (`/me`) with delegated tokens; tenant mode uses the app's client secret and reads any directory
 * user's mailbox (`/users/{id}`).
 */
export function createMicrosoftProvider(
  settings: MicrosoftAccountSettings,
  secrets: AccountSecrets,
  deps: MicrosoftProviderDeps = {},
): ContactProvider {
  const tokens = createTokenSource(settings, secrets);
  const endpoints = resolveEndpoints(settings);
  const clients = new Map<string, GraphClient>();
  // The account's CA applies to every request, Graph included, not only to sign-in (issue 14).
  const send = settings.extraCaPem ? fetchTrusting(settings.extraCaPem) : undefined;

  function clientFor(path: string): GraphClient {
    let client = clients.get(path);
    if (!client) {
      client = createGraphClient({
        baseUrl: endpoints.graphBaseUrl,
        tokens,
        pageSize: endpoints.pageSize,
        sleep: deps.sleep,
        random: deps.random,
        now: deps.clock ? () => deps.clock!.now().getTime() : undefined,
        fetch: send,
      });
      clients.set(path, client);
    }
    return client;
  }

  return {
    async listUsers(context) {
      try {
        if (settings.mode === 'personal') return await signedInUser(tokens);
        return await directoryUsers(clientFor('/users'), context.signal);
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    async sync(userId, cursor, sink, context) {
      const path = mailboxPath(settings.mode, userId);
      try {
        return await syncMailbox(clientFor(path), path, cursor, sink, context);
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    async fetchContacts(userId, sourceIds, context) {
      const path = mailboxPath(settings.mode, userId);
      const client = clientFor(path);
      try {
        const answers = await runBatches(
          client,
          sourceIds.map((id, index) => ({
            id: String(index),
            method: 'GET' as const,
            url: `${path}/contacts/${encodeURIComponent(id)}?$select=${CONTACT_SELECT.join(',')}`,
          })),
          context.signal,
        );
        const found: SourceContact[] = [];
        sourceIds.forEach((_, index) => {
          const answer = answers.get(String(index));
          if (answer?.status === 200 && answer.body)
            found.push(sourceContact(client, path, answer.body as GraphContact));
        });
        return found;
      } catch (error) {
        throw toProviderError(error, context.signal);
      }
    },

    writer(userId) {
      const path = mailboxPath(settings.mode, userId);
      return createMicrosoftWriter(clientFor(path), path);
    },
  };
}
