/** The shapes route handlers share with the fake's HTTP server. */
import type { FakeOAuth } from './oauth';
import type { Paging } from './paging';
import type { FakeStore, FakeUser } from './store';

/** A parsed request, with the user its bearer token belongs to (when the route needs one). */
export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
  readonly rawBody: string;
  readonly user: FakeUser;
}

/** What a handler answers; `json` goes through as-is (handlers apply proto3 themselves). */
export interface FakeReply {
  readonly status?: number;
  readonly json?: unknown;
  readonly bytes?: Buffer;
  readonly contentType?: string;
  readonly redirect?: string;
  /** A page for the browser (the consent page). */
  readonly html?: string;
  readonly headers?: Record<string, string>;
}

/** A route: `op` names it in request logs, fault rules and quotas. */
export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly op: string;
  /** Which scopes (any of) the bearer must carry; undefined means no bearer is needed. */
  readonly scopes?: readonly string[];
  /** Quota bucket the call counts against. */
  readonly quota?: 'read' | 'write';
  handle(request: FakeRequest, match: RegExpExecArray): FakeReply | Promise<FakeReply>;
}

/** What every handler can reach. */
export interface FakeEnvironment {
  readonly store: FakeStore;
  readonly paging: Paging;
  readonly oauth: FakeOAuth;
  origin(): string;
}

export const contactScopes = [
  'https://www.googleapis.com/auth/contacts',
  'https://www.googleapis.com/auth/contacts.readonly',
] as const;
export const contactWriteScopes = ['https://www.googleapis.com/auth/contacts'] as const;
export const otherContactScopes = [
  'https://www.googleapis.com/auth/contacts.other.readonly',
  'https://www.googleapis.com/auth/contacts',
] as const;
export const directoryScopes = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.user',
] as const;
