// A site's tariffs: each with its versions (prices from a date on, never edited), what it
// applies to (site, station, connector; overrides per bay or account), and the site's public
// holidays. Changes are audited by the core.
import {
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { Tariff } from '../../../../src-shared/billing/tariff';
import type { TariffTarget } from '../../../../src-shared/api/methods/billing';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { formatLocalDate } from './money';
import { TariffForm } from './tariff-form';

function describe(t: Tariff): string {
  const gst = t.pricesIncludeGst ? 'inc GST' : 'ex GST';
  return t.components
    .map((c) => {
      switch (c.kind) {
        case 'perKwh':
          return `${c.millicentsPerKwh / 1000} c/kWh`;
        case 'timeOfUse':
          return c.bands.map((b) => `${b.name} ${b.millicentsPerKwh / 1000} c/kWh`).join(', ');
        case 'perMinute':
          return `${c.basis} ${c.millicentsPerMinute / 1000} c/min after ${c.graceMinutes} min`;
        case 'monthlyFee':
          return `$${(c.cents / 100).toFixed(2)} a month per ${c.per}`;
        case 'free':
          return 'free';
        case 'passThrough':
          return `electricity cost + ${c.marginBasisPoints / 100} %`;
      }
    })
    .join(' · ')
    .concat(` (${gst})`);
}

const TARGETS: { value: TariffTarget; label: string }[] = [
  { value: 'site', label: 'The whole site' },
  { value: 'station', label: 'A station' },
  { value: 'bay', label: 'A bay (override)' },
  { value: 'account', label: 'An account (override)' },
];

export function TariffsPanel({ siteId }: { siteId: number }) {
  const data = useQuery('tariff-list', { siteId });
  const [editing, setEditing] = useState<{ id: number | null; tariff: Tariff | null } | null>(null);
  if (data.error) return <ErrorAlert error={data.error} />;
  if (data.loading || !data.data) return <Loading />;
  const { tariffs, assignments, holidays } = data.data;
  return (
    <Stack maw={1100}>
      <Group>
        <Button onClick={() => setEditing({ id: null, tariff: null })}>New tariff</Button>
      </Group>
      {tariffs.length === 0 ? (
        <EmptyState title="No tariff yet">
          Create a tariff (per kWh or by time of day), then apply it to the site. Sessions without a
          tariff are held out of invoice runs.
        </EmptyState>
      ) : (
        tariffs.map((t) => (
          <Card key={t.id} withBorder>
            <Group justify="space-between">
              <Title order={5}>{t.name}</Title>
              <Button
                variant="light"
                size="compact-sm"
                onClick={() => setEditing({ id: t.id, tariff: t.versions.at(-1)?.tariff ?? null })}
              >
                Change prices from a date
              </Button>
            </Group>
            <Table mt="xs" aria-label={`Versions of ${t.name}`}>
              <Table.Tbody>
                {t.versions.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td w={170}>
                      From {formatLocalDate(v.effectiveFrom)}{' '}
                      {v.id === t.currentVersionId ? <Badge size="xs">now</Badge> : null}
                    </Table.Td>
                    <Table.Td>{describe(v.tariff)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        ))
      )}
      {tariffs.length > 0 ? (
        <Assignments
          siteId={siteId}
          tariffs={tariffs}
          assignments={assignments}
          onDone={data.refresh}
        />
      ) : null}
      <Holidays siteId={siteId} initial={holidays} onDone={data.refresh} />
      {editing ? (
        <TariffForm
          siteId={siteId}
          tariffId={editing.id}
          initial={editing.tariff}
          onClose={(saved) => {
            setEditing(null);
            if (saved) data.refresh();
          }}
        />
      ) : null}
    </Stack>
  );
}

function Assignments({
  siteId,
  tariffs,
  assignments,
  onDone,
}: {
  siteId: number;
  tariffs: { id: number; name: string }[];
  assignments: { target: TariffTarget; targetId: number; label: string; tariffId: number }[];
  onDone: () => void;
}) {
  const [target, setTarget] = useState<TariffTarget>('site');
  const [targetId, setTargetId] = useState<string | null>(null);
  const [tariffId, setTariffId] = useState<string | null>(
    tariffs[0] ? String(tariffs[0].id) : null,
  );
  const stations = useQuery('station-list', { siteId });
  const bays = useQuery('bay-list', { siteId });
  const accounts = useQuery('account-list', { siteId });
  const options =
    target === 'station'
      ? (stations.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))
      : target === 'bay'
        ? (bays.data ?? []).map((b) => ({
            value: String(b.connectorId),
            label: `${b.stationName} / outlet ${b.connectorNumber}${b.label ? ` (${b.label})` : ''}`,
          }))
        : target === 'account'
          ? (accounts.data ?? []).map((a) => ({
              value: String(a.id),
              label: `Lot ${a.lotNumber} — ${a.ownerNames}`,
            }))
          : [];
  const name = (id: number) => tariffs.find((t) => t.id === id)?.name ?? `Tariff ${id}`;
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        Where each tariff applies
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        A session uses its account’s override, else its bay’s, else its connector’s, station’s or
        the site’s tariff.
      </Text>
      <Table aria-label="Tariff assignments">
        <Table.Tbody>
          {assignments.map((a) => (
            <Table.Tr key={`${a.target}:${a.targetId}`}>
              <Table.Td>{a.label}</Table.Td>
              <Table.Td>{name(a.tariffId)}</Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={async () => {
                    const r = await runAction('tariff-assign', {
                      siteId,
                      target: a.target,
                      targetId: a.targetId,
                      tariffId: null,
                    });
                    if (r.ok) onDone();
                  }}
                >
                  Remove
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt="sm" align="flex-end">
        <Select
          label="Apply to"
          data={TARGETS}
          value={target}
          onChange={(v) => {
            setTarget((v ?? 'site') as TariffTarget);
            setTargetId(null);
          }}
          allowDeselect={false}
          w={200}
        />
        {target !== 'site' ? (
          <Select
            label="Which"
            data={options}
            value={targetId}
            onChange={setTargetId}
            searchable
            w={260}
          />
        ) : null}
        <Select
          label="Tariff"
          data={tariffs.map((t) => ({ value: String(t.id), label: t.name }))}
          value={tariffId}
          onChange={setTariffId}
          allowDeselect={false}
          w={220}
        />
        <Button
          disabled={tariffId === null || (target !== 'site' && targetId === null)}
          onClick={async () => {
            const r = await runAction(
              'tariff-assign',
              {
                siteId,
                target,
                targetId: target === 'site' ? siteId : Number(targetId),
                tariffId: Number(tariffId),
              },
              { success: 'Tariff applied' },
            );
            if (r.ok) onDone();
          }}
        >
          Apply
        </Button>
      </Group>
    </Card>
  );
}

function Holidays({
  siteId,
  initial,
  onDone,
}: {
  siteId: number;
  initial: { date: string; name: string }[];
  onDone: () => void;
}) {
  const [text, setText] = useState(initial.map((h) => `${h.date} ${h.name}`).join('\n'));
  return (
    <Card withBorder>
      <Title order={5} mb="xs">
        Public holidays
      </Title>
      <Textarea
        label="One per line: YYYY-MM-DD and a name"
        description="Priced as the tariff’s holiday day type (Sunday unless the tariff says otherwise)."
        autosize
        minRows={3}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      <Button
        mt="sm"
        w={180}
        onClick={async () => {
          const holidays = text
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .map((l) => ({ date: l.slice(0, 10), name: l.slice(10).trim() || 'Public holiday' }));
          const r = await runAction(
            'holiday-set',
            { siteId, holidays },
            { success: 'Holidays saved' },
          );
          if (r.ok) onDone();
        }}
      >
        Save holidays
      </Button>
    </Card>
  );
}
