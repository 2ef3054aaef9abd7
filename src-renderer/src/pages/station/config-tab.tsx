// OCPP configuration keys (GetConfiguration / ChangeConfiguration). Every save shows the charger's
// own answer next to the key, in words: Accepted, RebootRequired, Rejected or NotSupported.
// Accepted and RebootRequired both mean the charger stored the value (OCPP 1.6 §5.3), so the row
// counts as saved; RebootRequired additionally means it only takes effect after a reset, which is
// offered. A standard key's value is checked as it is typed, with the core's own table
// (src-shared/ocpp/config-keys.ts); secret keys (AuthorizationKey) are write-only here.
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconLock,
  IconRefresh,
  IconRotate,
  IconSearch,
} from '@tabler/icons-react';
import type { Station } from '../../../../src-shared/model';
import type { ApiError } from '../../../../src-shared/api/result';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { ConfirmButton, EmptyState, ErrorAlert, Loading } from '../../components/common';
import { OutcomeAlert } from '../../components/outcome';
import { useOperation } from './control-tab';
import { describeError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { downloadText, toCsv } from '../../lib/download';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import {
  CONFIG_STATUS_LABELS,
  CONFIG_STATUS_WORDS,
  checkConfigValue,
  isSecretConfigKey,
} from '../../../../src-shared/ocpp/config-keys';

const ANSWER_COLOR: Record<string, string> = {
  Accepted: 'green',
  RebootRequired: 'yellow',
  Rejected: 'orange',
  NotSupported: 'gray',
};

/** A setup refusal's answer in words (the charger's status, or why it was not asked). */
const refusalWords = (answer: string) => CONFIG_STATUS_WORDS[answer] ?? `Not set: ${answer}.`;

/** What the post-boot setup wanted and the charger did not take (station-config-get). */
function SetupRefused({
  refused,
  timeZone,
}: {
  refused: MethodOutput<'station-config-get'>['setupRefused'];
  timeZone: string | undefined;
}) {
  if (!refused.length) return null;
  return (
    <Alert
      color="orange"
      icon={<IconAlertTriangle size={18} />}
      title="Settings the charger did not take when it last started"
      data-testid="setup-refused"
    >
      <Stack gap={4}>
        {refused.map((r) => (
          <Text size="sm" key={`${r.key}|${r.value ?? ''}|${r.at}`}>
            <Text span ff="monospace" size="sm">
              {r.key}
            </Text>
            {r.value !== null ? (
              <>
                {' = '}
                <Text span ff="monospace" size="sm">
                  {r.value}
                </Text>
              </>
            ) : null}
            {' — '}
            {refusalWords(r.answer)} ({formatDateTime(r.at, timeZone)})
          </Text>
        ))}
        <Text size="xs" c="dimmed">
          Meter readings arrive as the charger is set up now; change these keys below if the charger
          allows it.
        </Text>
      </Stack>
    </Alert>
  );
}

/** Keys saved with RebootRequired: the charger must be reset before they apply. */
function RebootNotice({
  station,
  keys,
  onReset,
}: {
  station: Station;
  keys: string[];
  onReset: () => void;
}) {
  const op = useOperation();
  return (
    <Stack gap="xs">
      {keys.length ? (
        <Alert
          color="yellow"
          icon={<IconRotate size={18} />}
          title="Reset the charger for the change to take effect"
          data-testid="reboot-required"
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              The charger saved {keys.join(', ')} but keeps using the old value until it is reset. A
              soft reset restarts its software; any charging session on it stops.
            </Text>
            <ConfirmButton
              size="xs"
              color="yellow"
              loading={op.busy}
              title="Soft reset"
              message={`Soft reset ${station.name} now? Any charging session on it stops.`}
              confirmLabel="Soft reset"
              onConfirm={async () => {
                const r = await op.run('station-reset', { stationId: station.id, type: 'Soft' });
                if (r.ok && r.value.status === 'Accepted') onReset();
              }}
            >
              Reset charger now
            </ConfirmButton>
          </Stack>
        </Alert>
      ) : null}
      <OutcomeAlert outcome={op.outcome} what="Reset" />
    </Stack>
  );
}

/** The charger stored the value (ChangeConfiguration.conf, OCPP 1.6 §5.3). */
const STORED = new Set(['Accepted', 'RebootRequired']);

const ok = (c: ReturnType<typeof checkConfigValue>, fallback: string) =>
  c.ok ? c.value : fallback;

function KeyRow({
  stationId,
  k,
  onRebootRequired,
}: {
  stationId: number;
  k: { key: string; value: string | null; readonly: boolean };
  onRebootRequired: (key: string) => void;
}) {
  // A secret (AuthorizationKey) is never shown: the field starts empty and sets a new one.
  const secret = isSecretConfigKey(k.key);
  const [value, setValue] = useState(secret ? '' : (k.value ?? ''));
  /** The value the charger holds now: the last one it stored. */
  const [saved, setSaved] = useState(secret ? '' : (k.value ?? ''));
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ status: string } | { error: ApiError } | null>(null);
  const dirty = value !== saved;
  const check = dirty ? checkConfigValue(k.key, value) : null;
  const invalid = check !== null && !check.ok ? check.message : null;
  const justSaved = !dirty && answer !== null && 'status' in answer && STORED.has(answer.status);
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
          <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {/* Comma lists (SupportedFeatureProfiles) break after the commas, not mid-word. */}
            {(k.value ?? '—').replace(/,(?=\S)/g, ',\u200b')}
          </Text>
        ) : secret ? (
          <PasswordInput
            size="xs"
            value={value}
            placeholder="Set a new value (the current one is never shown)"
            onChange={(e) => setValue(e.currentTarget.value)}
            aria-label={`Value of ${k.key}`}
            error={invalid}
          />
        ) : (
          <TextInput
            size="xs"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            aria-label={`Value of ${k.key}`}
            error={invalid}
          />
        )}
      </Table.Td>
      <Table.Td w={230}>
        {k.readonly ? null : (
          <Group gap="xs" wrap="nowrap">
            <Button
              size="xs"
              disabled={!dirty || invalid !== null}
              loading={busy}
              variant={justSaved ? 'light' : 'filled'}
              leftSection={justSaved ? <IconCheck size={14} /> : null}
              onClick={async () => {
                setBusy(true);
                const sent = value;
                const r = await api.call('station-config-set', {
                  stationId,
                  key: k.key,
                  value: sent,
                });
                setBusy(false);
                setAnswer(r.ok ? { status: r.value.status } : { error: r.error });
                if (r.ok && STORED.has(r.value.status)) {
                  // What the charger holds is the normalised value the core sent.
                  const held = secret ? '' : ok(checkConfigValue(k.key, sent), sent);
                  setSaved(held);
                  setValue(held);
                }
                if (r.ok && r.value.status === 'RebootRequired') onRebootRequired(k.key);
              }}
            >
              {justSaved ? 'Saved' : 'Save'}
            </Button>
            {answer && 'status' in answer ? (
              <Tooltip
                label={CONFIG_STATUS_WORDS[answer.status] ?? answer.status}
                multiline
                w={260}
              >
                <Badge
                  color={ANSWER_COLOR[answer.status] ?? 'gray'}
                  variant="light"
                  data-testid="config-answer"
                  data-status={answer.status}
                >
                  {CONFIG_STATUS_LABELS[answer.status] ?? answer.status}
                </Badge>
              </Tooltip>
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
  const [rebootKeys, setRebootKeys] = useState<string[]>([]);
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
      <RebootNotice station={station} keys={rebootKeys} onReset={() => setRebootKeys([])} />
      {config.data ? <SetupRefused refused={config.data.setupRefused} timeZone={timeZone} /> : null}
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
                <Table.Th w="45%">Value</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={3}>
                    <Text size="sm" c="dimmed" ta="center" py="sm">
                      No key contains “{filter}”. Clear the filter to see all{' '}
                      {config.data.keys.length} keys.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {keys.map((k) => (
                <KeyRow
                  key={`${k.key}|${config.data?.fetchedAt ?? 0}`}
                  stationId={station.id}
                  k={k}
                  onRebootRequired={(key) =>
                    setRebootKeys((prev) => (prev.includes(key) ? prev : [...prev, key]))
                  }
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
