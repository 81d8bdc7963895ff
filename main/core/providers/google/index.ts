/** The Google provider's public surface; other code imports only from here (see README.md). */
export { createGoogleProvider, type GoogleProviderDeps } from './google-provider';
export { signInGoogle } from './sign-in';
export type {
  GoogleAccountSettings,
  GooglePersonalSecrets,
  GoogleSecrets,
  GoogleServiceAccountKey,
  GoogleWorkspaceSecrets,
} from './settings';
