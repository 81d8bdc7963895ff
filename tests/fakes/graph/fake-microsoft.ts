/**
 * The Microsoft cloud fake for tests: an HTTPS identity server (MSAL requires https authorities)
 * and a plain-http Graph v1.0 server (the provider uses fetch, which needs no TLS for loopback),
 * plus a test API to seed and mutate mailboxes, inject faults and read the request log.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { executeBatch } from './batch';
import { CloudState, CONSUMERS_TENANT, type LoggedRequest, type Principal } from './cloud-state';
import type { GraphProps } from './contact-json';
import { renderContact } from './contact-json';
import type { ExpiryMode } from './delta';
import type { FaultRule } from './faults';
import { targetMailbox, routeGraph } from './graph-routes';
import { graphError, headerRecord, readBody, type FakeRequest, type FakeResponse } from './http-util';
import { IdentityFake } from './identity';
import { Mailbox } from './mailbox';
import { testCertificate } from './tls';

export { CONSUMERS_TENANT };

export interface FakeMicrosoft {
  /** PEM of the identity server's self-signed certificate (give it to the provider as extraCaPem). */
  readonly caPem: string;
  /** e.g. https://127.0.0.1:PORT */
  readonly identityOrigin: string;
  /** e.g. http://127.0.0.1:PORT/v1.0 */
  readonly graphBaseUrl: string;
  readonly state: CloudState;
  registerApp(clientId: string, clientSecret?: string): void;
  addMailbox(
    email: string,
    options?: { displayName?: string; tenantId?: string; accountEnabled?: boolean },
  ): Mailbox;
  mailbox(emailOrId: string): Mailbox;
  addFolder(mailbox: Mailbox, name: string, parentId?: string): string;
  addContact(mailbox: Mailbox, props: GraphProps, folderId?: string): string;
  /** The contact as Graph renders it (full JSON). */
  contactJson(mailbox: Mailbox, id: string): GraphProps | undefined;
  setPhoto(mailbox: Mailbox, contactId: string, bytes: Uint8Array | undefined, contentType?: string): void;
  expireDeltaTokens(mailbox: Mailbox, mode: ExpiryMode): number;
  addFault(rule: Omit<FaultRule, 'times'> & { times?: number }): void;
  clearFaults(): void;
  /** Every Graph request so far ($batch items included, marked inBatch). */
  requests(): readonly LoggedRequest[];
  clearLog(): void;
  peakConcurrency(mailbox: Mailbox): number;
  resetPeak(mailbox: Mailbox): void;
  /** Makes every refresh token fail with invalid_grant (password change, revoked consent). */
  revokeRefreshTokens(): void;
  /** Makes every access token expire now, as Entra's do after about an hour. */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function writeResponse(res: ServerResponse, reply: FakeResponse): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  if (reply.json !== undefined) {
    headers['content-type'] =
      'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
    res.writeHead(reply.status, headers);
    res.end(JSON.stringify(reply.json));
  } else if (reply.bytes) {
    res.writeHead(reply.status, headers);
    res.end(Buffer.from(reply.bytes));
  } else {
    res.writeHead(reply.status, headers);
    res.end();
  }
}

/** Options of the fake. */
export interface FakeMicrosoftOptions {
  /**
   * Serve Graph over TLS with the fake's self-signed certificate too, as behind a corporate proxy
   * that inspects TLS: a client reaches it only when it trusts `caPem` for Graph requests.
   */
  readonly graphTls?: boolean;
}

