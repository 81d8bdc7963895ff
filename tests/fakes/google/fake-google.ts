/**
 * One loopback HTTP server playing Google for tests and benchmarks: OAuth, the People API, photo
 * URLs and the Directory API. Tests drive it through the methods here (seed, change "at the source",
 * move the clock, inject faults, read the request log), never over HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directoryRoutes } from './directory-routes';
import { errorEnvelope, FakeGoogleError, insufficientScope, unauthenticated } from './errors';
import { Faults, statusFault, type FaultRule, type QuotaSettings } from './faults';
import { groupRoutes, renderGroup } from './group-routes';
import type { FakeEnvironment, FakeReply, Route } from './http-types';
import { FakeOAuth, OAuthError, type FakeServiceAccountKey } from './oauth';
import { Paging, type SyncTokenRules } from './paging';
import { readablePersonFields, writablePersonFields } from './person-fields';
import { membershipItem, readPersonBody, renderPerson } from './person-ops';
import { peopleRoutes, sniffImage } from './people-routes';
import { FakeStore, type FakeUser, type PersonRecord } from './store';

/** One line of the request log. */
export interface LoggedRequest {
  op: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  user?: string;
  status: number;
}

/** A person as tests write it: API-shaped fields, e.g. `{names:[{givenName:'Ada'}]}`. */
export type SeedPerson = Record<string, unknown>;

const allFields = new Set<string>(readablePersonFields);

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeGoogle(): Promise<FakeGoogle> {
  const fake = new FakeGoogle();
  await fake.listen();
  return fake;
}

export class FakeGoogle implements FakeEnvironment {
  readonly clock = { now: Date.parse('2026-11-25T09:00:00Z') };
  readonly store = new FakeStore(this.clock);
  readonly paging = new Paging(this.store);
  readonly oauth = new FakeOAuth(this.store);
  readonly faults = new Faults();
  readonly requests: LoggedRequest[] = [];
  /** Most write requests of one user the fake ever handled at the same time (Google wants 1). */
  maxConcurrentWrites = 0;
  private readonly writesInFlight = new Map<string, number>();
  /** Set false for benchmarks, so the log does not grow with 100,000-contact reads. */
  logRequests = true;
  private readonly server: Server;
  private readonly routes: Route[];
  private port = 0;

