// An EV user's own invoices on their page: number, period, total, status and the PDF
// (my-invoice-list finds them from the login; the PDF is a streamed download, kind 'invoice-pdf',
// which refuses any invoice not on the caller's own accounts).
import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '../../api/use-query';
import { DownloadButton } from '../../components/download-button';
import { formatLocalDate, formatMoney } from './money';

export function MyInvoices() {
  const list = useQuery('my-invoice-list', {});
  const rows = list.data ?? [];
  return (
    <Paper withBorder p="lg">
      <Title order={5} mb="xs">
        Your invoices
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          No invoices yet: your strata manager issues them after each billing period.
        </Text>
      ) : (
        <Table striped aria-label="Your invoices">
          <Table.Tbody>
            {rows.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.number}</Table.Td>
                <Table.Td>{i.periodLabel}</Table.Td>
                <Table.Td>{i.dueDate ? `Due ${formatLocalDate(i.dueDate)}` : ''}</Table.Td>
                <Table.Td ta="right">{formatMoney(i.totals.incGstCents)}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{i.status}</Badge>
                </Table.Td>
                <Table.Td>
                  <DownloadButton
                    label="PDF"
                    size="compact-sm"
                    request={() => ({ kind: 'invoice-pdf', invoiceId: i.id })}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
