/**
 * Admin SDK Directory API users (Workspace edition): list with paging and `suspended`, and get by
 * id or email. Only an administrator's token may call it, as at Google.
 */
import { randomBytes } from 'node:crypto';
import { FakeGoogleError, invalidArgument, notFound } from './errors';
import { directoryScopes, type FakeEnvironment, type Route } from './http-types';
import type { FakeUser } from './store';

function domainOf(email: string): string {
  return email.slice(email.indexOf('@') + 1);
}

function renderUser(user: FakeUser): Record<string, unknown> {
  return {
    kind: 'admin#directory#user',
    id: user.id,
    primaryEmail: user.email,
    name: { fullName: user.name },
    isAdmin: user.admin,
    suspended: user.suspended,
  };
}

/** Builds the directory routes. */
export function directoryRoutes(env: FakeEnvironment): Route[] {
  const pageTokens = new Map<string, { domain: string; offset: number; maxResults: number }>();
  const requireAdmin = (user: FakeUser) => {
    if (!user.admin)
      throw new FakeGoogleError(
        403,
        'PERMISSION_DENIED',
        'Not Authorized to access this resource/api',
        'forbidden',
      );
  };
  return [
    {
      method: 'GET',
      pattern: /^\/admin\/directory\/v1\/users$/,
      op: 'directory.users.list',
      scopes: directoryScopes,
      quota: 'read',
      handle: ({ query, user }) => {
        requireAdmin(user);
        const customer = query.get('customer');
        const domain = query.get('domain') ?? domainOf(user.email);
        if (!customer && !query.get('domain'))
          throw invalidArgument('Bad Request: customer or domain is required.');
        if (customer && customer !== 'my_customer') throw notFound('Resource Not Found: customer');
        const maxResults = Number(query.get('maxResults') ?? 100);
        if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 500)
          throw invalidArgument('Invalid maxResults.');
        let offset = 0;
        const token = query.get('pageToken');
        if (token) {
          const state = pageTokens.get(token);
          if (!state || state.domain !== domain || state.maxResults !== maxResults)
            throw invalidArgument('Invalid page token.');
          offset = state.offset;
        }
        const all = [...env.store.users.values()]
          .filter((candidate) => domainOf(candidate.email) === domain)
          .sort((a, b) => a.email.localeCompare(b.email));
        const users = all.slice(offset, offset + maxResults);
        let nextPageToken: string | undefined;
        if (offset + maxResults < all.length) {
          nextPageToken = randomBytes(12).toString('base64url');
          pageTokens.set(nextPageToken, { domain, offset: offset + maxResults, maxResults });
        }
        return { json: { kind: 'admin#directory#users', users: users.map(renderUser), nextPageToken } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/admin\/directory\/v1\/users\/([^/]+)$/,
      op: 'directory.users.get',
      scopes: directoryScopes,
      quota: 'read',
      handle: ({ user }, match) => {
        requireAdmin(user);
        const key = decodeURIComponent(match[1]).toLowerCase();
        const found = [...env.store.users.values()].find(
          (candidate) =>
            (candidate.id === key || candidate.email === key) &&
            domainOf(candidate.email) === domainOf(user.email),
        );
        if (!found) throw notFound('Resource Not Found: userKey');
        return { json: renderUser(found) };
      },
    },
  ];
}
