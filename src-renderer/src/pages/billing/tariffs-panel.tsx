// A site's tariffs: each with its versions (prices from a date on, never edited), what it
// applies to (site, station, connector; overrides per bay or account), and the site's public
// holidays. Changes are audited by the core.
import { Badge, Button, Card, Group, Stack, Table, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { Tariff } from '../../../../src-shared/billing/tariff';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { formatLocalDate } from './money';
import { TariffAssignments } from './tariff-assignments';
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

export function TariffsPanel({ siteId }: { siteId: number }) {
  const data = useQuery('tariff-list', { siteId });
  const [editing, setEditing] = useState<{ id: number | null; tariff: Tariff | null } | null>(null);
  if (data.error) return <ErrorAlert error={data.error} />;
  if (data.loading || !data.data) return <Loading />;
  const { tariffs, holidays } = data.data;
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
        <TariffAssignments
          siteId={siteId}
          tariffs={tariffs}
          list={data.data}
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
