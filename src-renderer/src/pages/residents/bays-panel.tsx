// Bays: what each connector of the site is for. Shared (any active card of the site), private
// (only the cards of one lot; it serves whoever owns the lot, also after a sale), or visitor
// (any card; sessions are free, billed to nobody or to a chosen account). A change reaches the
// chargers' offline card lists by itself (bay.changed).
import { Badge, Button, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Bay } from '../../../../src-shared/api/methods/residents';
import { useQuery } from '../../api/use-query';
import { EmptyState, ErrorAlert, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';

const KINDS = [
  { value: 'shared', label: 'Shared' },
  { value: 'private', label: 'Private' },
  { value: 'visitor', label: 'Visitor (free)' },
];

export function BaysPanel({ siteId }: { siteId: number }) {
  const bays = useQuery('bay-list', { siteId });
  const accounts = useQuery('account-list', { siteId, status: 'open' });
  const options = (accounts.data ?? []).map((a) => ({
    value: String(a.id),
    label: `Lot ${a.lotNumber} · ${a.ownerNames}`,
  }));
  if (bays.error) return <ErrorAlert error={bays.error} />;
  if (bays.loading) return <Loading />;
  const rows = bays.data ?? [];
  if (rows.length === 0) {
    return (
      <EmptyState title="No connectors at this site yet">
        Add the site’s chargers first (Chargers → New chargers); each connector then shows here as a
        shared bay until you make it private or a visitor bay.
      </EmptyState>
    );
  }
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        A private bay takes only its lot’s cards (and bills its plug-in sessions to the lot’s owner
        at the time); a visitor bay takes any card and its sessions are free. A charger whose
        connectors are all private bays keeps only those lots’ cards for when it is offline.
      </Text>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Charger</Table.Th>
            <Table.Th>Connector</Table.Th>
            <Table.Th>Bay</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th>Label</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((b) => (
            <BayRow key={b.connectorId} bay={b} accounts={options} onDone={bays.refresh} />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function BayRow({
  bay,
  accounts,
  onDone,
}: {
  bay: Bay;
  accounts: { value: string; label: string }[];
  onDone: () => void;
}) {
  const [kind, setKind] = useState<Bay['kind']>(bay.kind);
  const [account, setAccount] = useState<string | null>(
    bay.accountId === null ? null : String(bay.accountId),
  );
  const [label, setLabel] = useState(bay.label ?? '');
  const [error, setError] = useState<string | null>(null);
  const name = `${bay.stationName} connector ${bay.connectorNumber}`;
  const changed =
    kind !== bay.kind ||
    (kind !== 'shared' && account !== (bay.accountId === null ? null : String(bay.accountId))) ||
    label !== (bay.label ?? '');
  return (
    <Table.Tr data-testid={`bay-${bay.stationName}-${bay.connectorNumber}`}>
      <Table.Td>{bay.stationName}</Table.Td>
      <Table.Td>{bay.connectorNumber}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Select
            aria-label={`Bay kind of ${name}`}
            data={KINDS}
            value={kind}
            onChange={(v) => {
              setKind((v as Bay['kind'] | null) ?? 'shared');
              setError(null);
            }}
            allowDeselect={false}
            w={150}
          />
          {bay.kind === 'visitor' ? (
            <Badge variant="light" color="teal">
              Free
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>
        {kind === 'shared' ? (
          <Text size="sm" c="dimmed">
            Any card of the site
          </Text>
        ) : (
          <Select
            aria-label={`Account of ${name}`}
            placeholder={kind === 'private' ? 'Choose the lot' : 'Billed to nobody'}
            data={accounts}
            value={account}
            onChange={(v) => {
              setAccount(v);
              setError(null);
            }}
            clearable={kind === 'visitor'}
            searchable
            error={error}
            w={260}
          />
        )}
      </Table.Td>
      <Table.Td>
        <TextInput
          aria-label={`Label of ${name}`}
          placeholder="e.g. B2-14"
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          w={140}
        />
      </Table.Td>
      <Table.Td>
        <Button
          size="xs"
          disabled={!changed}
          aria-label={`Save ${name}`}
          onClick={async () => {
            const r = await runAction(
              'bay-set',
              {
                connectorId: bay.connectorId,
                kind,
                accountId: kind === 'shared' || account === null ? null : Number(account),
                label,
              },
              {
                success: `${name} saved`,
                onError: (err) => {
                  const f = err.fields?.find((x) => x.field === 'accountId');
                  if (!f) return false;
                  setError(f.message);
                  return true;
                },
              },
            );
            if (r.ok) onDone();
          }}
        >
          Save
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
