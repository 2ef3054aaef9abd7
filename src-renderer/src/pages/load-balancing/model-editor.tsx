// The electrical model editor: supply, circuits, wiring, measured loads and policy, checked as
// the user types (the core's own validateConfig), a "what if" preview of the allocation for the
// cars charging now, and saving (after a confirmation when balancing is on: cars may pause).
import { Alert, Button, Group, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import type { ApiError } from '../../../../src-shared/api/result';
import { validateConfig, type BalancingConfig } from '../../../../src-shared/balancing/config';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { ConfirmButton, ErrorAlert, Loading } from '../../components/common';
import { fieldErrorsOf } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { CircuitsTable, StationsTable, SupplyFields, type Errors } from './model-fields';
import { LoadSourcesTable } from './load-sources-table';
import { RegisterMapsEditor } from './register-maps-editor';
import { AccountPoliciesTable } from './account-policies-table';

type Preview = MethodOutput<'balancing-preview'>;

/** One line per node, its phases together (three identical lines say nothing more). */
function groupOverloads(overloads: Preview['overloads']) {
  const byNode = new Map<string, { nodeName: string; phases: string; excessA: number }>();
  for (const o of overloads) {
    const g = byNode.get(o.nodeName);
    if (g) {
      g.phases += `, ${o.phase}`;
      g.excessA = Math.max(g.excessA, o.excessA);
    } else byNode.set(o.nodeName, { nodeName: o.nodeName, phases: o.phase, excessA: o.excessA });
  }
  return [...byNode.values()];
}

function PreviewTable({ preview }: { preview: Preview }) {
  return (
    <Paper withBorder p="md" data-testid="preview">
      <Title order={5} mb="xs">
        What if: the cars charging now, with this model
      </Title>
      {groupOverloads(preview.overloads).map((o) => (
        <Alert key={o.nodeName} color="red" mb="xs">
          {o.nodeName[0]?.toUpperCase()}
          {o.nodeName.slice(1)} ({o.phases}): chargers that cannot be steered exceed it by up to{' '}
          {formatNumber(o.excessA, 1)} A.
        </Alert>
      ))}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Charger</Table.Th>
            <Table.Th>Phases</Table.Th>
            <Table.Th>Would be allowed</Table.Th>
            <Table.Th>Why</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.connectors.map((c) => (
            <Table.Tr key={`${c.stationId}/${c.connectorNumber}`}>
              <Table.Td>{c.stationName}</Table.Td>
              <Table.Td>{c.phases.join(', ')}</Table.Td>
              <Table.Td>{formatNumber(c.limitA, 1)} A</Table.Td>
              <Table.Td>{c.reason.text}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

export function ModelEditor({ siteId, canEdit }: { siteId: number; canEdit: boolean }) {
  const got = useQuery('balancing-get', { siteId });
  const [saves, setSaves] = useState(0);
  if (got.error) return <ErrorAlert error={got.error} />;
  if (!got.data) return <Loading label="Reading the model…" />;
  return (
    <ModelForm
      key={saves}
      siteId={siteId}
      canEdit={canEdit}
      data={got.data}
      onSaved={() => {
        got.refresh();
        setSaves((n) => n + 1);
      }}
    />
  );
}

function ModelForm({
  siteId,
  canEdit,
  data,
  onSaved,
}: {
  siteId: number;
  canEdit: boolean;
  data: MethodOutput<'balancing-get'>;
  onSaved: () => void;
}) {
  const [config, setConfig] = useState<BalancingConfig>(data.config);
  const [serverErrors, setServerErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const facts = useMemo(
    () => ({
      stations: new Map(data.stations.map((s) => [s.id, s])),
      accounts: new Map(data.accounts.map((a) => [a.id, a])),
    }),
    [data],
  );
  const errors: Errors = useMemo(() => {
    const e: Errors = {};
    for (const f of validateConfig(config, facts)) e[f.field] ??= f.message;
    return { ...e, ...serverErrors };
  }, [config, facts, serverErrors]);
  const set = (f: (c: BalancingConfig) => BalancingConfig) => {
    setConfig(f);
    setServerErrors({});
    setPreview(null);
  };
  const faults = Object.entries(errors);

  const handle = (e: ApiError) => {
    const fields = fieldErrorsOf(e);
    setServerErrors(Object.fromEntries(fields.map((f) => [f.field, f.message])));
    setFailure(fields.length > 0 ? null : e);
  };
  const runPreview = async () => {
    setBusy(true);
    const r = await api.call('balancing-preview', { siteId, ...config });
    setBusy(false);
    if (r.ok) setPreview(r.value);
    else handle(r.error);
  };
  const [saving, setSaving] = useState(false);
  // A new or moved meter is read once before saving (up to 2 s): the button shows it is busy.
  const save = async () => {
    setSaving(true);
    const r = await api.call('balancing-save', { siteId, ...config });
    setSaving(false);
    if (!r.ok) return handle(r.error);
    notifications.show({ message: 'Electrical model saved.', color: 'green' });
    onSaved();
  };

  return (
    <Stack>
      {data.stations.length === 0 ? (
        <Alert color="yellow">
          This site has no stations yet: add them first, then wire them here.
        </Alert>
      ) : null}
      <Switch
        label="Balance the chargers of this site (send them limits)"
        checked={config.enabled}
        onChange={(ev) => {
          const enabled = ev.currentTarget.checked;
          set((c) => ({ ...c, enabled }));
        }}
        disabled={!canEdit}
      />
      <Title order={4}>Supply and policy</Title>
      <SupplyFields c={config} set={set} e={errors} />
      <Title order={4}>Circuits</Title>
      <Text size="sm" c="dimmed">
        The switchboards between the supply and the chargers. A circuit cannot be above the one that
        feeds it.
      </Text>
      <CircuitsTable c={config} set={set} e={errors} />
      <Title order={4}>Stations</Title>
      <Text size="sm" c="dimmed">
        Which circuit feeds each station and how it is wired. The wiring is the station’s own: a
        change here shows on its station page, and the other way round.
      </Text>
      <StationsTable c={config} set={set} e={errors} stations={data.stations} />
      <Title order={4}>Measured loads</Title>
      <Text size="sm" c="dimmed">
        The rest of the building’s draw: the chargers get what is left. Without a reading the
        assumed load applies.
      </Text>
      <LoadSourcesTable siteId={siteId} c={config} set={set} e={errors} />
      <Title order={5}>Register maps for other meters</Title>
      <RegisterMapsEditor c={config} set={set} e={errors} />
      <Title order={4}>Priorities per account</Title>
      <Text size="sm" c="dimmed">
        High-priority accounts share first; a cap limits an account wherever its car charges.
      </Text>
      <AccountPoliciesTable c={config} set={set} e={errors} accounts={data.accounts} />
      {faults.length > 0 ? (
        <Alert color="red" title="To fix before saving" data-testid="model-errors">
          <Stack gap={2}>
            {faults.map(([field, message]) => (
              <Text key={field} size="sm">
                {message}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}
      {failure ? <ErrorAlert error={failure} /> : null}
      <Group>
        <Button
          variant="default"
          onClick={() => void runPreview()}
          loading={busy}
          disabled={faults.length > 0}
        >
          Preview allocation
        </Button>
        {canEdit ? (
          config.enabled ? (
            <ConfirmButton
              title="Save and apply"
              message="The chargers get new limits at once; some cars may slow down or pause until their turn."
              confirmLabel="Save and apply"
              onConfirm={save}
              disabled={faults.length > 0}
            >
              Save
            </ConfirmButton>
          ) : (
            <Button onClick={() => void save()} disabled={faults.length > 0} loading={saving}>
              Save
            </Button>
          )
        ) : null}
      </Group>
      {preview ? <PreviewTable preview={preview} /> : null}
    </Stack>
  );
}
