/**
 * The app's own Google and Microsoft registrations pointed at the project's fakes on loopback, as a
 * release build would carry the real ones (config/app-registrations.json). One place, so every test
 * that signs in from the window talks to the fakes the same way.
 */
import type { AppRegistrations } from '../../main/core/accounts/app-registrations';
import type { FakeGoogle } from '../fakes/google/fake-google';
import type { FakeMicrosoft } from '../fakes/graph/fake-microsoft';

export function fakeRegistrations(
  google: FakeGoogle,
  microsoft: FakeMicrosoft,
  ids: { google: string; microsoft: string; googleSecret?: string },
): AppRegistrations {
  const { endpoints } = google;
  return {
    google: {
      clientId: ids.google,
      ...(ids.googleSecret ? { clientSecret: ids.googleSecret } : {}),
      rootUrl: endpoints.rootUrl,
      oauth: { authUrl: endpoints.authUrl, tokenUrl: endpoints.tokenUrl, revokeUrl: endpoints.revokeUrl },
    },
    microsoft: {
      clientId: ids.microsoft,
      identityBaseUrl: microsoft.identityOrigin,
      graphBaseUrl: microsoft.graphBaseUrl,
      knownAuthorities: [new URL(microsoft.identityOrigin).host],
      extraCaPem: microsoft.caPem,
    },
  };
}
