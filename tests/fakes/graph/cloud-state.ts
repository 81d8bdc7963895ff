/**
 * What the identity fake and the Graph fake share: mailboxes, registered apps, issued tokens, delta
 * tokens, faults and the request log.
 */
import { DeltaTokens } from './delta';
import { Faults } from './faults';
import { newToken } from './ids';
import { Mailbox } from './mailbox';

/** The tenant id Microsoft uses for personal (MSA) accounts. */
export const CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

export type Principal =
  | {
      readonly kind: 'user';
      readonly mailboxId: string;
      readonly tenantId: string;
      readonly clientId: string;
    }
  | { readonly kind: 'app'; readonly tenantId: string; readonly clientId: string };

export interface RegisteredApp {
  readonly clientId: string;
  /** Secret for the client-credentials grant (tenant mode); undefined for public clients. */
  readonly clientSecret?: string;
}

export interface LoggedRequest {
  readonly method: string;
  /** Decoded path after /v1.0. */
  readonly path: string;
  readonly rawPath: string;
  readonly query: string;
  readonly prefer?: string;
  readonly inBatch: boolean;
  readonly mailboxId?: string;
  status: number;
}

export interface IssuedAccessToken {
  readonly principal: Principal;
  readonly expiresAt: number;
}

export class CloudState {
  readonly mailboxes = new Map<string, Mailbox>();
  readonly apps = new Map<string, RegisteredApp>();
  readonly accessTokens = new Map<string, IssuedAccessToken>();
  readonly refreshTokens = new Map<
    string,
    { mailboxId: string; clientId: string; scope: string; revoked: boolean }
  >();
  readonly delta = new DeltaTokens();
  readonly faults = new Faults();
  readonly log: LoggedRequest[] = [];
  /** Identity log: grant types seen at the token endpoint, in order. */
  readonly grants: string[] = [];
  accessTokenLifetimeSeconds = 3600;
  /** Base latency added to every Graph request (ms), so concurrency is observable. */
  latencyMs = 0;
  /**
   * Whether `contactFolders/contacts` (well-known name) reaches the default folder. Only field
   * reports say Graph accepts it, so tests run with it on and off.
   */
  wellKnownContactsFolder = true;
  /** The user who "signs in" at the authorize page. */
  signInEmail?: string;
  /** When set, the authorize page answers as if the user clicked "Cancel" on the consent screen (AADSTS65004). */
  declineConsent = false;
  /** When set, the authorize page waits for a click on Accept (or Cancel) instead of posting at once. */
  consentPage = false;
  private readonly inFlight = new Map<string, number>();
  private readonly peak = new Map<string, number>();

  mailboxByIdOrEmail(key: string): Mailbox | undefined {
    const byId = this.mailboxes.get(key);
    if (byId) return byId;
    const lower = key.toLowerCase();
    return [...this.mailboxes.values()].find((m) => m.email.toLowerCase() === lower);
  }

  issueAccessToken(principal: Principal): string {
    const token = `eyJ0eXAi.${newToken(32)}`;
    this.accessTokens.set(token, {
      principal,
      expiresAt: Date.now() + this.accessTokenLifetimeSeconds * 1000,
    });
    return token;
  }

  /** Counts a request in flight for a mailbox; returns the function that ends it. */
  enter(mailboxId: string): () => void {
    const now = (this.inFlight.get(mailboxId) ?? 0) + 1;
    this.inFlight.set(mailboxId, now);
    this.peak.set(mailboxId, Math.max(now, this.peak.get(mailboxId) ?? 0));
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight.set(mailboxId, (this.inFlight.get(mailboxId) ?? 1) - 1);
    };
  }

  peakConcurrency(mailboxId: string): number {
    return this.peak.get(mailboxId) ?? 0;
  }

  resetPeak(mailboxId: string): void {
    this.peak.set(mailboxId, 0);
  }
}
