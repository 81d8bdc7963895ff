/**
 * The list's context menu (right-click, the ContextMenu key or Shift+F10): Back up now, Restore,
 * Delete, Export, Show versions for the selected contacts. A WAI-ARIA menu: focus goes to its
 * first item, arrows move, Escape or a click elsewhere closes it and gives focus back to the list.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { strings } from '../strings';
import type { ContactActions } from './use-contact-actions';

export interface ContextMenuState {
  /** Position in the viewport (the pointer, or the active row for the keyboard). */
  readonly x: number;
  readonly y: number;
  readonly contactIds: readonly string[];
  /** The contact right-clicked or active, whose versions "Show versions" opens. */
  readonly focusId: string;
}

export function ContactContextMenu({
  menu,
  actions,
  onClose,
}: {
  readonly menu: ContextMenuState;
  readonly actions: ContactActions;
  readonly onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
  }, []);

  // Keep the menu inside the window: a right-click near the bottom opens it upwards.
  const style = {
    left: Math.max(4, Math.min(menu.x, window.innerWidth - 240)),
    top: Math.max(4, Math.min(menu.y, window.innerHeight - 230)),
  };
  const ids = menu.contactIds;
  const items: { id: string; label: string; run: () => void; danger?: boolean }[] = [
    { id: 'backup', label: strings.contacts.backupNow, run: () => void actions.backup(ids) },
    { id: 'restore', label: strings.contacts.restore, run: () => actions.restore(ids) },
    { id: 'delete', label: strings.contacts.delete, run: () => actions.remove(ids), danger: true },
    { id: 'export', label: strings.contacts.export, run: () => actions.exportContacts(ids) },
    { id: 'versions', label: strings.contacts.showVersions, run: () => actions.showVersions(menu.focusId) },
  ];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const go = (index: number) => {
      event.preventDefault();
      buttons[(index + buttons.length) % buttons.length]?.focus();
    };
    if (event.key === 'ArrowDown') go(at + 1);
    else if (event.key === 'ArrowUp') go(at - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(buttons.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };

  return (
    <div
      ref={ref}
      className="context-menu menu-popup"
      role="menu"
      aria-label={strings.contacts.contextMenu(ids.length)}
      data-testid="context-menu"
      style={style}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) onClose();
      }}
    >
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={`menu-popup-item${item.danger ? ' is-danger' : ''}`}
          data-testid={`context-${item.id}`}
          onClick={() => {
            onClose();
            item.run();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
