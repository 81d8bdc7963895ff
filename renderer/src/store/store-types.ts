/**
 * The shape of the one renderer store, assembled from typed slices (style.md: zustand slices). Each
 * slice lives in its own file; this module only names them so slices can read each other's state.
 */
import type { StateCreator } from 'zustand';
import type { AccountsSlice } from './accounts-slice';
import type { ContactsSlice } from './contacts-slice';
import type { NotificationsSlice } from './notifications-slice';
import type { SelectionSlice } from './selection-slice';
import type { SessionSlice } from './session-slice';
import type { SignInSlice } from './sign-in-slice';
import type { SettingsSlice } from './settings-slice';
import type { TasksSlice } from './tasks-slice';
import type { UiSlice } from './ui-slice';

export type StoreState = SessionSlice &
  AccountsSlice &
  ContactsSlice &
  SelectionSlice &
  TasksSlice &
  NotificationsSlice &
  UiSlice &
  SignInSlice &
  SettingsSlice;

/** A slice creator that sees the whole store. */
export type SliceCreator<T> = StateCreator<StoreState, [], [], T>;
