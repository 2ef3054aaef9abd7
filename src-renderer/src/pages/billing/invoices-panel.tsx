// The site's invoices and credit notes: filter by status, open the PDF, mark paid, void with a
// credit note (asks first, with a reason), re-issue a voided one, import a payments CSV.
import {
  Alert,
  Badge,
  Button,
  FileButton,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import type { InvoiceSummary } from '../../../../src-shared/api/methods/billing';
import { useQuery } from '../../api/use-query';
import { ConfirmButton, ErrorAlert, ListEmptyState, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { readCsvFile } from '../../lib/csv-file';
import { formatLocalDate, formatMoney, todayIso } from './money';
import { DownloadButton } from '../../components/download-button';

type Status = 'all' | 'issued' | 'sent' | 'paid' | 'void';
const COLOURS: Record<InvoiceSummary['status'], string> = {
  draft: 'gray',
  issued: 'blue',
  sent: 'cyan',
  paid: 'green',
  void: 'red',
};

export function InvoicesPanel({ siteId }: { siteId: number }) {
  const [status, setStatus] = useState<Status>('all');
  const list = useQuery('invoice-list', {
    siteId,
    status: status === 'all' ? undefined : status,
  });
  const [voiding, setVoiding] = useState<InvoiceSummary | null>(null);
  const rows = list.data ?? [];
  return (
    <Stack maw={1200}>
      <Group justify="space-between">
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as Status)}
          data={[
            { value: 'all', label: 'All' },
            { value: 'issued', label: 'Issued' },
            { value: 'sent', label: 'Sent' },
            { value: 'paid', label: 'Paid' },
            { value: 'void', label: 'Void' },
          ]}
        />
        <PaymentsImport siteId={siteId} onDone={list.refresh} />
      </Group>
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.loading ? (
        <Loading />
      ) : rows.length === 0 ? (
        <ListEmptyState
          filtered={status !== 'all'}
          onClearFilters={() => setStatus('all')}
          title="No invoices"
        >
          Invoices appear here once a run is issued (Invoice runs tab).
        </ListEmptyState>
      ) : (
        <Table striped aria-label="Invoices">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th>
              <Table.Th>Lot</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th>Issued</Table.Th>
              <Table.Th>Due</Table.Th>
              <Table.Th ta="right">Inc GST</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>
                  {i.number}
                  {i.kind === 'credit-note' ? (
                    <Badge ml={6} variant="outline" size="xs">
                      credit note
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{i.lotNumber}</Table.Td>
                <Table.Td>{i.ownerNames}</Table.Td>
                <Table.Td>{i.periodLabel}</Table.Td>
                <Table.Td>{formatLocalDate(i.issueDate)}</Table.Td>
                <Table.Td>{i.dueDate ? formatLocalDate(i.dueDate) : '—'}</Table.Td>
                <Table.Td ta="right">{formatMoney(i.totals.incGstCents)}</Table.Td>
                <Table.Td>
                  <Badge color={COLOURS[i.status]} variant="light">
                    {i.status}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <DownloadButton
                      label="PDF"
                      size="compact-sm"
                      request={() => ({ kind: 'invoice-pdf', invoiceId: i.id })}
                    />
                    {i.kind === 'invoice' && (i.status === 'issued' || i.status === 'sent') ? (
                      <>
                        <ConfirmButton
                          size="compact-sm"
                          variant="subtle"
                          color="green"
                          title={`Mark ${i.number} paid?`}
                          message={`Records ${formatMoney(i.totals.incGstCents)} as paid today.`}
                          confirmLabel="Mark paid"
                          onConfirm={async () => {
                            const r = await runAction(
                              'invoice-mark-paid',
                              { id: i.id, paidOn: todayIso(), reference: null },
                              { success: `${i.number} marked paid` },
                            );
                            if (r.ok) list.refresh();
                          }}
                        >
                          Mark paid
                        </ConfirmButton>
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          onClick={() => setVoiding(i)}
                        >
                          Void
                        </Button>
                      </>
                    ) : null}
                    {i.status === 'void' && i.reissuedAsId === null ? (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={async () => {
                          const r = await runAction(
                            'invoice-reissue',
                            { id: i.id },
                            { success: (v) => `Re-issued as ${v.number}` },
                          );
                          if (r.ok) list.refresh();
                        }}
                      >
                        Re-issue
                      </Button>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {voiding ? (
        <VoidDialog
          invoice={voiding}
          onClose={() => {
            setVoiding(null);
            list.refresh();
          }}
        />
      ) : null}
    </Stack>
  );
}

function VoidDialog({ invoice, onClose }: { invoice: InvoiceSummary; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal opened onClose={onClose} title={`Void ${invoice.number}?`} centered>
      <Stack>
        <Text size="sm">
          A credit note for {formatMoney(invoice.totals.incGstCents)} is issued with the next
          number; the invoice’s sessions can then be billed again (Re-issue).
        </Text>
        <TextInput
          label="Reason"
          required
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={busy}
            disabled={reason.trim() === ''}
            onClick={async () => {
              setBusy(true);
              const r = await runAction(
                'invoice-void',
                { id: invoice.id, reason },
                { success: (v) => `Voided; credit note ${v.creditNote.number}` },
              );
              setBusy(false);
              if (r.ok) onClose();
            }}
          >
            Void with credit note
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

type Import = MethodOutput<'invoice-payments-import'>;

function PaymentsImport({ siteId, onDone }: { siteId: number; onDone: () => void }) {
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [checked, setChecked] = useState<Import | null>(null);
  const choose = async (f: File | null) => {
    if (!f) return;
    const csv = await readCsvFile(f);
    setFile({ name: f.name, csv });
    const r = await runAction('invoice-payments-import', { siteId, csv, mode: 'preview' });
    setChecked(r.ok ? r.value : null);
  };
  return (
    <>
      <FileButton onChange={(f) => void choose(f)} accept=".csv,text/csv">
        {(props) => (
          <Button variant="default" {...props}>
            Import payments CSV…
          </Button>
        )}
      </FileButton>
      <Modal
        opened={checked !== null}
        onClose={() => setChecked(null)}
        title={`Payments: ${file?.name ?? ''}`}
        size="lg"
      >
        {checked && checked.problems.length > 0 ? (
          <Alert color="red" title={`${checked.problems.length} problems: nothing recorded`}>
            <Table data-testid="payment-problems">
              <Table.Tbody>
                {checked.problems.map((p, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>Row {p.row}</Table.Td>
                    <Table.Td>{p.column ?? ''}</Table.Td>
                    <Table.Td>{p.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="sm" mt="xs">
              Columns: invoice, amount, date (DD/MM/YYYY), reference.
            </Text>
          </Alert>
        ) : checked ? (
          <Group justify="space-between">
            <Text size="sm">{checked.rows} payments match their invoices.</Text>
            <Button
              onClick={async () => {
                if (!file) return;
                const r = await runAction(
                  'invoice-payments-import',
                  { siteId, csv: file.csv, mode: 'import' },
                  { success: (v) => `${v.paid ?? 0} invoices marked paid` },
                );
                if (r.ok) {
                  setChecked(null);
                  onDone();
                }
              }}
            >
              Mark {checked.rows} paid
            </Button>
          </Group>
        ) : null}
      </Modal>
    </>
  );
}
