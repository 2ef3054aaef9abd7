// Paging for long server-side lists (audit log, OCPP message log): "Showing 1–50 of 1,234" with
// previous/next. The server does the paging (limit/offset, total), so the browser never holds more
// than one page; filters stay as they are and a new filter starts again at the first page.
import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { formatNumber } from '../lib/format';

export const PAGE_SIZE = 50;

/** The current offset; back to 0 whenever `filterKey` (the serialised filters) changes. */
export function usePageOffset(filterKey: string): [number, (offset: number) => void] {
  const [page, setPage] = useState({ key: filterKey, offset: 0 });
  const offset = page.key === filterKey ? page.offset : 0;
  return [offset, (next: number) => setPage({ key: filterKey, offset: Math.max(0, next) })];
}

export function Pager({
  offset,
  total,
  shown,
  onChange,
  noun,
  pageSize = PAGE_SIZE,
  totalCapped = false,
  hasNext,
}: {
  offset: number;
  total: number;
  /** Rows on this page. */
  shown: number;
  onChange: (offset: number) => void;
  /** e.g. "entries", "messages". */
  noun: string;
  pageSize?: number;
  /** The server stopped counting at `total` (keyset lists over millions: "more than"). */
  totalCapped?: boolean;
  /** Whether a next page exists, when the server says so (keyset `next`). */
  hasNext?: boolean;
}) {
  const of = totalCapped ? `more than ${formatNumber(total)}` : formatNumber(total);
  const from = shown === 0 ? 0 : offset + 1;
  const to = offset + shown;
  return (
    <Group justify="space-between" px="sm" py="xs" wrap="wrap" gap="xs">
      <Text size="sm" c="dimmed" data-testid="pager-status" aria-live="polite">
        {shown === 0
          ? `No ${noun} on this page (${of} in all)`
          : `Showing ${formatNumber(from)}–${formatNumber(to)} of ${of} ${noun}`}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconChevronLeft size={14} />}
          disabled={offset === 0}
          onClick={() => onChange(offset - pageSize)}
        >
          Previous
        </Button>
        <Button
          variant="default"
          size="xs"
          rightSection={<IconChevronRight size={14} />}
          disabled={hasNext === undefined ? to >= total : !hasNext}
          onClick={() => onChange(offset + pageSize)}
        >
          Next
        </Button>
      </Group>
    </Group>
  );
}
