// OCPP configuration keys (GetConfiguration / ChangeConfiguration). Every save shows the charger's
// own answer next to the key: Accepted, Rejected, RebootRequired or NotSupported.
import { useState } from 'react';
import { Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconLock, IconRefresh, IconSearch } from '@tabler/icons-react';
import type { Station } from '../../../../src-shared/model';
import type { ApiError } from '../../../../src-shared/api/result';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { downloadText, toCsv } from '../../lib/download';

const ANSWER_COLOR: Record<string, string> = {
  Accepted: 'green',
  RebootRequired: 'yellow',
  Rejected: 'orange',
  NotSupported: 'gray',
};

function KeyRow({
  stationId,
  k,
}: {
  stationId: number;
  k: { key: string; value: string | null; readonly: boolean };
}) {
  const [value, setValue] = useState(k.value ?? '');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ status: string } | { error: ApiError } | null>(null);
  const dirty = value !== (k.value ?? '');
  return (
    <Table.Tr data-testid={`config-${k.key}`}>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" ff="monospace">
            {k.key}
          </Text>
          {k.readonly ? (
            <Tooltip label="Read-only on the charger">
              <IconLock size={14} aria-label="read-only" />
            </Tooltip>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>
        {k.readonly ? (
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {k.value ?? '—'}
          </Text>
        ) : (
          <TextInput
            size="xs"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            aria-label={`Value of ${k.key}`}
          />
        )}
      </Table.Td>
      <Table.Td w={220}>
        {k.readonly ? null : (
          <Group gap="xs" wrap="nowrap">
            <Button
              size="xs"
              disabled={!dirty}
              loading={busy}
              onClick={async () => {
                setBusy(true);
                const r = await api.call('station-config-set', { stationId, key: k.key, value });
                setBusy(false);
                setAnswer(r.ok ? { status: r.value.status } : { error: r.error });
              }}
            >
              Save
            </Button>
            {answer && 'status' in answer ? (
              <Badge
                color={ANSWER_COLOR[answer.status] ?? 'gray'}
                variant="light"
                data-testid="config-answer"
              >
                {answer.status}
              </Badge>
            ) : null}
            {answer && 'error' in answer ? (
              <Tooltip label={describeError(answer.error)} multiline w={260}>
                <Badge color="red" variant="light" data-testid="config-answer">
                  Failed
                </Badge>
              </Tooltip>
            ) : null}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function ConfigTab({
  station,
  timeZone,
}: {
  station: Station;
  timeZone: string | undefined;
}) {
  const [filter, setFilter] = useState('');
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<ApiError | null>(null);
  // The stored copy first (instant, works offline); "Refresh from charger" asks the charger.
  const config = useQuery('station-config-get', { stationId: station.id, refresh: false });
  const refreshFromCharger = async () => {
    setRefreshing(true);
    setRefreshError(null);
    const r = await api.call('station-config-get', { stationId: station.id, refresh: true });
    setRefreshing(false);
    if (r.ok) config.setData(() => r.value);
    else setRefreshError(r.error);
  };
  if (config.loading) return <Loading />;
  const keys = (config.data?.keys ?? []).filter((k) =>
    k.key.toLowerCase().includes(filter.toLowerCase()),
  );
  return (
    <Stack>
      <Group justify="space-between">
        <TextInput
          placeholder="Filter keys"
          leftSection={<IconSearch size={14} />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          aria-label="Filter keys"
        />
        <Group gap="sm">
          <Text size="xs" c="dimmed">
            Read from the charger {formatDateTime(config.data?.fetchedAt, timeZone)}
          </Text>
          <Button
            variant="default"
            size="sm"
            disabled={!config.data?.keys.length}
            onClick={() =>
              downloadText(
                `${station.identity}-configuration.csv`,
                toCsv(
                  ['Key', 'Value', 'Read-only'],
                  (config.data?.keys ?? []).map((k) => [k.key, k.value, k.readonly ? 'yes' : 'no']),
                ),
              )
            }
          >
            Export CSV
          </Button>
          <Button
            leftSection={<IconRefresh size={16} />}
            onClick={() => void refreshFromCharger()}
            loading={refreshing}
            variant="light"
          >
            Refresh from charger
          </Button>
        </Group>
      </Group>
      {config.error ? (
        <ErrorAlert error={config.error} title="Could not read the configuration" />
      ) : null}
      {refreshError ? (
        <ErrorAlert
          error={refreshError}
          title="Could not read the configuration from the charger"
        />
      ) : null}
      {config.data && config.data.keys.length === 0 ? (
        <EmptyState title="No configuration read yet">
          The keys are read when the charger connects. Press “Refresh from charger” to ask it now.
        </EmptyState>
      ) : config.data ? (
        <Paper withBorder>
          <Table verticalSpacing={6} aria-label="Configuration keys" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Key</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.map((k) => (
                <KeyRow
                  key={`${k.key}|${config.data?.fetchedAt ?? 0}`}
                  stationId={station.id}
                  k={k}
                />
              ))}
            </Table.Tbody>
          </Table>
          {config.data.unknownKeys.length ? (
            <Text size="xs" c="dimmed" p="sm">
              Keys the charger does not know: {config.data.unknownKeys.join(', ')}
            </Text>
          ) : null}
        </Paper>
      ) : null}
    </Stack>
  );
}