/** Starts both servers on 127.0.0.1 with random ports. */
export async function startFakeMicrosoft(options: FakeMicrosoftOptions = {}): Promise<FakeMicrosoft> {
  const state = new CloudState();
  const certificate = testCertificate();
  const identity = new IdentityFake(state);
  const identityServer = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    identity.handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  const onGraph = (req: IncomingMessage, res: ServerResponse) => {
    handleGraph(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const graphServer = options.graphTls
    ? createHttpsServer({ key: certificate.key, cert: certificate.cert }, onGraph)
    : createHttpServer(onGraph);
  const identityPort = await listen(identityServer);
  const graphPort = await listen(graphServer);
  identity.origin = `https://127.0.0.1:${identityPort}`;
  const graphOrigin = `${options.graphTls ? 'https' : 'http'}://127.0.0.1:${graphPort}`;
  const base = `${graphOrigin}/v1.0`;

  function authenticate(req: IncomingMessage): Principal | FakeResponse {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const issued = match ? state.accessTokens.get(match[1]) : undefined;
    if (!match) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (!issued) return graphError(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed.');
    if (issued.expiresAt < Date.now()) {
      return graphError(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      );
    }
    return issued.principal;
  }

  async function handleGraph(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', graphOrigin);
    const rawPath = url.pathname.startsWith('/v1.0') ? url.pathname.slice('/v1.0'.length) : '';
    let decoded = rawPath;
    try {
      decoded = decodeURIComponent(rawPath);
    } catch {
      // logged raw
    }
    const entry: LoggedRequest = {
      method: req.method ?? 'GET',
      path: decoded,
      rawPath,
      query: url.search,
      prefer: typeof req.headers.prefer === 'string' ? req.headers.prefer : undefined,
      inBatch: false,
      status: 0,
    };
    state.log.push(entry);
    const body = await readBody(req);
    const principal = authenticate(req);
    if ('status' in principal) {
      entry.status = principal.status;
      return writeResponse(res, principal);
    }
    const segments = rawPath
      .split('/')
      .filter(Boolean)
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    const target = segments[0] === '$batch' ? undefined : targetMailbox(state, principal, segments);
    const mailboxId =
      target && 'mailbox' in target
        ? target.mailbox.id
        : principal.kind === 'user'
          ? principal.mailboxId
          : 'app';
    Object.assign(entry, { mailboxId });
    const leave = state.enter(mailboxId);
    res.on('close', leave);
    try {
      if (state.latencyMs > 0) await sleep(state.latencyMs);
      const fault = state.faults.take(entry.method, decoded, false);
      if (fault?.kind === 'drop') {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 1000);
      if (fault?.kind === 'throttle' || fault?.kind === 'unavailable') {
        const headers =
          fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : undefined;
        const reply =
          fault.kind === 'throttle'
            ? graphError(429, 'TooManyRequests', 'Too many requests.', undefined, headers)
            : graphError(
                503,
                'serviceNotAvailable',
                'The service is temporarily unavailable.',
                undefined,
                headers,
              );
        entry.status = reply.status;
        return writeResponse(res, reply);
      }
      const fakeReq: FakeRequest = {
        method: entry.method,
        path: rawPath,
        query: url.searchParams,
        headers: headerRecord(req),
        body,
        base,
        inBatch: false,
      };
      const reply =
        rawPath === ''
          ? graphError(404, 'NotFound', 'Unknown version.', fakeReq)
          : segments.length === 1 && segments[0] === '$batch' && entry.method === 'POST'
            ? executeBatch(state, principal, fakeReq, (p, r) => routeGraph(state, p, r))
            : routeGraph(state, principal, fakeReq);
      entry.status = reply.status;
      writeResponse(res, reply);
    } finally {
      leave();
    }
  }

  const fake: FakeMicrosoft = {
    caPem: certificate.cert,
    identityOrigin: identity.origin,
    graphBaseUrl: base,
    state,
    registerApp(clientId, clientSecret) {
      state.apps.set(clientId, { clientId, clientSecret });
    },
    addMailbox(email, options = {}) {
      const mailbox = new Mailbox(
        email,
        options.displayName ?? email.split('@')[0],
        options.tenantId ?? CONSUMERS_TENANT,
      );
      if (options.accountEnabled === false) mailbox.accountEnabled = false;
      state.mailboxes.set(mailbox.id, mailbox);
      return mailbox;
    },
    mailbox(emailOrId) {
      const found = state.mailboxByIdOrEmail(emailOrId);
      if (!found) throw new Error(`no mailbox ${emailOrId}`);
      return found;
    },
    addFolder(mailbox, name, parentId) {
      const created = mailbox.addFolder(name, parentId);
      if ('error' in created) throw new Error(created.error);
      return created.id;
    },
    addContact(mailbox, props, folderId) {
      const created = mailbox.addContact(props, folderId);
      if ('error' in created) throw new Error(created.error);
      return created.id;
    },
    contactJson(mailbox, id) {
      const contact = mailbox.contacts.get(id);
      return contact ? renderContact(contact) : undefined;
    },
    setPhoto(mailbox, contactId, bytes, contentType = 'image/jpeg') {
      mailbox.setPhoto(contactId, bytes ? { bytes, contentType } : undefined);
    },
    expireDeltaTokens: (mailbox, mode) => state.delta.expire(mailbox, mode),
    addFault: (rule) => state.faults.add(rule),
    clearFaults: () => state.faults.clear(),
    requests: () => state.log,
    clearLog: () => void state.log.splice(0),
    peakConcurrency: (mailbox) => state.peakConcurrency(mailbox.id),
    resetPeak: (mailbox) => state.resetPeak(mailbox.id),
    revokeRefreshTokens() {
      for (const token of state.refreshTokens.values()) token.revoked = true;
    },
    expireAccessTokens() {
      for (const [token, issued] of state.accessTokens)
        state.accessTokens.set(token, { ...issued, expiresAt: 0 });
    },
    async close() {
      identityServer.closeAllConnections();
      graphServer.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => identityServer.close(resolve)),
        new Promise((resolve) => graphServer.close(resolve)),
      ]);
    },
  };
  return fake;
}
