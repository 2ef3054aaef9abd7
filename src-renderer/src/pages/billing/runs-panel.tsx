// Invoice runs: choose a date in the billing period, preview what each account would be invoiced
// (sessions, fees, totals, warnings) and which sessions are held, then issue after confirming.
// Issuing numbers every invoice once; issued runs are listed below.
import { Alert, Button, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import { useQuery } from '../../api/use-query';
import { ConfirmButton, EmptyState, ErrorAlert } from '../../components/common';
import { runAction } from '../../lib/actions';
import { formatLocalDate, formatMoney, lastMonthIso } from './money';
import { RunEmail } from './run-email';
import { AuDateInput } from './au-date-input';

type Preview = MethodOutput<'invoice-run-preview'>;

const kwh = (wh: number) => `${(wh / 1000).toFixed(3)} kWh`;
const invoicesText = (n: number) => `${n} ${n === 1 ? 'invoice' : 'invoices'}`;

export function RunsPanel({ siteId }: { siteId: number }) {
  const [date, setDate] = useState(lastMonthIso());
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [emailRun, setEmailRun] = useState<number | null>(null);
  const runs = useQuery('invoice-run-list', { siteId });
  const settings = useQuery('billing-settings-get', { siteId });
  const notSetUp = settings.data !== undefined && settings.data.settings === null;

  const load = async () => {
    setBusy(true);
    const r = await runAction('invoice-run-preview', { siteId, date });
    setBusy(false);
    setPreview(r.ok ? r.value : null);
  };
  const issue = async () => {
    const r = await runAction(
      'invoice-run-issue',
      { siteId, date },
      {
        success: (v) =>
          v.alreadyIssued
            ? 'This period was already issued: nothing changed'
            : `Issued ${invoicesText(v.invoices)}`,
      },
    );
    if (r.ok) {
      runs.refresh();
      // The run is now under "Issued runs": its preview (empty now) would only confuse.
      setPreview(null);
    }
  };

  return (
    <Stack maw={1100}>
      {notSetUp ? (
        <Alert color="blue" title="Billing is not set up for this site yet">
          First, under Settings, enter who issues the invoices (name, ABN, address) and the billing
          cycle; then, under Tariffs, create a tariff and apply it to the site. Runs are previewed
          and issued here.
        </Alert>
      ) : null}
      {/* A form, so Enter in the date box previews (keyboard). */}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (date !== '') void load();
        }}
      >
        <Group align="flex-end">
          <AuDateInput
            label="A date in the billing period"
            description="dd/mm/yyyy; the period follows the site's billing cycle"
            value={date}
            onChange={setDate}
            w={260}
          />
          <Button type="submit" loading={busy} disabled={date === ''}>
            Preview run
          </Button>
        </Group>
      </form>
      {preview ? <PreviewView preview={preview} onIssue={issue} /> : null}
      <Title order={4} mt="md">
        Issued runs
      </Title>
      {runs.error ? <ErrorAlert error={runs.error} /> : null}
      {(runs.data ?? []).length === 0 ? (
        <EmptyState title="No run issued yet">
          Preview the period that just ended, check the warnings, then issue it.
        </EmptyState>
      ) : (
        <Table striped aria-label="Issued runs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Period</Table.Th>
              <Table.Th>Invoices</Table.Th>
              <Table.Th>Held sessions</Table.Th>
              <Table.Th ta="right">Total inc GST (net of credits)</Table.Th>
              <Table.Th>Email</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(runs.data ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  {formatLocalDate(r.period.start)} – {formatLocalDate(r.period.end)}
                </Table.Td>
                <Table.Td>{r.invoices}</Table.Td>
                <Table.Td>{r.held}</Table.Td>
                <Table.Td ta="right">{formatMoney(r.totals.incGstCents)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => setEmailRun(r.id)}>
                    Email to owners…
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {emailRun !== null
        ? (() => {
            const r = (runs.data ?? []).find((x) => x.id === emailRun);
            return r ? (
              <RunEmail
                key={r.id}
                siteId={siteId}
                runId={r.id}
                label={`${formatLocalDate(r.period.start)} – ${formatLocalDate(r.period.end)}`}
              />
            ) : null;
          })()
        : null}
    </Stack>
  );
}

function PreviewView({ preview, onIssue }: { preview: Preview; onIssue: () => Promise<void> }) {
  const p = preview;
  return (
    <Stack data-testid="run-preview">
      <Group justify="space-between">
        <div>
          <Title order={4}>
            {p.period.label}: {formatLocalDate(p.period.start)} – {formatLocalDate(p.period.end)}
          </Title>
          <Text size="sm" c="dimmed">
            {invoicesText(p.accounts.length)} · total {formatMoney(p.totals.exGstCents)} ex GST,{' '}
            {formatMoney(p.totals.gstCents)} GST, {formatMoney(p.totals.incGstCents)} inc GST
          </Text>
        </div>
        <ConfirmButton
          title="Issue this run?"
          confirmLabel="Issue invoices"
          message={`${invoicesText(p.accounts.length)} will be numbered and can no longer be changed (only voided by a credit note).`}
          onConfirm={onIssue}
          disabled={p.blockers.length > 0}
        >
          Issue {invoicesText(p.accounts.length)}
        </ConfirmButton>
      </Group>
      {p.blockers.length > 0 ? (
        <Alert color="yellow" title="Not ready to issue">
          <List size="sm">
            {p.blockers.map((b) => (
              <List.Item key={b}>{b}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {p.accounts.length === 0 ? null : (
        <Table striped aria-label="Run preview">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Lot</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Sessions</Table.Th>
              <Table.Th>Energy</Table.Th>
              <Table.Th ta="right">Ex GST</Table.Th>
              <Table.Th ta="right">GST</Table.Th>
              <Table.Th ta="right">Inc GST</Table.Th>
              <Table.Th>Warnings</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.accounts.map((a) => (
              <Table.Tr key={a.accountId}>
                <Table.Td>
                  {a.lotNumber}
                  {a.unitNumber ? ` / ${a.unitNumber}` : ''}
                </Table.Td>
                <Table.Td>{a.ownerNames}</Table.Td>
                <Table.Td>{a.sessions.length}</Table.Td>
                <Table.Td>{kwh(a.sessions.reduce((x, s) => x + s.wh, 0))}</Table.Td>
                <Table.Td ta="right">{formatMoney(a.totals.exGstCents)}</Table.Td>
                <Table.Td ta="right">{formatMoney(a.totals.gstCents)}</Table.Td>
                <Table.Td ta="right">{formatMoney(a.totals.incGstCents)}</Table.Td>
                <Table.Td>
                  {/* Sentences, not shouted: a badge's capitals are hard to read at this length. */}
                  {a.warnings.map((w) => (
                    <Text key={w} size="sm" c="orange.8">
                      {w}
                    </Text>
                  ))}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {p.held.length > 0 ? (
        <Alert color="gray" title={`${p.held.length} sessions held out of this run`}>
          <Text size="sm" mb="xs">
            They are billed in a later run once resolved.
          </Text>
          <Table aria-label="Held sessions">
            <Table.Tbody>
              {p.held.map((h) => (
                <Table.Tr key={h.sessionId}>
                  <Table.Td>Session {h.sessionId}</Table.Td>
                  <Table.Td>{h.lot ? `Lot ${h.lot}` : 'No account'}</Table.Td>
                  <Table.Td>{h.charger}</Table.Td>
                  <Table.Td>{h.ended}</Table.Td>
                  <Table.Td>{h.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      ) : null}
    </Stack>
  );
}
