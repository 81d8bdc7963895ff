/**
 * What a source kind tells the rest of the app about itself (issue 13, item 3): its settings schema,
 * how to build its provider, how its users are licensed, what it can do, and how a person connects
 * it. The registry (accounts/provider-registry.ts) holds one descriptor per kind; the factory, the
 * licensing, the API (`providers.list`, `accounts.connect`), the CLI's `account add` and the app's
 * connect list all read it, so a new source is its own folder plus one registry line.
 */
import type { z } from 'zod';
import type { AccountSecrets, Clock, OpenBrowser, Paths } from '../ports';
import type { ContactProvider } from './provider';

/** What a factory may use. */
export interface ProviderDeps {
  readonly clock: Clock;
  readonly openBrowser: OpenBrowser;
  readonly secrets: AccountSecrets;
  /** The host's paths: the sample address book ships with the app, wherever it is installed. */
  readonly paths: Pick<Paths, 'sampleAddressBook'>;
}

/** What a source can do, shown in the connect list and used to offer restores. */
export interface ProviderCapabilities {
  /** Restores can write into it (false: read-only, e.g. PST files and the sample book). */
  readonly writable: boolean;
  readonly folders: boolean;
  readonly photos: boolean;
}

/** One input of a connect form; the app renders it and the CLI turns it into `--<name>`. */
export interface ConnectField {
  /** Key in the submitted values and the CLI option name (kebab-case). */
  readonly name: string;
  /** English label; the renderer prefers strings.ts (`connect.fields[kind.name]`) when it has one. */
  readonly label: string;
  readonly type: 'text' | 'url' | 'password' | 'select';
  readonly required: boolean;
  /** A password or token: sent once, sealed in the vault, never a CLI argument. */
  readonly secret?: boolean;
  readonly options?: readonly { readonly value: string; readonly label: string }[];
  readonly defaultValue?: string;
  readonly placeholder?: string;
  /** Shown (and required) only while another field has one of these values. */
  readonly showWhen?: { readonly field: string; readonly values: readonly string[] };
}

/** How a person connects the source. */
export type ConnectFlow =
  | { readonly flow: 'builtin' } // the sample address book: one button
  | { readonly flow: 'file' } // a path (vCard, PST), through the existing file channels/commands
  | { readonly flow: 'sign-in' } // a browser sign-in with its own channel/command (Google, Microsoft)
  | {
      readonly flow: 'form';
      readonly fields: readonly ConnectField[];
      /**
       * Turns submitted values (without the secret) and the secret into what addAccount stores, or
       * throws a ProviderError('invalid-input') with a sentence for the first bad value.
       */
      prepare(
        values: Readonly<Record<string, string>>,
        secret: string | undefined,
      ): { readonly label: string; readonly settings: unknown; readonly secrets?: unknown };
      /** The form's non-secret values for stored settings (to fill the form when connecting again). */
      valuesOf?(settings: unknown): Readonly<Record<string, string>>;
    };

/**
 * How an account in "sign-in needed" is signed in again: a browser sign-in, a new service-account
 * key file (Google Workspace) or a new client secret (a Microsoft 365 tenant's app).
 */
export type SignInRenewal = 'browser' | 'key-file' | 'client-secret';

export interface ProviderDescriptor<S = unknown> {
  /** The account kind stored in accounts (e.g. 'carddav'); lower-case letters, digits and '-'. */
  readonly kind: string;
  readonly displayName: string;
  readonly description: string;
  readonly settingsSchema: z.ZodType<S>;
  create(settings: S, deps: ProviderDeps): ContactProvider;
  /** 'directory': users come from an organisation's directory and need business seats. */
  seatSource(settings: S): 'own' | 'directory';
  readonly capabilities: ProviderCapabilities;
  readonly connect: ConnectFlow;
  /** For kinds that sign in: what "Sign in again" asks for (none: the source cannot lose its sign-in). */
  renewal?(settings: S): SignInRenewal;
}

/** The part of a descriptor the API shows the renderer and the CLI (no functions, no schema). */
export interface ProviderInfo {
  readonly kind: string;
  readonly displayName: string;
  readonly description: string;
  readonly capabilities: ProviderCapabilities;
  readonly connect: { readonly flow: ConnectFlow['flow']; readonly fields: readonly ConnectField[] };
}
