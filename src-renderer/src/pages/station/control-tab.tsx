// Remote operations on one charger (OCPP 1.6 §5). Every card shows the charger's answer, or the
// error with how to fix it.
import { useState, type ReactNode } from 'react';
import {
  Autocomplete,
  Button,
  Card,
  FileInput,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { Station } from '../../../../src-shared/model';
import type { MethodInput, MethodName, MethodOutput } from '../../../../src-shared/api/contract';
import type { Result } from '../../../../src-shared/api/result';
import { TRIGGER_MESSAGES } from '../../../../src-shared/ocpp/types';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { ConfirmButton } from '../../components/common';
import { OutcomeAlert, type Outcome } from '../../components/outcome';
import { FileProgress } from './file-progress';
import { downloadBase64, readFileAsBase64 } from '../../lib/download';
import { formatBytes, formatDateTime, formatEnergyWh } from '../../lib/format';

export function useOperation() {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  async function run<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
    detail?: (value: MethodOutput<M>) => string | undefined,
  ): Promise<Result<MethodOutput<M>>> {
    setBusy(true);
    setOutcome(null);
    const r = await api.call(method, input);
    setBusy(false);
    if (r.ok) {
      const value = r.value as { status?: unknown };
      setOutcome({
        ok: true,
        status: typeof value.status === 'string' ? value.status : 'Accepted',
        detail: detail?.(r.value),
      });
    } else setOutcome({ ok: false, error: r.error });
    return r;
  }
  return { outcome, busy, run };
}

type ActiveSession = MethodOutput<'transaction-list'>['transactions'][number];

/** The sessions running on this charger, kept current by the transaction events. */
function useActiveSessions(st: Station) {
  return useQuery(
    'transaction-list',
    { stationId: st.id, status: 'active', limit: 20 },
    {
      refreshOn: (e) =>
        e.type.startsWith('transaction-') && 'stationId' in e && e.stationId === st.id,
    },
  );
}

/** Who is affected, in the words the confirmations use: the card (and its label), the session
 *  and the energy so far. (Residents are not modelled yet: the card is who we can name.) */
function describeSession(t: ActiveSession, labels: Map<string, string>): string {
  const label = labels.get(t.idTag);
  return `card ${t.idTag}${label ? ` (${label})` : ''}, session ${t.chargerTransactionId ?? t.id}, ${formatEnergyWh(t.energyWh)} so far`;
}

function useTagLabels(): Map<string, string> {
  const tags = useQuery('id-tag-list', {});
  return new Map((tags.data ?? []).flatMap((t) => (t.label ? [[t.idTag, t.label]] : [])));
}

function OpCard({ title, children, help }: { title: string; help: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={title}>
      <Title order={5}>{title}</Title>
      <Text size="xs" c="dimmed" mb="sm">
        {help}
      </Text>
      <Stack gap="sm">{children}</Stack>
    </Card>
  );
}

