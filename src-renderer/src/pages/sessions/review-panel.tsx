// One flagged session under review: why it was flagged, its raw meter readings as the charger
// sent them, every decision so far, and the form to decide (accept, set the stop reading from a
// sample, attribute to an account, exclude) with a reason, which the core requires and audits.
import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Radio,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import {
  FLAG_KIND_LABELS,
  REVIEW_ACTION_LABELS,
  REVIEW_ACTIONS,
  type ReviewAction,
} from '../../../../src-shared/api/methods/sessions';
import { useQuery } from '../../api/use-query';
import { ErrorAlert, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { formatDateTime, formatNumber } from '../../lib/format';

const isAction = (v: string): v is ReviewAction => REVIEW_ACTIONS.some((a) => a === v);

export function ReviewPanel({ id, onResolved }: { id: number; onResolved: () => void }) {
  const review = useQuery('session-review-get', { id });
  const s = review.data?.session;
  const accounts = useQuery(
    'account-list',
    { siteId: s?.siteId ?? 0 },
    { enabled: s?.siteId != null },
  );
  const [action, setAction] = useState<ReviewAction>('accept');
  const [sampleId, setSampleId] = useState<string | null>(null);
  const [accountId, setAccountId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (review.error) return <ErrorAlert error={review.error} />;
  if (!review.data || !s) return <Loading />;
  const zone = s.siteTimeZone ?? undefined;
  const withEnergy = review.data.samples.filter((m) => m.energyWh !== null);

  const resolve = async () => {
    setBusy(true);
    const r = await runAction(
      'session-resolve',
      {
        id,
        action,
        reason,
        sampleId: action === 'set-stop-reading' && sampleId ? Number(sampleId) : undefined,
        accountId: action === 'attribute' && accountId ? Number(accountId) : undefined,
      },
      {
        success: `Session ${id} resolved`,
        onError: (e) => {
          if (e.field === 'reason' || e.fields?.some((f) => f.field === 'reason')) {
            setReasonError('Say why: the reason is kept with the decision and in the audit log.');
            return true;
          }
          return false;
        },
      },
    );
    setBusy(false);
    if (r.ok) {
      setReason('');
      setReasonError(null);
      review.refresh();
      onResolved();
    }
  };

  return (
    <Stack gap="md" p="xs" data-testid={`review-${id}`}>
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Why it was flagged">
        <Group gap={4} mb={4}>
          {s.flagKinds.map((k) => (
            <Badge key={k} color="orange" variant="light">
              {FLAG_KIND_LABELS[k]}
            </Badge>
          ))}
        </Group>
        <Text size="sm">{s.flagReason ?? 'No reason recorded.'}</Text>
        <Text size="xs" c="dimmed" mt={4}>
          Charger readings: start {formatNumber(s.meterStartWh)} Wh, stop{' '}
          {formatNumber(s.meterStopWh)} Wh
          {s.correctedStopWh !== null
            ? `; stop reading set by review: ${formatNumber(s.correctedStopWh)} Wh`
            : ''}
          .
        </Text>
      </Alert>

      <div>
        <Title order={5} mb={4}>
          Raw meter readings ({formatNumber(review.data.samplesTotal)})
        </Title>
        {review.data.samples.length === 0 ? (
          <Text size="sm" c="dimmed">
            The charger sent no meter samples for this session.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={260}>
            <Table striped withTableBorder aria-label="Raw meter readings" fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th ta="right">Register (Wh)</Table.Th>
                  <Table.Th ta="right">Power (W)</Table.Th>
                  <Table.Th>As sent</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {review.data.samples.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(m.timestamp, zone)}
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(m.energyWh)}</Table.Td>
                    <Table.Td ta="right">{formatNumber(m.powerW)}</Table.Td>
                    <Table.Td>
                      <Code style={{ wordBreak: 'break-all' }}>{m.raw}</Code>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
      </div>

      {review.data.reviews.length > 0 ? (
        <div>
          <Title order={5} mb={4}>
            Decisions
          </Title>
          <Stack gap={4}>
            {review.data.reviews.map((r) => (
              <Text size="sm" key={r.id}>
                {formatDateTime(r.at, zone)} · {r.userName ?? 'someone'}:{' '}
                <b>{REVIEW_ACTION_LABELS[r.action]}</b> — “{r.reason}”
              </Text>
            ))}
          </Stack>
        </div>
      ) : null}

      <div>
        <Title order={5} mb={4}>
          Decide
        </Title>
        <Stack gap="xs" maw={560}>
          <Radio.Group
            value={action}
            onChange={(v) => (isAction(v) ? setAction(v) : undefined)}
            aria-label="Decision"
          >
            <Stack gap={6}>
              {REVIEW_ACTIONS.map((a) => (
                <Radio key={a} value={a} label={REVIEW_ACTION_LABELS[a]} />
              ))}
            </Stack>
          </Radio.Group>
          {action === 'set-stop-reading' ? (
            <Select
              label="Meter sample to take the stop reading from"
              placeholder="The last one with a register reading"
              clearable
              data={withEnergy.map((m) => ({
                value: String(m.id),
                label: `${formatDateTime(m.timestamp, zone)} — ${formatNumber(m.energyWh)} Wh`,
              }))}
              value={sampleId}
              onChange={setSampleId}
            />
          ) : null}
          {action === 'attribute' ? (
            <Select
              label="Account to bill"
              placeholder="Choose a lot"
              searchable
              data={(accounts.data ?? []).map((a) => ({
                value: String(a.id),
                label: `Lot ${a.lotNumber} — ${a.ownerNames}${a.open ? '' : ' (closed)'}`,
              }))}
              value={accountId}
              onChange={setAccountId}
            />
          ) : null}
          <Textarea
            label="Reason"
            description="Required: kept with the decision and in the audit log."
            autosize
            minRows={2}
            value={reason}
            error={reasonError}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setReasonError(null);
            }}
          />
          <Group>
            <Button loading={busy} onClick={() => void resolve()}>
              Resolve
            </Button>
          </Group>
        </Stack>
      </div>
    </Stack>
  );
}
