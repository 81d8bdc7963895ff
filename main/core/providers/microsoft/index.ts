/** Public entry of the Microsoft provider: import only from here (README.md). */
export { signInMicrosoft, saveMicrosoftClientSecret, type SignInOptions } from './auth';
export { createMicrosoftProvider, type MicrosoftProviderDeps } from './microsoft-provider';
export type { MicrosoftAccountSettings, MicrosoftSecrets } from './settings';
export { NO_PHOTO } from './photos';
