/**
 * A menu button (the "Folder" menu of the user guide: Folder > Restore Folder). Follows the WAI-ARIA
 * menu button pattern: arrows move between items, Escape closes and returns focus to the button.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuAction {
  readonly id: string;
  readonly label: string;
  readonly onSelect: () => void;
  readonly disabled?: boolean;
}

export interface MenuButtonProps {
  readonly label: string;
  readonly testId: string;
  readonly actions: readonly MenuAction[];
}

export function MenuButton({ label, testId, actions }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const menuId = `${testId}-menu`;

  useEffect(() => {
    if (open) itemRefs.current.find((item) => item && !item.disabled)?.focus();
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent) => {
    const items = itemRefs.current.filter((item): item is HTMLButtonElement =>
      Boolean(item && !item.disabled),
    );
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      items[(index + 1) % items.length]?.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      items[(index - 1 + items.length) % items.length]?.focus();
    } else if (event.key === 'Home') {
      event.preventDefault();
      items[0]?.focus();
    } else if (event.key === 'End') {
      event.preventDefault();
      items[items.length - 1]?.focus();
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  return (
    <div
      className="menu-button"
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="button"
        data-testid={testId}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            setOpen(true);
          } else if (event.key === 'Escape' && open) {
            // Focus stays on the button when every item is disabled; Escape must still close.
            event.preventDefault();
            setOpen(false);
          }
        }}
      >
        {label} ▾
      </button>
      {open ? (
        <div className="menu-popup" role="menu" id={menuId} aria-label={label} onKeyDown={onMenuKey}>
          {actions.map((action, index) => (
            <button
              key={action.id}
              ref={(element) => {
                itemRefs.current[index] = element;
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-popup-item"
              data-testid={`${testId}-${action.id}`}
              disabled={action.disabled}
              onClick={() => {
                close(true);
                action.onSelect();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