  constructor() {
    this.routes = [...peopleRoutes(this), ...groupRoutes(this), ...directoryRoutes(this)];
    this.server = createServer((request, response) => void this.serve(request, response));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The endpoints an account's settings point at. */
  get endpoints(): { rootUrl: string; authUrl: string; tokenUrl: string; revokeUrl: string } {
    const origin = this.origin();
    return {
      rootUrl: `${origin}/`,
      authUrl: `${origin}/o/oauth2/v2/auth`,
      tokenUrl: `${origin}/token`,
      revokeUrl: `${origin}/revoke`,
    };
  }

  // ---- test API: clock, faults, quotas -------------------------------------------------------

  now(): number {
    return this.clock.now;
  }

  advance(ms: number): void {
    this.clock.now += ms;
  }

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  setQuota(quota: QuotaSettings): void {
    this.faults.quota = { ...quota };
  }

  get syncTokenRules(): SyncTokenRules {
    return this.paging.rules;
  }

  /** Requests with this op (all when omitted). */
  requestsOf(op?: string): LoggedRequest[] {
    return op ? this.requests.filter((request) => request.op === op) : [...this.requests];
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ---- test API: accounts and auth -----------------------------------------------------------

  addUser(email: string, options: { name?: string; admin?: boolean; suspended?: boolean } = {}): void {
    const user = this.store.addUser(email, options.name ?? email.split('@')[0]);
    user.admin = options.admin ?? false;
    user.suspended = options.suspended ?? false;
  }

  setSuspended(email: string, suspended: boolean): void {
    this.store.user(email).suspended = suspended;
  }

  /** Who "signs in" when the browser reaches the consent page. */
  setBrowserUser(email: string): void {
    this.oauth.browserUser = email.toLowerCase();
  }

  grantRefreshToken(
    email: string,
    clientId: string,
    scopes: string[] = ['https://www.googleapis.com/auth/contacts'],
  ): string {
    return this.oauth.grantRefreshToken(email, clientId, scopes);
  }

  revokeGrants(email: string): void {
    this.oauth.revokeGrants(email);
  }

  expireAccessTokens(email?: string): void {
    this.oauth.expireAccessTokens(email);
  }

  createServiceAccount(domain: string): FakeServiceAccountKey {
    return this.oauth.createServiceAccount(domain, 'https://oauth2.googleapis.com/token');
  }

  /** The old key is deleted and a new one made for the same service account. */
  replaceServiceAccountKey(key: FakeServiceAccountKey): FakeServiceAccountKey {
    return this.oauth.replaceServiceAccountKey(key);
  }

  // ---- test API: contacts and groups ---------------------------------------------------------

  /** Adds a contact; `groups` are group resource names (default: My Contacts). */
  addContact(email: string, person: SeedPerson, options: { photo?: Buffer; groups?: string[] } = {}): string {
    const user = this.store.user(email);
    const record = this.store.newPerson(user, 'people/c');
    record.fields = readPersonBody(
      user,
      person,
      writablePersonFields.filter((field) => person[field] !== undefined),
    );
    const groups = options.groups ?? ['contactGroups/myContacts'];
    if (!person.memberships) record.fields.memberships = groups.map(membershipItem);
    if (options.photo) record.photo = this.store.storePhoto(user, options.photo, sniff(options.photo));
    this.store.touchPerson(user, record);
    return record.resourceName;
  }

  addOtherContact(email: string, person: SeedPerson): string {
    const user = this.store.user(email);
    const record = this.store.newPerson(user, 'otherContacts/c');
    record.fields = readPersonBody(
      user,
      person,
      ['names', 'emailAddresses', 'phoneNumbers'].filter((f) => person[f]),
    );
    this.store.touchPerson(user, record, user.others);
    return record.resourceName;
  }

  /** Replaces the given fields of a contact, as an edit in the Google Contacts web app would. */
  editContact(email: string, resourceName: string, fields: SeedPerson): void {
    const user = this.store.user(email);
    const record = this.record(user, resourceName);
    Object.assign(record.fields, readPersonBody(user, fields, Object.keys(fields), record));
    this.store.touchPerson(user, record);
  }

  deleteContact(email: string, resourceName: string): void {
    const user = this.store.user(email);
    const record = this.record(user, resourceName);
    record.deleted = true;
    this.store.touchPerson(user, record);
  }

  /** Gives a contact a new resource name, as linking it to a profile does (providers.md 1.2). */
  relinkContact(email: string, resourceName: string): string {
    const user = this.store.user(email);
    const record = this.record(user, resourceName);
    user.persons.delete(resourceName);
    const fresh = this.store.newPerson(user, 'people/c');
    const moved: PersonRecord = {
      ...record,
      id: fresh.id,
      resourceName: fresh.resourceName,
      previousResourceNames: [...record.previousResourceNames, resourceName],
    };
    this.store.touchPerson(user, moved);
    return moved.resourceName;
  }

  /**
   * Links a contact to a Google profile (the person's own, or a Workspace colleague's with
   * DOMAIN_PROFILE): reads then show the profile's items and picture beside the contact's own.
   */
  linkProfile(
    email: string,
    resourceName: string,
    profile: { type?: 'PROFILE' | 'DOMAIN_PROFILE'; fields: SeedPerson; photo?: Buffer },
  ): void {
    const user = this.store.user(email);
    const record = this.record(user, resourceName);
    const fields: Record<string, Record<string, unknown>[]> = {};
    for (const [field, value] of Object.entries(profile.fields))
      if (Array.isArray(value)) fields[field] = value as Record<string, unknown>[];
    const photo = profile.photo
      ? this.store.storePhoto(user, profile.photo, sniff(profile.photo))
      : undefined;
    record.linkedProfile = {
      type: profile.type ?? 'PROFILE',
      id: this.store.nextId('1'),
      fields,
      photoUrl: photo ? `${this.origin()}/photos/${encodeURIComponent(user.email)}/${photo.id}` : undefined,
    };
    this.store.touchPerson(user, record);
  }

  setPhoto(email: string, resourceName: string, bytes: Buffer | undefined): void {
    const user = this.store.user(email);
    const record = this.record(user, resourceName);
    record.photo = bytes ? this.store.storePhoto(user, bytes, sniff(bytes)) : undefined;
    this.store.touchPerson(user, record);
  }

  addGroup(email: string, name: string): string {
    const user = this.store.user(email);
    const route = this.routes.find((candidate) => candidate.op === 'contactGroups.create');
    const reply = route?.handle(
      {
        method: 'POST',
        url: new URL(this.origin()),
        query: new URLSearchParams(),
        body: { contactGroup: { name } },
        rawBody: '',
        user,
      },
      [] as unknown as RegExpExecArray,
    ) as FakeReply;
    return (reply.json as { resourceName: string }).resourceName;
  }

  renameGroup(email: string, groupName: string, name: string): void {
    const user = this.store.user(email);
    const group = user.groups.get(groupName);
    if (!group) throw new Error('fake: no such group');
    group.name = name;
    this.store.touchGroup(user, group);
  }

  /** A contact as the API would return it with every field, or undefined when absent or deleted. */
  contact(email: string, resourceName: string): Record<string, unknown> | undefined {
    const user = this.store.user(email);
    const record = user.persons.get(resourceName);
    if (!record || record.deleted) return undefined;
    return renderPerson(user, record, allFields, { origin: this.origin() });
  }

  contactNames(email: string): string[] {
    return [...this.store.user(email).persons.values()].filter((r) => !r.deleted).map((r) => r.resourceName);
  }

  groups(email: string): Record<string, unknown>[] {
    const user = this.store.user(email);
    const fields = new Set(['name', 'groupType', 'memberCount', 'metadata']);
    return [...user.groups.values()].filter((g) => !g.deleted).map((g) => renderGroup(user, g, fields));
  }

  photoOf(email: string, resourceName: string): Buffer | undefined {
    return this.record(this.store.user(email), resourceName).photo?.bytes;
  }

  private record(user: FakeUser, resourceName: string): PersonRecord {
    const record = user.persons.get(resourceName);
    if (!record || record.deleted) throw new Error(`fake: no contact ${resourceName}`);
    return record;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin());
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const method = request.method ?? 'GET';
    const entry: LoggedRequest = {
      op: 'unknown',
      method,
      path: url.pathname,
      query: url.searchParams,
      status: 0,
    };
    if (this.logRequests) this.requests.push(entry);
    let drop = false;
    let reply: FakeReply;
    try {
      reply = await this.dispatch(request, method, url, rawBody, entry, () => (drop = true));
    } catch (error) {
      reply = this.errorReply(error);
    }
    entry.status = reply.status ?? (reply.redirect ? 302 : 200);
    this.send(response, reply, entry.status, drop);
  }

  private async dispatch(
    request: IncomingMessage,
    method: string,
    url: URL,
    rawBody: string,
    entry: LoggedRequest,
    markDrop: () => void,
  ): Promise<FakeReply> {
    if (url.pathname === '/o/oauth2/v2/auth' && method === 'GET') {
      entry.op = 'oauth.authorize';
      if (this.oauth.consentPage) return consentPage(url.searchParams, this.oauth.browserUser);
      return { redirect: this.oauth.authorize(url.searchParams) };
    }
    if (url.pathname === '/o/oauth2/v2/consent' && method === 'GET') {
      // The consent page's buttons: Allow continues as the redirect would; Cancel answers access_denied.
      entry.op = 'oauth.consent';
      const query = new URLSearchParams(url.searchParams);
      const allow = query.get('decision') === 'allow';
      query.delete('decision');
      if (allow) return { redirect: this.oauth.authorize(query) };
      const target = new URL(query.get('redirect_uri') ?? '');
      target.searchParams.set('error', 'access_denied');
      if (query.get('state')) target.searchParams.set('state', query.get('state') ?? '');
      return { redirect: target.href };
    }
    if (url.pathname === '/token' && method === 'POST') {
      entry.op = 'oauth.token';
      const fault = this.faults.match('oauth.token', undefined);
      if (fault?.kind === 'status') throw statusFault(fault);
      return { json: this.oauth.token(new URLSearchParams(rawBody)) };
    }
    if (url.pathname === '/revoke' && method === 'POST') {
      entry.op = 'oauth.revoke';
      this.oauth.revoke(url.searchParams.get('token') ?? new URLSearchParams(rawBody).get('token') ?? '');
      return { json: {} };
    }
    let match: RegExpExecArray | null = null;
    const route = this.routes.find(
      (candidate) => candidate.method === method && (match = candidate.pattern.exec(url.pathname)),
    );
    if (!route || !match)
      throw new FakeGoogleError(404, 'NOT_FOUND', `No route for ${method} ${url.pathname}.`);
    entry.op = route.op;
    let user: FakeUser | undefined;
    if (route.scopes) {
      const grant = this.oauth.lookup(request.headers.authorization);
      if (!grant) throw unauthenticated();
      if (!grant.scopes.some((scope) => route.scopes?.includes(scope))) throw insufficientScope();
      user = this.store.user(grant.email);
      entry.user = user.email;
    }
    const fault = this.faults.match(route.op, user?.email);
    if (fault?.kind === 'status') throw statusFault(fault);
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'drop') markDrop();
    if (fault?.kind === 'before') fault.run();
    if (user && route.quota) this.faults.count(user.email, route.quota, this.now());
    if (
      user &&
      route.op === 'people.connections.list' &&
      !url.searchParams.get('pageToken') &&
      !url.searchParams.get('syncToken')
    ) {
      this.faults.count(user.email, 'fullSyncFirstPage', this.now());
    }
    let body: Record<string, unknown> = {};
    if (rawBody) {
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        throw new FakeGoogleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
      }
    }
    const fakeRequest = { method, url, query: url.searchParams, body, rawBody, user: user as FakeUser };
    if (route.quota !== 'write' || !user) return route.handle(fakeRequest, match);
    const inFlight = (this.writesInFlight.get(user.email) ?? 0) + 1;
    this.writesInFlight.set(user.email, inFlight);
    this.maxConcurrentWrites = Math.max(this.maxConcurrentWrites, inFlight);
    try {
      // A short pause makes overlapping writes observable; Google's writes are slow too.
      await new Promise((resolve) => setTimeout(resolve, 2));
      return await route.handle(fakeRequest, match);
    } finally {
      this.writesInFlight.set(user.email, (this.writesInFlight.get(user.email) ?? 1) - 1);
    }
  }

  private errorReply(error: unknown): FakeReply {
    if (error instanceof FakeGoogleError) {
      return { status: error.code, json: errorEnvelope(error), headers: error.headers };
    }
    if (error instanceof OAuthError) {
      return { status: error.status, json: { error: error.error, error_description: error.description } };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { status: 500, json: errorEnvelope(new FakeGoogleError(500, 'INTERNAL', `Fake bug: ${message}`)) };
  }

  private send(response: ServerResponse, reply: FakeReply, status: number, drop: boolean): void {
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.redirect) {
      response.writeHead(302, { ...headers, location: reply.redirect });
      response.end();
      return;
    }
    if (reply.html !== undefined) {
      response.writeHead(status, { ...headers, 'content-type': 'text/html; charset=utf-8' });
      response.end(reply.html);
      return;
    }
    const body = reply.bytes ?? Buffer.from(reply.json === undefined ? '' : JSON.stringify(reply.json));
    if (reply.bytes) headers['content-type'] = reply.contentType ?? 'application/octet-stream';
    else if (reply.json !== undefined) headers['content-type'] = 'application/json; charset=UTF-8';
    headers['content-length'] = String(body.length);
    response.writeHead(status, headers);
    if (drop) {
      // Half the body, then the socket dies: the client sees a reset in the middle of a response.
      response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  }
}

function sniff(bytes: Buffer): string {
  return sniffImage(bytes) ?? 'image/jpeg';
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A consent page a person (or a Playwright test) clicks through: Allow or Cancel. */
function consentPage(query: URLSearchParams, user: string | undefined): FakeReply {
  const hidden = [...query.entries()]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts (fake)</title></head>` +
    `<body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">` +
    `<h1>Contacts Backup wants to access your Google Account</h1>` +
    `<p data-testid="consent-user">${escapeHtml(user ?? 'the first user')}</p>` +
    `<ul>${scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('')}</ul>` +
    `<form method="GET" action="/o/oauth2/v2/consent">${hidden}` +
    `<button name="decision" value="cancel">Cancel</button> ` +
    `<button name="decision" value="allow" id="allow">Allow</button></form></body></html>`;
  return { html };
}
