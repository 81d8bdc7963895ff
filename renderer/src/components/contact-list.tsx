/**
 * The virtualized contact list: only the visible rows are in the DOM (fixed row height, see
 * lib/windowing.ts) and only their pages are fetched; a row whose page is on its way shows as
 * loading. Keyboard: arrows/Page/Home/End move the active row,
 * Space ticks it, Enter opens its details; the grid keeps focus and points at the row with
 * aria-activedescendant, so the row checkboxes and info buttons stay out of the Tab order.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ContactSummaryView } from '../lib/api-types';
import { computeWindow, nextActiveIndex, scrollToReveal } from '../lib/windowing';
import { rowAt, selectAllChecked } from '../store/selectors';
import { useStore } from '../store/store';
import { strings } from '../strings';
import { ErrorMessage } from './error-message';

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
  const { list, activeIndex, listError, listLoading, searching, detailsId } = useStore(
    useShallow((s) => ({
      list: s.list,
      activeIndex: s.activeIndex,
      listError: s.listError,
      listLoading: s.listLoading,
      searching: s.browseSearch.trim().length > 0,
      detailsId: s.detailsId,
    })),
  );
  const allChecked = useStore(selectAllChecked);
  const { setActiveIndex, toggleChecked, selectAll, clearChecked, openDetails, loadList, ensureRows } =
    useStore(
      useShallow((s) => ({
        setActiveIndex: s.setActiveIndex,
        toggleChecked: s.toggleChecked,
        selectAll: s.selectAll,
        clearChecked: s.clearChecked,
        openDetails: s.openDetails,
        loadList: s.loadList,
        ensureRows: s.ensureRows,
      })),
    );
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

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed in a row's checkbox or button (after a click focused it) are theirs to handle.
    if (count === 0 || event.target !== event.currentTarget) return;
    const pageRows = Math.max(1, Math.floor(viewportHeight / ROW_HEIGHT) - 1);
    const moved = nextActiveIndex(event.key, active, count, pageRows);
    if (moved !== undefined) {
      event.preventDefault();
      setActiveIndex(moved);
      reveal(moved);
      return;
    }
    const item = rowAt(list, active);
    if (event.key === ' ' && item) {
      event.preventDefault();
      toggleChecked(item.id);
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
        onToggle={toggleChecked}
        onActivate={onRowActivate}
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
        aria-colcount={5}
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
          <div role="columnheader" className="cell-name">
            {strings.info.name}
          </div>
          <div role="columnheader" className="cell-email">
            {strings.info.emails}
          </div>
          <div role="columnheader" className="cell-phone">
            {strings.info.phones}
          </div>
          <div role="columnheader" className="cell-info">
            <span className="visually-hidden">{strings.info.title}</span>
          </div>
        </div>
        <div role="rowgroup" className="list-body" style={{ height: range.totalHeight }}>
          {rows}
        </div>
      </div>
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
  readonly onToggle: (id: string) => void;
  readonly onActivate: (index: number, id: string) => void;
}

/** One row; subscribes only to its own tick so ticking one contact re-renders one row. */
const ContactRow = memo(function ContactRow({
  item,
  index,
  active,
  open,
  onToggle,
  onActivate,
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
      onClick={() => onActivate(index, item.id)}
    >
      <div role="gridcell" className="cell-check">
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={strings.contacts.selectContact(item.displayName)}
          data-testid="contact-row-checkbox"
          checked={checked}
          onClick={(event) => event.stopPropagation()}
          onChange={() => onToggle(item.id)}
        />
      </div>
      <div role="gridcell" className="cell-name">
        <span className="name">{item.displayName}</span>
        {item.organization ? <span className="muted"> · {item.organization}</span> : null}
        {item.deleted ? (
          <span className="badge badge-warn" data-testid="deleted-badge">
            {strings.contacts.deletedAtSource}
          </span>
        ) : null}
      </div>
      <div role="gridcell" className="cell-email">
        {item.email ?? ''}
      </div>
      <div role="gridcell" className="cell-phone">
        {item.phone ?? ''}
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
