/**
 * The virtualized contact list: only the visible rows are in the DOM (fixed row height, see
 * lib/windowing.ts) and only their pages are fetched; a row whose page is on its way shows as
 * loading. Selection as in Outlook and Google Contacts: click selects one row (and opens its
 * details), Ctrl/Cmd-click toggles, Shift-click selects a range; right-click opens the context
 * menu. Keyboard: arrows/Page/Home/End move the active row, Shift with them extends the range,
 * Space toggles, Ctrl+A selects all, Escape clears, Enter opens the details, the ContextMenu key or
 * Shift+F10 opens the menu. Name, Company and Last changed sort when their header is pressed. The
 * grid keeps focus and points at the row with aria-activedescendant, so the row checkboxes and
 * info buttons stay out of the Tab order.
 */
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ContactSort, ContactSummaryView } from '../lib/api-types';
import { formatDate, formatPhone } from '../lib/format';
import { computeWindow, nextActiveIndex, scrollToReveal } from '../lib/windowing';
import { rowAt, selectAllChecked } from '../store/selectors';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ContactContextMenu, type ContextMenuState } from './contact-context-menu';
import { ErrorMessage } from './error-message';
import { useContactActions } from './use-contact-actions';

/** Row height in pixels; styles.css uses the same value (--row-height). */
export const ROW_HEIGHT = 36;
const OVERSCAN = 8;
/** Used before the first measurement (and by server-side rendering in tests). */
const DEFAULT_VIEWPORT = 480;

/** Ids of the rows, so aria-activedescendant can name one. */
export function rowDomId(index: number): string {
  return `contact-row-${index}`;
}

// The layout effect only runs in a browser; this keeps server rendering in tests quiet.
const useIsomorphicLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

