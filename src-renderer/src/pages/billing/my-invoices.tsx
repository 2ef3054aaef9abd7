// An EV user's own invoices on their page: number, period, total, status and the PDF
// (my-invoice-list / my-invoice-pdf find them from the login; nobody else's can be named).
import { Badge, Button, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '../../api/use-query';
import { runAction } from '../../lib/actions';
import { formatLocalDate, formatMoney, savePdf } from './money';

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
                  <Button
                    size="compact-sm"
                    variant="light"
                    onClick={async () => {
                      const r = await runAction('my-invoice-pdf', { invoiceId: i.id });
                      if (r.ok) savePdf(r.value.fileName, r.value.base64);
                    }}
                  >
                    PDF
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
