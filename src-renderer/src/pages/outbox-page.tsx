// The outbox (administrators): every email StrataCharge sends, its state, attempts, the last
// error in words that say how to fix it, the server's answer, and "Retry now".
import { Badge, Button, Code, Group, Select, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { OutboxMessage, OutboxState } from '../../../src-shared/api/methods/mail';
import { api } from '../api/client';
import { useQuery } from '../api/use-query';
import { ErrorAlert, ListEmptyState, Loading } from '../components/common';
import { PAGE_SIZE, usePageOffset } from '../components/pager';
import { PagedTable, type PagedColumn } from '../components/paged-table';
import { runAction } from '../lib/actions';
import { formatDateTime } from '../lib/format';

/** A burst of changes (a digest to every administrator, a queue being sent) reloads once. */
const RELOAD_AFTER_MS = 300;

const STATE_LABEL: Record<OutboxState, { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'blue' },
  sending: { label: 'Sending', color: 'yellow' },
  sent: { label: 'Sent', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
};

function columns(onChange: () => void): PagedColumn<OutboxMessage>[] {
  return [
    {
      header: 'Queued',
      style: { whiteSpace: 'nowrap' },
      cell: (m) => formatDateTime(m.createdAt),
    },
    { header: 'To', cell: (m) => m.to.join(', ') },
    {
      header: 'Subject',
      cell: (m) => (
        <>
          <Text size="sm">{m.subject}</Text>
          <Text size="xs" c="dimmed">
            {m.kind}
            {m.attachments ? ` · ${m.attachments} attachment${m.attachments > 1 ? 's' : ''}` : ''}
          </Text>
        </>
      ),
    },
    {
      header: 'State',
      cell: (m) => (
        <>
          <Badge color={STATE_LABEL[m.state].color} variant="light">
            {STATE_LABEL[m.state].label}
          </Badge>
          {m.state === 'queued' && m.nextAttemptAt && m.attempts > 0 ? (
            <Text size="xs" c="dimmed">
              next try {formatDateTime(m.nextAttemptAt)}
            </Text>
          ) : null}
          {m.sentAt ? (
            <Text size="xs" c="dimmed">
              {formatDateTime(m.sentAt)}
            </Text>
          ) : null}
        </>
      ),
    },
    { header: 'Attempts', cell: (m) => m.attempts },
    {
      header: 'Last error / server answer',
      cell: (m) => (
        <>
          {m.lastError ? <Text size="sm">{m.lastError}</Text> : null}
          {m.serverAnswer ? <Code>{m.serverAnswer}</Code> : null}
        </>
      ),
    },
    {
      header: '',
      cell: (m) =>
        m.state === 'failed' || m.state === 'queued' ? (
          <Button
            size="xs"
            variant="default"
            onClick={async () => {
              const r = await runAction('mail-outbox-retry', { id: m.id }, { success: 'Queued' });
              if (r.ok) onChange();
            }}
          >
            Retry now
          </Button>
        ) : null,
    },
  ];
}

export function OutboxPanel() {
  const [state, setState] = useState<OutboxState | null>(null);
  const [offset, setOffset] = usePageOffset(state ?? '');
  const list = useQuery('mail-outbox-list', {
    state: state ?? undefined,
    limit: PAGE_SIZE,
    offset,
  });
  // Live: a message queued, sending, sent or failed reloads the page shown (same filter and
  // page), so the states change without pressing Refresh.
  const { refresh } = list;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.onEvent((e) => {
      if (e.type !== 'mail-outbox-changed' || timer) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, RELOAD_AFTER_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [refresh]);
  const rows = list.data?.messages ?? [];
  const total = list.data?.total ?? 0;
  return (
    <Stack>
      <Group justify="space-between">
        <Select
          label="State"
          placeholder="All"
          clearable
          data={(Object.keys(STATE_LABEL) as OutboxState[]).map((s) => ({
            value: s,
            label: STATE_LABEL[s].label,
          }))}
          value={state}
          onChange={(v) => setState(v as OutboxState | null)}
        />
        <Button variant="default" onClick={list.refresh}>
          Refresh
        </Button>
      </Group>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.loading ? (
        <Loading />
      ) : total === 0 ? (
        <ListEmptyState
          filtered={state !== null}
          onClearFilters={() => setState(null)}
          title={state ? 'No messages in this state' : 'No email sent yet'}
        >
          {state
            ? 'Clear the filter to see every message.'
            : 'Invoices and alarm emails appear here when they are sent.'}
        </ListEmptyState>
      ) : (
        <PagedTable
          label="Outbox"
          noun="messages"
          rows={rows}
          rowKey={(m) => m.id}
          total={total}
          offset={offset}
          onOffset={setOffset}
          columns={columns(list.refresh)}
        />
      )}
    </Stack>
  );
}