export function ContactList() {
  const { list, activeIndex, listError, listLoading, searching, detailsId, sort } = useStore(
    useShallow((s) => ({
      list: s.list,
      activeIndex: s.activeIndex,
      listError: s.listError,
      listLoading: s.listLoading,
      searching: s.browseSearch.trim().length > 0,
      detailsId: s.detailsId,
      sort: s.browseSort,
    })),
  );
  const allChecked = useStore(selectAllChecked);
  const {
    setActiveIndex,
    toggleAt,
    selectOnly,
    selectRange,
    selectAll,
    clearChecked,
    openDetails,
    loadList,
    ensureRows,
    setSort,
  } = useStore(
    useShallow((s) => ({
      setActiveIndex: s.setActiveIndex,
      toggleAt: s.toggleAt,
      selectOnly: s.selectOnly,
      selectRange: s.selectRange,
      selectAll: s.selectAll,
      clearChecked: s.clearChecked,
      openDetails: s.openDetails,
      loadList: s.loadList,
      ensureRows: s.ensureRows,
      setSort: s.setSort,
    })),
  );
  const actions = useContactActions();
  const [menu, setMenu] = useState<ContextMenuState | undefined>();
  const count = list?.total ?? 0;
  const viewportRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(DEFAULT_VIEWPORT);

  useIsomorphicLayoutEffect(() => {
    const element = viewportRef.current;
    if (!element) return;
    const measure = () => setViewportHeight(element.clientHeight || DEFAULT_VIEWPORT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // A new query (other user, folder, search, point in time) starts at the top; a refresh of the same
  // one (a backup finished) keeps the place. The scroll event that follows brings scrollTop in the
  // state back in step.
  const listKey = list?.key;
  useEffect(() => {
    if (viewportRef.current) viewportRef.current.scrollTop = 0;
  }, [listKey]);

  const range = computeWindow({
    count,
    rowHeight: ROW_HEIGHT,
    scrollTop,
    viewportHeight,
    overscan: OVERSCAN,
  });
  const active = Math.min(activeIndex, Math.max(0, count - 1));

  useEffect(() => {
    void ensureRows(range.start, range.end);
  }, [list, range.start, range.end, ensureRows]);

  const reveal = (index: number) => {
    const element = viewportRef.current;
    if (!element) return;
    // The sticky header takes one row's height at the top of the viewport.
    const next = scrollToReveal(index, ROW_HEIGHT, element.scrollTop, element.clientHeight - ROW_HEIGHT);
    if (next !== element.scrollTop) element.scrollTop = next;
  };

  /** Opens the context menu for the selection, or for `id` alone when it is not selected. */
  const openMenu = (x: number, y: number, index: number, id: string) => {
    const { checkedIds } = useStore.getState();
    if (!checkedIds.has(id)) selectOnly(index, id);
    const ids = useStore.getState().checkedIds;
    setMenu({ x, y, contactIds: [...ids], focusId: id });
  };

  const closeMenu = () => {
    setMenu(undefined);
    viewportRef.current?.focus({ preventScroll: true });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed in a row's checkbox or button (after a click focused it) are theirs to handle.
    if (count === 0 || event.target !== event.currentTarget) return;
    const pageRows = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);
    const moved = nextActiveIndex(event.key, active, count, pageRows);
    if (moved !== undefined) {
      event.preventDefault();
      if (event.shiftKey) {
        // Shift+arrow extends from the anchor; with nothing selected the range starts here.
        if (useStore.getState().checkedIds.size === 0) useStore.setState({ anchorIndex: active });
        void selectRange(moved);
      } else setActiveIndex(moved);
      reveal(moved);
      return;
    }
    const item = rowAt(list, active);
    if ((event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) && item) {
      event.preventDefault();
      const row = document.getElementById(rowDomId(active))?.getBoundingClientRect();
      openMenu(row ? row.left + 40 : 40, row ? row.bottom : 40, active, item.id);
    } else if (event.key === 'Escape') {
      if (useStore.getState().checkedIds.size > 0) {
        event.preventDefault();
        clearChecked();
      }
    } else if (event.key === ' ' && item) {
      event.preventDefault();
      toggleAt(active, item.id);
    } else if (event.key === 'Enter' && item) {
      event.preventDefault();
      void openDetails(item.id);
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      void selectAll();
    }
  };

  const onRowActivate = useCallback(
    (index: number, id: string) => {
      setActiveIndex(index);
      viewportRef.current?.focus({ preventScroll: true });
      void openDetails(id);
    },
    [setActiveIndex, openDetails],
  );

  const onRowClick = useCallback(
    (event: MouseEvent, index: number, id: string) => {
      viewportRef.current?.focus({ preventScroll: true });
      if (event.shiftKey) {
        event.preventDefault();
        void selectRange(index);
      } else if (event.ctrlKey || event.metaKey) {
        toggleAt(index, id);
      } else {
        selectOnly(index, id);
        void openDetails(id);
      }
    },
    [selectRange, toggleAt, selectOnly, openDetails],
  );

  const onRowMenu = useCallback(
    (event: MouseEvent, index: number, id: string) => {
      event.preventDefault();
      const { checkedIds } = useStore.getState();
      if (!checkedIds.has(id)) selectOnly(index, id);
      else setActiveIndex(index);
      setMenu({
        x: event.clientX,
        y: event.clientY,
        contactIds: [...useStore.getState().checkedIds],
        focusId: id,
      });
    },
    [selectOnly, setActiveIndex],
  );

  if (listError) return <ErrorMessage error={listError} onRetry={loadList} testId="contact-list-error" />;
  if (!list) return <p aria-busy="true">{strings.loading}</p>;

  const rows = [];
  for (let index = range.start; index < range.end; index++) {
    const item = rowAt(list, index);
    if (!item) {
      rows.push(<PendingRow key={`pending-${index}`} index={index} />);
      continue;
    }
    rows.push(
      <ContactRow
        key={item.id}
        item={item}
        index={index}
        active={index === active}
        open={item.id === detailsId}
        onToggle={toggleAt}
        onActivate={onRowActivate}
        onRowClick={onRowClick}
        onRowMenu={onRowMenu}
      />,
    );
  }

  return (
    <div className="contact-list" aria-busy={listLoading}>
      <p className="muted small" id="contact-list-hint">
        {strings.contacts.listHint}
      </p>
      {count === 0 ? (
        <p className="empty-state" data-testid="contact-list-empty">
          {searching ? strings.contacts.emptySearch : strings.contacts.emptyList}
        </p>
      ) : null}
      <div
        ref={viewportRef}
        className="list-viewport"
        role="grid"
        tabIndex={0}
        aria-label={strings.contacts.list}
        aria-describedby="contact-list-hint"
        aria-multiselectable="true"
        aria-rowcount={count + 1}
        aria-colcount={7}
        // Only a rendered row can be named: after scrolling the active row away it is not in the DOM.
        aria-activedescendant={active >= range.start && active < range.end ? rowDomId(active) : undefined}
        data-testid="contact-list"
        data-total={count}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div role="row" aria-rowindex={1} className="list-header">
          <div role="columnheader" className="cell-check">
            <input
              type="checkbox"
              tabIndex={-1}
              aria-label={strings.contacts.selectAll}
              data-testid="select-all"
              checked={allChecked}
              disabled={count === 0}
              onChange={() => (allChecked ? clearChecked() : void selectAll())}
            />
          </div>
          <SortHeader column="name" label={strings.info.name} sort={sort} onSort={setSort} />
          <SortHeader column="company" label={strings.contacts.company} sort={sort} onSort={setSort} />
          <div role="columnheader" className="cell-email">
            {strings.info.emails}
          </div>
          <div role="columnheader" className="cell-phone">
            {strings.info.phones}
          </div>
          <SortHeader column="updated" label={strings.contacts.lastChanged} sort={sort} onSort={setSort} />
          <div role="columnheader" className="cell-info">
            <span className="visually-hidden">{strings.info.title}</span>
          </div>
        </div>
        <div role="rowgroup" className="list-body" style={{ height: range.totalHeight }}>
          {rows}
        </div>
      </div>
      {menu && actions ? <ContactContextMenu menu={menu} actions={actions} onClose={closeMenu} /> : null}
    </div>
  );
}

const SORT_CLASS: Record<ContactSort, string> = {
  name: 'cell-name',
  company: 'cell-company',
  updated: 'cell-updated',
};

/**
 * A column header that sorts: a button in the header cell, in the Tab order (the grid's own arrow
 * keys move between contacts), with aria-sort on the header telling the current order.
 */
function SortHeader({
  column,
  label,
  sort,
  onSort,
}: {
  readonly column: ContactSort;
  readonly label: string;
  readonly sort: { readonly by: ContactSort; readonly descending: boolean };
  readonly onSort: (column: ContactSort) => Promise<void>;
}) {
  const current = sort.by === column;
  return (
    <div
      role="columnheader"
      className={SORT_CLASS[column]}
      aria-sort={current ? (sort.descending ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="sort-button"
        data-testid={`sort-${column}`}
        aria-label={strings.contacts.sortBy(label)}
        onClick={() => void onSort(column)}
      >
        {label}
        <span aria-hidden="true" className="sort-mark">
          {current ? (sort.descending ? ' ▼' : ' ▲') : ''}
        </span>
      </button>
    </div>
  );
}

/** A row whose page has not arrived yet: same height and position, announced as loading. */
function PendingRow({ index }: { readonly index: number }) {
  return (
    <div
      role="row"
      id={rowDomId(index)}
      aria-rowindex={index + 2}
      aria-busy="true"
      className="list-row is-pending"
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="contact-row-pending"
    >
      <div role="gridcell" className="cell-name muted">
        {strings.loading}
      </div>
    </div>
  );
}

interface ContactRowProps {
  readonly item: ContactSummaryView;
  readonly index: number;
  readonly active: boolean;
  readonly open: boolean;
  /** The row's checkbox: toggles it and makes it the anchor of a later Shift-click. */
  readonly onToggle: (index: number, id: string) => void;
  readonly onActivate: (index: number, id: string) => void;
  readonly onRowClick: (event: MouseEvent, index: number, id: string) => void;
  readonly onRowMenu: (event: MouseEvent, index: number, id: string) => void;
}

/** One row; subscribes only to its own tick so ticking one contact re-renders one row. */
const ContactRow = memo(function ContactRow({
  item,
  index,
  active,
  open,
  onToggle,
  onActivate,
  onRowClick,
  onRowMenu,
}: ContactRowProps) {
  const checked = useStore((s) => s.checkedIds.has(item.id));
  const classes = ['list-row'];
  if (active) classes.push('is-active');
  if (open) classes.push('is-open');
  if (item.deleted) classes.push('is-deleted');
  return (
    <div
      role="row"
      id={rowDomId(index)}
      aria-rowindex={index + 2}
      aria-selected={checked}
      className={classes.join(' ')}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="contact-row"
      data-contact-id={item.id}
      data-index={index}
      onClick={(event) => onRowClick(event, index, item.id)}
      onContextMenu={(event) => onRowMenu(event, index, item.id)}
    >
      <div role="gridcell" className="cell-check">
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={strings.contacts.selectContact(item.displayName)}
          data-testid="contact-row-checkbox"
          checked={checked}
          onClick={(event) => event.stopPropagation()}
          onChange={() => onToggle(index, item.id)}
        />
      </div>
      <div role="gridcell" className="cell-name">
        <span className="name">{item.displayName}</span>
        {item.deleted ? (
          <span className="badge badge-warn" data-testid="deleted-badge">
            {strings.contacts.deletedAtSource}
          </span>
        ) : null}
      </div>
      <div role="gridcell" className="cell-company">
        {item.organization ?? ''}
      </div>
      <div role="gridcell" className="cell-email">
        {item.email ?? ''}
      </div>
      <div role="gridcell" className="cell-phone">
        {item.phone ? formatPhone(item.phone) : ''}
      </div>
      <div role="gridcell" className="cell-updated">
        {formatDate(item.updatedAt)}
      </div>
      <div role="gridcell" className="cell-info">
        <button
          type="button"
          tabIndex={-1}
          className="info-button"
          aria-label={strings.contacts.info(item.displayName)}
          data-testid="contact-info-button"
          onClick={(event) => {
            event.stopPropagation();
            onActivate(index, item.id);
          }}
        >
          i
        </button>
      </div>
    </div>
  );
});