/** An outlet picker; with `withStation`, connector 0 ("Whole station") comes first (§5.2). */
function ConnectorSelect({
  st,
  label,
  withStation,
  value,
  onChange,
}: {
  st: Station;
  label: string;
  withStation: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  const outlets = st.connectors.map((c) => ({
    value: String(c.connectorNumber),
    label: `Outlet ${c.connectorNumber}${c.name ? ` — ${c.name}` : ''}`,
  }));
  const fallback = withStation ? '0' : '1';
  return (
    <Select
      label={label}
      data={withStation ? [{ value: '0', label: 'Whole station' }, ...outlets] : outlets}
      value={value}
      onChange={(v) => onChange(v ?? fallback)}
      allowDeselect={false}
    />
  );
}

function ResetCard({ st }: { st: Station }) {
  const op = useOperation();
  const [type, setType] = useState<'Soft' | 'Hard'>('Soft');
  return (
    <OpCard
      title="Reset"
      help="Soft ends sessions and restarts the software; hard reboots the charger."
    >
      <SegmentedControl
        value={type}
        onChange={(v) => setType(v === 'Hard' ? 'Hard' : 'Soft')}
        data={['Soft', 'Hard']}
        aria-label="Reset type"
      />
      <ConfirmButton
        loading={op.busy}
        title={`${type} reset`}
        message={`${type} reset ${st.name}? Any charging session on it stops.`}
        confirmLabel={`${type} reset`}
        onConfirm={() => op.run('station-reset', { stationId: st.id, type })}
      >
        Reset charger
      </ConfirmButton>
      <OutcomeAlert outcome={op.outcome} what="Reset" />
    </OpCard>
  );
}

function UnlockCard({ st, active }: { st: Station; active: ActiveSession[] }) {
  const op = useOperation();
  const labels = useTagLabels();
  const [conn, setConn] = useState('1');
  const running = active.find((t) => t.connectorNumber === Number(conn));
  return (
    <OpCard title="Unlock connector" help="Releases a cable stuck in the outlet.">
      <ConnectorSelect st={st} label="Outlet" withStation={false} value={conn} onChange={setConn} />
      <ConfirmButton
        loading={op.busy}
        title="Unlock outlet"
        message={
          running
            ? `Outlet ${conn} of ${st.name} is charging: ${describeSession(running, labels)}. Unlocking releases the cable and stops that session.`
            : `Unlock outlet ${conn} of ${st.name}? No session is running on it.`
        }
        confirmLabel="Unlock"
        onConfirm={() =>
          op.run('station-unlock', { stationId: st.id, connectorNumber: Number(conn) })
        }
      >
        Unlock
      </ConfirmButton>
      <OutcomeAlert outcome={op.outcome} what="Unlock" />
    </OpCard>
  );
}

function RemoteStartStopCard({
  st,
  timeZone,
  active,
}: {
  st: Station;
  timeZone: string | undefined;
  active: ActiveSession[];
}) {
  const op = useOperation();
  const [conn, setConn] = useState('1');
  const [idTag, setIdTag] = useState('');
  const tags = useQuery('id-tag-list', {});
  const labels = useTagLabels();
  return (
    <OpCard
      title="Start / stop charging"
      help="Starts a session for a card as if it was presented, or stops the active one."
    >
      <Group grow align="flex-end">
        <ConnectorSelect
          st={st}
          label="Outlet"
          withStation={false}
          value={conn}
          onChange={setConn}
        />
        <Autocomplete
          label="Card (id tag)"
          placeholder="e.g. 04A1B2C3"
          data={(tags.data ?? []).map((t) => ({
            value: t.idTag,
            label: t.label ? `${t.idTag} — ${t.label}` : t.idTag,
          }))}
          value={idTag}
          onChange={setIdTag}
        />
      </Group>
      <Button
        loading={op.busy}
        disabled={!idTag.trim()}
        onClick={() =>
          op.run('station-remote-start', {
            stationId: st.id,
            connectorNumber: Number(conn),
            idTag: idTag.trim(),
          })
        }
      >
        Start charging
      </Button>
      {active.length ? (
        <Table aria-label="Active transactions">
          <Table.Tbody>
            {active.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  Outlet {t.connectorNumber} · {t.idTag}
                  <Text size="xs" c="dimmed">
                    since {formatDateTime(t.startedAt, timeZone)} · {formatEnergyWh(t.energyWh)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <ConfirmButton
                    color="red"
                    variant="light"
                    size="xs"
                    title="Stop charging"
                    message={`Stop charging on outlet ${t.connectorNumber} of ${st.name}: ${describeSession(t, labels)}? The charger ends the session now.`}
                    confirmLabel="Stop charging"
                    onConfirm={() =>
                      op.run('station-remote-stop', {
                        stationId: st.id,
                        transactionId: t.chargerTransactionId ?? t.id,
                      })
                    }
                  >
                    Stop
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          No active session on this charger.
        </Text>
      )}
      <OutcomeAlert outcome={op.outcome} what="Remote start/stop" />
    </OpCard>
  );
}

const AVAILABILITY = [
  { type: 'Operative', color: 'green' },
  { type: 'Inoperative', color: 'orange' },
] as const;

function AvailabilityCard({ st, active }: { st: Station; active: ActiveSession[] }) {
  const op = useOperation();
  const labels = useTagLabels();
  const [conn, setConn] = useState('0');
  const target = conn === '0' ? `all of ${st.name}` : `outlet ${conn} of ${st.name}`;
  const affected = active.filter((t) => conn === '0' || t.connectorNumber === Number(conn));
  const run = (type: (typeof AVAILABILITY)[number]['type']) =>
    op.run('station-availability-set', { stationId: st.id, connectorNumber: Number(conn), type });
  return (
    <OpCard
      title="Availability"
      help="Inoperative takes the station or an outlet out of service (e.g. for maintenance)."
    >
      <ConnectorSelect st={st} label="Apply to" withStation value={conn} onChange={setConn} />
      <Group grow>
        {AVAILABILITY.map(({ type, color }) =>
          type === 'Inoperative' ? (
            <ConfirmButton
              key={type}
              variant="light"
              color={color}
              loading={op.busy}
              title="Take out of service"
              message={
                affected.length > 0
                  ? `Take ${target} out of service? Charging continues until it ends for ${affected
                      .map((t) => describeSession(t, labels))
                      .join('; ')} (the charger answers “Scheduled”); no new session can start.`
                  : `Take ${target} out of service? No session is running on it; no new session can start until it is made operative again.`
              }
              confirmLabel="Make inoperative"
              onConfirm={() => run(type)}
            >
              {type}
            </ConfirmButton>
          ) : (
            <Button
              key={type}
              variant="light"
              color={color}
              loading={op.busy}
              onClick={() => run(type)}
            >
              {type}
            </Button>
          ),
        )}
      </Group>
      <OutcomeAlert outcome={op.outcome} what="Change availability" />
    </OpCard>
  );
}

function CacheTriggerCard({ st }: { st: Station }) {
  const cache = useOperation();
  const trig = useOperation();
  const [message, setMessage] = useState<(typeof TRIGGER_MESSAGES)[number]>('StatusNotification');
  return (
    <OpCard
      title="Cache and messages"
      help="Clear the charger's card cache, or ask it to send a message now."
    >
      <Button
        variant="light"
        loading={cache.busy}
        onClick={() => cache.run('station-cache-clear', { stationId: st.id })}
      >
        Clear authorization cache
      </Button>
      <OutcomeAlert outcome={cache.outcome} what="Clear cache" />
      <Group align="flex-end" wrap="nowrap">
        <Select
          flex={1}
          miw={0}
          comboboxProps={{ width: 'max-content', position: 'bottom-start' }}
          label="Trigger message"
          data={[...TRIGGER_MESSAGES]}
          value={message}
          allowDeselect={false}
          onChange={(v) =>
            setMessage(TRIGGER_MESSAGES.find((m) => m === v) ?? 'StatusNotification')
          }
        />
        <Button
          variant="light"
          loading={trig.busy}
          onClick={() => trig.run('station-trigger', { stationId: st.id, message })}
        >
          Send
        </Button>
      </Group>
      <OutcomeAlert outcome={trig.outcome} what="Trigger message" />
    </OpCard>
  );
}

function FirmwareCard({ st, timeZone }: { st: Station; timeZone: string | undefined }) {
  const fw = useOperation();
  const diag = useOperation();
  const [file, setFile] = useState<File | null>(null);
  const [reading, setReading] = useState(false);
  const files = useQuery(
    'station-diagnostics-list',
    { stationId: st.id },
    {
      refreshOn: (e) => e.type === 'station-firmware-status' && e.stationId === st.id,
    },
  );
  return (
    <OpCard
      title="Firmware and diagnostics"
      help="The file is stored here and served to the charger over its OCPP port."
    >
      <FileInput
        label="Firmware file"
        placeholder="Pick a file"
        value={file}
        onChange={setFile}
        clearable
      />
      <Button
        loading={fw.busy || reading}
        disabled={!file}
        onClick={async () => {
          if (!file) return;
          setReading(true);
          const contentBase64 = await readFileAsBase64(file);
          setReading(false);
          const fileName = file.name.replace(/[^A-Za-z0-9._-]/g, '_');
          await fw.run(
            'station-firmware-update',
            { stationId: st.id, fileName, contentBase64 },
            () => 'Progress appears here as the charger reports it.',
          );
        }}
      >
        Update firmware
      </Button>
      <OutcomeAlert outcome={fw.outcome} what="Firmware update" />
      <FileProgress stationId={st.id} timeZone={timeZone} />
      <Button
        variant="light"
        loading={diag.busy}
        onClick={() =>
          diag.run('station-diagnostics-request', { stationId: st.id }, (v) =>
            v.fileName ? `File: ${v.fileName}` : undefined,
          )
        }
      >
        Get diagnostics
      </Button>
      <OutcomeAlert outcome={diag.outcome} what="Get diagnostics" />
      {(files.data ?? []).map((f) => (
        <Group key={f.id} justify="space-between">
          <Text size="sm">
            {f.fileName} · {formatBytes(f.sizeBytes)} · {formatDateTime(f.receivedAt, timeZone)}
          </Text>
          <Button
            size="xs"
            variant="subtle"
            onClick={async () => {
              const r = await api.call('station-diagnostics-download', { id: f.id });
              if (r.ok) downloadBase64(r.value.fileName, r.value.contentBase64);
            }}
          >
            Download
          </Button>
        </Group>
      ))}
    </OpCard>
  );
}

export function ControlTab({
  station,
  timeZone,
}: {
  station: Station;
  timeZone: string | undefined;
}) {
  const active = useActiveSessions(station).data?.transactions ?? [];
  return (
    <Stack>
      {!station.connected ? (
        <Text size="sm" c="orange">
          This charger is offline — operations will fail until it reconnects. Check its network
          cable and power.
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ResetCard st={station} />
        <RemoteStartStopCard st={station} timeZone={timeZone} active={active} />
        <AvailabilityCard st={station} active={active} />
        <UnlockCard st={station} active={active} />
        <CacheTriggerCard st={station} />
        <FirmwareCard st={station} timeZone={timeZone} />
      </SimpleGrid>
    </Stack>
  );
}
