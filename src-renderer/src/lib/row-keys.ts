// Rows that open details on click, made usable from the keyboard: each row is a tab stop,
// Enter/Space toggles it, ArrowUp/ArrowDown (Home/End) move between the table's rows.
import type { CSSProperties, KeyboardEvent } from 'react';

const ROW_SELECTOR = 'tr[data-row-toggle]';

function moveFocus(from: HTMLTableRowElement, key: string): boolean {
  const body = from.closest('tbody');
  if (!body) return false;
  const rows = [...body.querySelectorAll<HTMLTableRowElement>(ROW_SELECTOR)];
  const i = rows.indexOf(from);
  const target =
    key === 'ArrowDown'
      ? rows[i + 1]
      : key === 'ArrowUp'
        ? rows[i - 1]
        : key === 'Home'
          ? rows[0]
          : key === 'End'
            ? rows[rows.length - 1]
            : undefined;
  if (!target) return false;
  target.focus();
  return true;
}

export function toggleRowProps(isOpen: boolean, toggle: () => void) {
  return {
    tabIndex: 0,
    'aria-expanded': isOpen,
    'data-row-toggle': true,
    className: 'mantine-focus-auto',
    style: { cursor: 'pointer', outlineOffset: -2 } satisfies CSSProperties,
    onClick: toggle,
    onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle();
      } else if (moveFocus(e.currentTarget, e.key)) e.preventDefault();
    },
  };
}
