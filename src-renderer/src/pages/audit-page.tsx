// The audit log: who changed what, when. Paged on the server (50 a page, "Showing 1–50 of N");
// the filters stay while paging, and the export is the whole filtered set, streamed by the core
// (a download, not an API answer: every matching entry, however many).
import { useState } from 'react';
import { Badge, Code, Group, Stack, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '../api/use-query';
import { ErrorAlert, ListEmptyState, Loading, PageHeader } from '../components/common';
import { DownloadButton } from '../components/download-button';
import { formatDateTime } from '../lib/format';
import { PAGE_SIZE, usePageOffset } from '../components/pager';
import { PagedTable } from '../components/paged-table';

export function AuditPage() {
  const [text, setText] = useState('');
  const [method, setMethod] = useState('');
  const [dText] = useDebouncedValue(text.trim(), 300);
  const [dMethod] = useDebouncedValue(method.trim(), 300);
  const filter = { text: dText || undefined, method: dMethod || undefined };
  const [offset, setOffset] = usePageOffset(JSON.stringify(filter));
  const audit = useQuery('audit-list', { ...filter, limit: PAGE_SIZE, offset });
  const rows = audit.data?.entries ?? [];
  const total = audit.data?.total ?? 0;
  const filtered = Boolean(filter.text ?? filter.method);
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change made through StrataCharge, by whom and when."
        actions={
          <DownloadButton label="Export CSV" request={() => ({ kind: 'audit-csv', filter })} />
        }
      />
      <Stack>
        <Group>
          <TextInput
            label="Search"
            placeholder="Email, entity, value…"
            leftSection={<IconSearch size={14} />}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <TextInput
            label="Action"
            placeholder="e.g. floor-create"
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value)}
          />
        </Group>
        {audit.error ? <ErrorAlert error={audit.error} /> : null}
        {audit.loading ? (
          <Loading />
        ) : total === 0 ? (
          <ListEmptyState
            filtered={filtered}
            onClearFilters={() => {
              setText('');
              setMethod('');
            }}
            title={filtered ? 'No entries match these filters' : 'No changes recorded yet'}
          >
            {filtered
              ? 'Try a shorter search, or clear the filters to see every entry.'
              : 'Changes appear here as soon as someone makes one.'}
          </ListEmptyState>
        ) : (
          <PagedTable
            label="Audit entries"
            noun="entries"
            rows={rows}
            rowKey={(r) => r.id}
            total={total}
            offset={offset}
            onOffset={setOffset}
            columns={[
              {
                header: 'When',
                style: { whiteSpace: 'nowrap' },
                cell: (e) => formatDateTime(e.at),
              },
              { header: 'Who', cell: (e) => e.userEmail ?? 'system' },
              {
                header: 'Action',
                cell: (e) => <Code style={{ whiteSpace: 'nowrap' }}>{e.method}</Code>,
              },
              {
                header: 'Entity',
                cell: (e) => (e.entity ? `${e.entity}${e.entityId ? ` #${e.entityId}` : ''}` : '—'),
              },
              {
                header: 'Outcome',
                cell: (e) => (
                  <Badge color={e.outcome === 'ok' ? 'green' : 'red'} variant="light">
                    {e.outcome}
                  </Badge>
                ),
              },
            ]}
            detail={(e) => (
              <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {JSON.stringify({ input: e.input, before: e.before, after: e.after }, null, 2)}
              </Code>
            )}
          />
        )}
      </Stack>
    </>
  );
}
