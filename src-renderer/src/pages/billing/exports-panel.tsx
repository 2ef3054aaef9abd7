// Accounting exports of an issued run: choose the run, the kind (invoice lines or meter readings)
// and the profile (StrataMax, PropertyIQ, Strata Master, generic, or the site's own edits), see
// the check that the file's rows add up to the run's totals to the cent, and only then save the
// file (a streamed download, kind 'billing-export'). "Edit profile" opens the profile editor.
import {
  Alert,
  Badge,
  Button,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconCircleCheck, IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import {
  formatKwhValue,
  type ExportKind,
  type ExportProfile,
} from '../../../../src-shared/billing/export-profile';
import { useQuery } from '../../api/use-query';
import { DownloadButton } from '../../components/download-button';
import { ConfirmButton, EmptyState, ErrorAlert, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { formatLocalDate, formatMoney } from './money';
import { ExportProfileEditor, DELIMITER_NAMES } from './export-profile-editor';

type Check = MethodOutput<'accounting-export-check'>;

const KIND_LABELS: Record<ExportKind, string> = {
  'invoice-lines': 'Invoice lines',
  'meter-readings': 'Meter readings',
};

/** "Comma-separated · dates dd/MM/yyyy · one row per invoice · 19 columns". */
export function describeProfile(p: ExportProfile): string {
  const rows =
    p.kind === 'meter-readings'
      ? 'one row per lot and charger'
      : p.rowPer === 'invoice'
        ? 'one row per invoice'
        : 'one row per line';
  return `${DELIMITER_NAMES[p.delimiter]} · dates ${p.dateFormat} · ${rows} · ${p.columns.length} columns`;
}

export function ExportsPanel({ siteId }: { siteId: number }) {
  const runs = useQuery('invoice-run-list', { siteId });
  const profiles = useQuery('accounting-export-profile-list', { siteId });
  const [chosenRun, setChosenRun] = useState<number | null>(null);
  const [kind, setKind] = useState<ExportKind>('invoice-lines');
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);

  const runList = runs.data ?? [];
  const runId = chosenRun ?? runList[0]?.id ?? null;
  const ofKind = (profiles.data ?? []).filter((p) => p.profile.kind === kind);
  const chosen = ofKind.find((p) => p.key === chosenKey) ?? ofKind[0] ?? null;
  const key = chosen?.key ?? null;
  const check = useQuery(
    'accounting-export-check',
    { siteId, runId: runId ?? 0, key: key ?? 'none' },
    { enabled: runId !== null && key !== null },
  );

  if (runs.error) return <ErrorAlert error={runs.error} />;
  if (profiles.error) return <ErrorAlert error={profiles.error} />;
  if (runs.loading || profiles.loading) return <Loading />;
  if (runList.length === 0) {
    return (
      <EmptyState title="No run to export yet">
        Issue a run first (Invoice runs tab); its accounting export is made here.
      </EmptyState>
    );
  }
  const runLabel = (r: (typeof runList)[number]) =>
    `${formatLocalDate(r.period.start)} – ${formatLocalDate(r.period.end)} · ${r.invoices} ${r.invoices === 1 ? 'invoice' : 'invoices'} · ${formatMoney(r.totals.incGstCents)}`;
  // The check of what is on screen, not a late answer for the run or profile chosen before
  // (the file name is the profile's key and the run's period).
  const run = runList.find((r) => r.id === runId);
  const expected = run && key ? `${key}-${run.period.start}-to-${run.period.end}.csv` : null;
  const current = check.data?.fileName === expected ? check.data : undefined;

  return (
    <Stack maw={1100}>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Invoice run"
          data={runList.map((r) => ({ value: String(r.id), label: runLabel(r) }))}
          value={runId === null ? null : String(runId)}
          onChange={(v) => setChosenRun(v ? Number(v) : null)}
          allowDeselect={false}
          w={380}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="export-kind-label">
            Kind
          </Text>
          <SegmentedControl
            aria-labelledby="export-kind-label"
            data={(['invoice-lines', 'meter-readings'] as const).map((k) => ({
              value: k,
              label: KIND_LABELS[k],
            }))}
            value={kind}
            onChange={(v) => {
              setKind(v as ExportKind);
              setChosenKey(null);
            }}
          />
        </Stack>
        <Select
          label="Profile"
          data={ofKind.map((p) => ({ value: p.key, label: p.profile.name }))}
          value={key}
          onChange={setChosenKey}
          allowDeselect={false}
          w={340}
        />
      </Group>
      {chosen ? (
        <Group gap="xs" wrap="wrap">
          <Text size="sm" c="dimmed">
            {describeProfile(chosen.profile)}
          </Text>
          {chosen.saved ? (
            <Badge variant="light" size="sm">
              Edited for this site
            </Badge>
          ) : (
            <Badge variant="light" color="gray" size="sm">
              Shipped default (inferred columns)
            </Badge>
          )}
          <Button size="xs" variant="light" onClick={() => setEditing(true)}>
            Edit profile…
          </Button>
          {chosen.saved ? (
            <ConfirmButton
              size="xs"
              variant="subtle"
              color="gray"
              title={chosen.shipped ? 'Back to the shipped default?' : 'Remove this profile?'}
              message={
                chosen.shipped
                  ? `This site's changes to "${chosen.profile.name}" are dropped; the shipped columns come back.`
                  : `"${chosen.profile.name}" is removed for this site.`
              }
              confirmLabel={chosen.shipped ? 'Use the default' : 'Remove profile'}
              onConfirm={async () => {
                const r = await runAction(
                  'accounting-export-profile-reset',
                  { siteId, key: chosen.key },
                  { success: chosen.shipped ? 'Back to the shipped default' : 'Profile removed' },
                );
                if (r.ok) {
                  profiles.refresh();
                  check.refresh();
                }
              }}
            >
              {chosen.shipped ? 'Back to default…' : 'Remove…'}
            </ConfirmButton>
          ) : null}
        </Group>
      ) : null}
      {chosen ? (
        <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {chosen.profile.columns.map((c) => c.header).join(' | ')}
        </Text>
      ) : null}

      <Title order={5} mt="sm">
        Totals check
      </Title>
      {check.error ? <ErrorAlert error={check.error} title="Could not check this export" /> : null}
      {current ? (
        <CheckView check={current} />
      ) : check.error ? null : (
        <Loading label="Checking the rows against the run…" />
      )}
      <Group>
        <DownloadButton
          label={current ? `Save ${current.fileName}` : 'Save the file'}
          disabled={!current?.ok || runId === null || key === null}
          request={() => ({
            kind: 'billing-export',
            siteId,
            runId: runId ?? 0,
            key: key ?? '',
          })}
        />
        {current && !current.ok ? (
          <Text size="sm" c="red">
            The file cannot be saved until the rows add up to the run.
          </Text>
        ) : null}
      </Group>
      {editing && chosen ? (
        <ExportProfileEditor
          siteId={siteId}
          profileKey={chosen.key}
          initial={chosen.profile}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            profiles.refresh();
            check.refresh();
          }}
        />
      ) : null}
    </Stack>
  );
}

