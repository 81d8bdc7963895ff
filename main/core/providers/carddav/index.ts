/** The CardDAV source: import only from here. */
export { createCardDavProvider, CARDDAV_USER_ID, type CardDavDeps } from './carddav-provider';
export {
  CARDDAV_PRESETS,
  cardDavSettingsSchema,
  serverUrlFor,
  type CardDavAccountSettings,
  type CardDavPreset,
  type CardDavSecrets,
} from './settings';
export { cardDavDescriptor } from './descriptor';
