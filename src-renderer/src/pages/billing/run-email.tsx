// Emailing an issued run: send (after confirming), then "n of N sent" while the outbox works
// (polled: the outbox sends one message at a time), the failures with the mail server's reason
// and a retry, and the owners without an email address, each invoice's PDF to print and post.
import { Alert, Button, Group, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useQuery } from '../../api/use-query';
import { DownloadButton } from '../../components/download-button';
import { ConfirmButton, ErrorAlert } from '../../components/common';
import { runAction } from '../../lib/actions';

const POLL_MS = 1500;

export function RunEmail({
  siteId,
  runId,
  label,
}: {
  siteId: number;
  runId: number;
  label: string;
}) {
  const status = useQuery('invoice-run-email-status', { siteId, runId });
  const s = status.data;
  const working = (s?.queued ?? 0) > 0;
  const { refresh } = status;
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [working, refresh]);

  const send = async () => {
    await runAction(
      'invoice-run-email',
      { siteId, runId },
      {
        success: (v) =>
          v.queued === 0
            ? 'Nothing new to send: every invoice was already emailed'
            : `Sending ${v.queued} ${v.queued === 1 ? 'email' : 'emails'}`,
      },
    );
    refresh();
  };
  const retry = async () => {
    await runAction(
      'invoice-run-email-retry',
      { siteId, runId },
      { success: (v) => `Retrying ${v.retried}` },
    );
    refresh();
  };

  if (status.error) return <ErrorAlert error={status.error} />;
  if (!s) return null;
  const notQueued = s.invoices.filter((r) => r.state === 'not-queued').length;
  const failed = s.invoices.filter((r) => r.state === 'failed');
  const toPrint = s.invoices.filter((r) => r.state === 'to-print');
  return (
    <Stack gap="xs" aria-label={`Emailing ${label}`}>
      <Title order={5}>Email {label} to owners</Title>
      <Group>
        <ConfirmButton
          disabled={notQueued === 0}
          title="Email the invoices"
          message={`Email ${notQueued} ${notQueued === 1 ? 'invoice' : 'invoices'} to the owners, each with its PDF? Invoices already emailed are not sent again.`}
          confirmLabel="Send"
          onConfirm={send}
        >
          {notQueued === 0 ? 'All emailed' : `Email ${notQueued} to owners`}
        </ConfirmButton>
        <Text aria-live="polite">
          {s.sent} of {s.total} sent{working ? ` — ${s.queued} sending…` : ''}
        </Text>
      </Group>
      {s.total > 0 ? (
        <Progress value={(100 * s.sent) / s.total} aria-label="Emails sent" animated={working} />
      ) : null}
      {failed.length > 0 ? (
        <Alert color="red" title={`${failed.length} not sent`}>
          <Table aria-label="Emails not sent">
            <Table.Tbody>
              {failed.map((r) => (
                <Table.Tr key={r.invoiceId}>
                  <Table.Td>{r.number}</Table.Td>
                  <Table.Td>Lot {r.lotNumber}</Table.Td>
                  <Table.Td>{r.to.join(', ')}</Table.Td>
                  <Table.Td>{r.error}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Button mt="xs" size="xs" onClick={() => void retry()}>
            Retry failed emails
          </Button>
        </Alert>
      ) : null}
      {toPrint.length > 0 ? (
        <Alert color="yellow" title={`${toPrint.length} to print: no invoice email on the account`}>
          {/* Each with its PDF, to print and post. */}
          <Table aria-label="Invoices to print">
            <Table.Tbody>
              {toPrint.map((r) => (
                <Table.Tr key={r.invoiceId}>
                  <Table.Td>{r.number}</Table.Td>
                  <Table.Td>
                    Lot {r.lotNumber}, {r.ownerNames}
                  </Table.Td>
                  <Table.Td>
                    <DownloadButton
                      size="xs"
                      label={`PDF of ${r.number}`}
                      request={() => ({ kind: 'invoice-pdf', invoiceId: r.invoiceId })}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      ) : null}
    </Stack>
  );
}
