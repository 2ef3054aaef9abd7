// Where each tariff applies, and from when: what applies today (with the date it took effect),
// changes dated ahead, and on request the superseded ones (greyed). A change takes effect from a
// date the manager chooses, or from the first day not yet invoiced; the core refuses a date inside
// an invoiced period, and that refusal is shown on the date field in its words.
import { Badge, Button, Card, Group, Select, Switch, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import type { TariffTarget } from '../../../../src-shared/api/methods/billing';
import { useQuery } from '../../api/use-query';
import { runAction } from '../../lib/actions';
import { AuDateInput } from './au-date-input';
import { formatLocalDate, todayIso } from './money';

type List = MethodOutput<'tariff-list'>;

const TARGETS: { value: TariffTarget; label: string }[] = [
  { value: 'site', label: 'The whole site' },
  { value: 'station', label: 'A station' },
  { value: 'bay', label: 'A bay (override)' },
  { value: 'account', label: 'An account (override)' },
];

type Status = 'current' | 'upcoming' | 'superseded';

/** Every change with whether it applies today, is dated ahead, or has been replaced. */
function withStatus(list: Pick<List, 'assignments' | 'assignmentHistory'>, today: string) {
  const key = (a: { target: string; targetId: number; effectiveFrom: string | null }) =>
    `${a.target}:${a.targetId}:${a.effectiveFrom ?? ''}`;
  const current = new Set(list.assignments.map(key));
  return list.assignmentHistory.map((a) => {
    const status: Status = current.has(key(a))
      ? 'current'
      : a.effectiveFrom !== null && a.effectiveFrom > today
        ? 'upcoming'
        : 'superseded';
    return { ...a, status };
  });
}

export function TariffAssignments({
  siteId,
  tariffs,
  list,
  onDone,
}: {
  siteId: number;
  tariffs: { id: number; name: string }[];
  list: Pick<List, 'assignments' | 'assignmentHistory'>;
  onDone: () => void;
}) {
  const [target, setTarget] = useState<TariffTarget>('site');
  const [targetId, setTargetId] = useState<string | null>(null);
  const [tariffId, setTariffId] = useState<string | null>(
    tariffs[0] ? String(tariffs[0].id) : null,
  );
  const [from, setFrom] = useState('');
  const [fromError, setFromError] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
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
  const name = (id: number | null) =>
    id === null ? 'None (removed)' : (tariffs.find((t) => t.id === id)?.name ?? `Tariff ${id}`);
  const rows = withStatus(list, todayIso())
    .filter((a) => showHistory || a.status !== 'superseded')
    // Newest first within each target: what applies now reads before what it replaced.
    .reverse();
  const hidden = withStatus(list, todayIso()).filter((a) => a.status === 'superseded').length;

  const assign = async (input: {
    target: TariffTarget;
    targetId: number;
    tariffId: number | null;
  }) =>
    runAction(
      'tariff-assign',
      { siteId, ...input, ...(from ? { effectiveFrom: from } : {}) },
      {
        success: input.tariffId === null ? 'Tariff removed' : 'Tariff applied',
        onError: (e) => {
          if (e.field !== 'effectiveFrom') return false;
          setFromError(e.message);
          return true;
        },
      },
    );

  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={5}>Where each tariff applies</Title>
        <Switch
          label={`Show superseded (${hidden})`}
          checked={showHistory}
          onChange={(e) => setShowHistory(e.currentTarget.checked)}
        />
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        A session uses its account’s override, else its bay’s, else its connector’s, station’s or
        the site’s tariff — the one in effect on the day the session ended. Changes never rewrite
        what was invoiced.
      </Text>
      <Table aria-label="Tariff assignments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Applies to</Table.Th>
            <Table.Th>Tariff</Table.Th>
            <Table.Th>Takes effect from</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed">
                  No tariff applies yet: choose one below and apply it to the whole site.
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {rows.map((a) => (
            <Table.Tr
              key={`${a.target}:${a.targetId}:${a.effectiveFrom ?? ''}`}
              c={a.status === 'superseded' ? 'dimmed' : undefined}
            >
              <Table.Td>{a.label}</Table.Td>
              <Table.Td>{name(a.tariffId)}</Table.Td>
              <Table.Td>
                {a.effectiveFrom === null ? 'Since always' : formatLocalDate(a.effectiveFrom)}{' '}
                {a.status === 'current' ? (
                  <Badge size="xs">now</Badge>
                ) : (
                  <Badge size="xs" color={a.status === 'upcoming' ? 'blue' : 'gray'}>
                    {a.status}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                {a.status === 'current' && a.tariffId !== null ? (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={async () => {
                      const r = await assign({
                        target: a.target,
                        targetId: a.targetId,
                        tariffId: null,
                      });
                      if (r.ok) onDone();
                    }}
                  >
                    Remove
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group mt="sm" align="flex-start">
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
        <AuDateInput
          label="Takes effect from"
          description="Empty: from the first day not yet invoiced"
          clearable
          value={from}
          onChange={(v) => {
            setFrom(v);
            setFromError(null);
          }}
          error={fromError}
          w={260}
        />
        <Button
          mt={46}
          disabled={tariffId === null || (target !== 'site' && targetId === null)}
          onClick={async () => {
            const r = await assign({
              target,
              targetId: target === 'site' ? siteId : Number(targetId),
              tariffId: Number(tariffId),
            });
            if (r.ok) {
              setFrom('');
              onDone();
            }
          }}
        >
          Apply
        </Button>
      </Group>
    </Card>
  );
}