function CheckView({ check }: { check: Check }) {
  const money = check.measure === 'money';
  return (
    <section aria-label="Totals check">
      <Alert
        color={check.ok ? 'green' : 'red'}
        icon={check.ok ? <IconCircleCheck size={18} /> : <IconAlertTriangle size={18} />}
        title={
          check.ok
            ? `The ${check.rows} rows add up to the run`
            : 'The rows do not add up to the run: the file is not saved'
        }
        role={check.ok ? 'status' : 'alert'}
      >
        <Text size="sm" mb="xs">
          {check.message}
        </Text>
        <Table withRowBorders={false} aria-label="Rows against the run" w="auto">
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {money ? (
                <>
                  <Table.Th ta="right">Ex GST</Table.Th>
                  <Table.Th ta="right">GST</Table.Th>
                  <Table.Th ta="right">Inc GST</Table.Th>
                </>
              ) : (
                <Table.Th ta="right">Energy</Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(
              [
                ['Rows in the file', check.rowTotals],
                ['Run’s invoices', check.runTotals],
              ] as const
            ).map(([label, t]) => (
              <Table.Tr key={label}>
                <Table.Td>{label}</Table.Td>
                {money ? (
                  <>
                    <Table.Td ta="right">{formatMoney(t.exGstCents)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(t.gstCents)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(t.incGstCents)}</Table.Td>
                  </>
                ) : (
                  <Table.Td ta="right">{formatKwhValue(t.wh)} kWh</Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Alert>
    </section>
  );
}
