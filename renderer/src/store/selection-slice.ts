/**
 * Which contacts are ticked and which row has the keyboard focus. Kept apart from the list so a
 * tick re-renders only the rows whose selector result changed, even with 100,000 contacts.
 */
import type { SliceCreator } from './store-types';

export interface SelectionSlice {
  checkedIds: ReadonlySet<string>;
  /** Index of the active row in the current list (keyboard focus). */
  activeIndex: number;
  toggleChecked(contactId: string): void;
  setChecked(contactIds: readonly string[]): void;
  clearChecked(): void;
  setActiveIndex(index: number): void;
}

export const createSelectionSlice: SliceCreator<SelectionSlice> = (set) => ({
  checkedIds: new Set<string>(),
  activeIndex: 0,

  toggleChecked(contactId) {
    set((state) => {
      const next = new Set(state.checkedIds);
      if (next.has(contactId)) next.delete(contactId);
      else next.add(contactId);
      return { checkedIds: next };
    });
  },

  setChecked(contactIds) {
    set({ checkedIds: new Set(contactIds) });
  },

  clearChecked() {
    set({ checkedIds: new Set<string>() });
  },

  setActiveIndex(index) {
    set({ activeIndex: Math.max(0, index) });
  },
});
