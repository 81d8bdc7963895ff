/**
 * Which contacts are selected and which row has the keyboard focus, with the selection gestures of
 * Outlook and Google Contacts: click selects one, Ctrl/Cmd-click toggles, Shift-click selects from
 * the anchor, Ctrl+A all, Escape none. Kept apart from the list so a change re-renders only the rows
 * whose selector result changed, even with 100,000 contacts.
 */
import { call } from '../lib/api-client';
import { listQuery, PAGE_SIZE } from './contacts-slice';
import type { SliceCreator } from './store-types';

export interface SelectionSlice {
  checkedIds: ReadonlySet<string>;
  /** Index of the active row in the current list (keyboard focus). */
  activeIndex: number;
  /** Where a Shift-click or Shift+arrow range starts: the last row clicked or toggled alone. */
  anchorIndex: number;
  toggleChecked(contactId: string): void;
  setChecked(contactIds: readonly string[]): void;
  clearChecked(): void;
  setActiveIndex(index: number): void;
  /** A plain click: this contact alone is selected and becomes the anchor. */
  selectOnly(index: number, contactId: string): void;
  /** Ctrl/Cmd-click or Space: this contact is added or removed and becomes the anchor. */
  toggleAt(index: number, contactId: string): void;
  /** Shift-click or Shift+arrow: every row from the anchor to `index`, loaded or not, is selected. */
  selectRange(index: number): Promise<void>;
}

export const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => ({
  checkedIds: new Set<string>(),
  activeIndex: 0,
  anchorIndex: 0,

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

  selectOnly(index, contactId) {
    set({ checkedIds: new Set([contactId]), activeIndex: index, anchorIndex: index });
  },

  toggleAt(index, contactId) {
    get().toggleChecked(contactId);
    set({ activeIndex: index, anchorIndex: index });
  },

  async selectRange(index) {
    const { list, anchorIndex } = get();
    if (!list) return;
    const from = Math.min(anchorIndex, index);
    const to = Math.min(Math.max(anchorIndex, index), list.total - 1);
    set({ activeIndex: index });
    const loaded: string[] = [];
    for (let at = from; at <= to; at++) {
      const id = list.pages[Math.floor(at / PAGE_SIZE)]?.[at % PAGE_SIZE]?.id;
      if (!id) break;
      loaded.push(id);
    }
    if (loaded.length === to - from + 1) {
      set({ checkedIds: new Set(loaded) });
      return;
    }
    // Part of the range is not loaded: the ids of the whole query, in list order, cover it.
    const key = list.key;
    const result = await call('contacts.ids', listQuery(get()));
    if (get().list?.key !== key) return;
    if (result.ok) set({ checkedIds: new Set(result.value.slice(from, to + 1)) });
    else set({ listError: result.error });
  },
});
