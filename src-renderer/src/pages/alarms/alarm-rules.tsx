// The alarm rules: what each watches, its severity (administrators change it; alarms raised from
// then on use it) and, where a rule waits, how long (the offline grace period, meter silence).
import { useState } from 'react';
import { Badge, Button, Group, NumberInput, Paper, Select, Table, Text } from '@mantine/core';
import { useQuery } from '../../api/use-query';
import { useUser } from '../../app/session';
import { SEVERITY_COLOR } from '../../app/alarms';
import { runAction } from '../../lib/actions';
import { ErrorAlert, Loading } from '../../components/common';
import {
  ALARM_RULES,
  SEVERITIES,
  SEVERITY_LABELS,
  type AlarmRuleId,
  type Severity,
} from '../../../../src-shared/alarms';

function RuleRow({
  rule,
  severity,
  delaySeconds,
  editable,
  onSaved,
}: {
  rule: AlarmRuleId;
  severity: Severity;
  delaySeconds: number | null;
  editable: boolean;
  onSaved(): void;
}) {
  const def = ALARM_RULES[rule];
  const [sev, setSev] = useState<Severity>(severity);
  const [delay, setDelay] = useState<number | string>(delaySeconds ?? '');
  const [error, setError] = useState<string | null>(null);
  const changed = sev !== severity || (def.delay && Number(delay) !== delaySeconds);
  return (
    <Table.Tr data-testid={`rule-${rule}`}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {def.label}
          {def.reserved ? (
            <Badge ml="xs" size="xs" variant="outline" color="gray">
              Coming
            </Badge>
          ) : null}
        </Text>
        <Text size="xs" c="dimmed" maw={460}>
          {def.description}
        </Text>
      </Table.Td>
      <Table.Td>
        {editable ? (
          <Select
            aria-label={`Severity of ${def.label}`}
            data={SEVERITIES.map((s) => ({ value: s, label: SEVERITY_LABELS[s] }))}
            value={sev}
            onChange={(v) => v && setSev(v as Severity)}
            allowDeselect={false}
            w={130}
          />
        ) : (
          <Badge color={SEVERITY_COLOR[severity]}>{SEVERITY_LABELS[severity]}</Badge>
        )}
      </Table.Td>
      <Table.Td>
        {def.delay ? (
          editable ? (
            <NumberInput
              aria-label={`${def.delay.label}, ${def.label}`}
              min={def.delay.min}
              max={def.delay.max}
              value={delay}
              onChange={setDelay}
              error={error}
              suffix=" s"
              w={130}
            />
          ) : (
            <Text size="sm">{delaySeconds} s</Text>
          )
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        )}
      </Table.Td>
      {editable ? (
        <Table.Td>
          <Button
            size="xs"
            variant="light"
            disabled={!changed}
            aria-label={`Save ${def.label}`}
            onClick={async () => {
              setError(null);
              const r = await runAction(
                'alarm-rule-update',
                {
                  rule,
                  severity: sev,
                  ...(def.delay ? { delaySeconds: Number(delay) } : {}),
                },
                {
                  success: `${def.label} saved`,
                  onError: (e) => {
                    if (e.field !== 'delaySeconds') return false;
                    setError(e.message);
                    return true;
                  },
                },
              );
              if (r.ok) onSaved();
            }}
          >
            Save
          </Button>
        </Table.Td>
      ) : null}
    </Table.Tr>
  );
}

export function AlarmRules() {
  const user = useUser();
  const editable = user.role === 'admin';
  const q = useQuery('alarm-rule-list', {});
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Loading />;
  return (
    <Paper withBorder>
      <Text size="sm" c="dimmed" p="sm">
        {editable
          ? 'A changed severity applies to alarms raised from now on.'
          : 'Only an administrator can change these.'}
      </Text>
      <Table aria-label="Alarm rules">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Severity</Table.Th>
            <Table.Th>Waits</Table.Th>
            {editable ? <Table.Th /> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.map((r) => (
            <RuleRow
              key={`${r.rule}:${r.severity}:${r.delaySeconds}`}
              {...r}
              editable={editable}
              onSaved={q.refresh}
            />
          ))}
        </Table.Tbody>
      </Table>
      <Group p="sm" />
    </Paper>
  );
}
