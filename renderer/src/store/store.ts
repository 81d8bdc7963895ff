/**
 * The one renderer store (style.md: one zustand store from typed slices). Components read it with
 * small selectors; `resetStore()` gives each test a fresh store without reloading modules.
 */
import { create } from 'zustand';
import { setApi } from '../lib/api-client';
import { createAccountsSlice } from './accounts-slice';
import { createContactsSlice } from './contacts-slice';
import { createNotificationsSlice } from './notifications-slice';
import { createSelectionSlice } from './selection-slice';
import { createSessionSlice } from './session-slice';
import { createSignInSlice } from './sign-in-slice';
import { createSettingsSlice } from './settings-slice';
import type { StoreState } from './store-types';
import { createTasksSlice } from './tasks-slice';
import { createUiSlice } from './ui-slice';

/** The store hook; `useStore.getState()` outside React. */
export const useStore = create<StoreState>()((...args) => ({
  ...createSessionSlice(...args),
  ...createAccountsSlice(...args),
  ...createContactsSlice(...args),
  ...createSelectionSlice(...args),
  ...createTasksSlice(...args),
  ...createNotificationsSlice(...args),
  ...createUiSlice(...args),
  ...createSignInSlice(...args),
  ...createSettingsSlice(...args),
}));

/** Back to the initial state and no API bound: for tests, which each bind their own fake. */
export function resetStore(): void {
  setApi(undefined);
  useStore.setState(useStore.getInitialState(), true);
}
