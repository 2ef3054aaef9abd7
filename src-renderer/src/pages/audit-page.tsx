// The audit log: who changed what, when. Filter, then export exactly what is shown as CSV
// (the core builds the CSV so it includes every matching entry, not just this page).
import { Fragment, useState } from 'react';
import { Badge, Button, Code, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconDownload, IconSearch } from '@tabler/icons-react';
import { useDebouncedValue } from '@mantine/hooks';
import { api } from '../api/client';
import { useQuery } from '../api/use-query';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../components/common';
import { downloadText } from '../lib/download';
import { formatDateTime, formatNumber } from '../lib/format';
import { notifications } from '@mantine/notifications';
import { describeError } from '../lib/errors';

export function AuditPage() {
  const [text, setText] = useState('');
  const [method, setMethod] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  const [dText] = useDebouncedValue(text.trim(), 300);
  const [dMethod] = useDebouncedValue(method.trim(), 300);
  const filter = { text: dText || undefined, method: dMethod || undefined };
  const audit = useQuery('audit-list', { ...filter, limit: 200 });
  const rows = audit.data?.entries ?? [];
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change made through StrataCharge, by whom and when."
        actions={
          <Button
            leftSection={<IconDownload size={16} />}
            variant="default"
            loading={exporting}
            onClick={async () => {
              setExporting(true);
              const r = await api.call('audit-export', filter);
              setExporting(false);
              if (r.ok) downloadText(r.value.fileName, r.value.csv);
              else
                notifications.show({
                  color: 'red',
                  title: 'Export failed',
                  message: describeError(r.error),
                });
            }}
          >
            Export CSV
          </Button>
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
        ) : rows.length === 0 ? (
          <EmptyState title="No matching entries">
            Changes appear here as soon as someone makes one. Clear the filters to see everything.
          </EmptyState>
        ) : (
          <Paper withBorder>
            <Table verticalSpacing="xs" highlightOnHover aria-label="Audit entries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Entity</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((e) => (
                  <Fragment key={e.id}>
                    <Table.Tr
                      onClick={() => setOpen(open === e.id ? null : e.id)}
                      style={{ cursor: 'pointer' }}
                    >
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                      <Table.Td>{e.userEmail ?? 'system'}</Table.Td>
                      <Table.Td>
                        <Code>{e.method}</Code>
                      </Table.Td>
                      <Table.Td>
                        {e.entity ? `${e.entity}${e.entityId ? ` #${e.entityId}` : ''}` : '—'}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={e.outcome === 'ok' ? 'green' : 'red'} variant="light">
                          {e.outcome}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                    {open === e.id ? (
                      <Table.Tr>
                        <Table.Td colSpan={5}>
                          <Code block>
                            {JSON.stringify(
                              { input: e.input, before: e.before, after: e.after },
                              null,
                              2,
                            )}
                          </Code>
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed" p="sm">
              Showing {formatNumber(rows.length)} of {formatNumber(audit.data?.total ?? 0)} entries.
            </Text>
          </Paper>
        )}
      </Stack>
    </>
  );
}
