// "Accept new chargers for the next N minutes" — the install-day switch (ocpp.md, Security).
import { useState } from 'react';
import { Badge, Button, Group, NumberInput, Paper, Text, Title } from '@mantine/core';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import { runAction } from '../lib/actions';
import { can } from '../lib/permissions';
import { formatDateTime } from '../lib/format';

export function CommissioningCard() {
  const user = useUser();
  const state = useQuery('commissioning-get', {});
  const [minutes, setMinutes] = useState<number | string>(30);
  const editable = can.createStation(user.role);
  const open = state.data?.open ?? false;
  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Commissioning window</Title>
        <Badge color={open ? 'green' : 'gray'} variant="light" data-testid="commissioning-state">
          {open ? `Open until ${formatDateTime(state.data?.openUntil)}` : 'Closed'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        While open, chargers that connect with an unknown charge box id are registered on the first
        site and approved automatically — handy on installation day. Close it afterwards.
      </Text>
      {editable ? (
        <Group align="flex-end">
          <NumberInput
            label="Accept new chargers for the next"
            rightSection={<Text size="xs">min</Text>}
            rightSectionWidth={40}
            min={1}
            max={7 * 24 * 60}
            w={240}
            value={minutes}
            onChange={setMinutes}
            allowDecimal={false}
          />
          <Button
            onClick={async () => {
              const r = await runAction(
                'commissioning-set',
                { minutes: Number(minutes) || 30 },
                { success: 'Commissioning window opened' },
              );
              if (r.ok) state.setData(() => r.value);
            }}
          >
            {open ? 'Extend' : 'Open'}
          </Button>
          {open ? (
            <Button
              variant="default"
              onClick={async () => {
                const r = await runAction(
                  'commissioning-set',
                  { minutes: 0 },
                  { success: 'Commissioning window closed' },
                );
                if (r.ok) state.setData(() => r.value);
              }}
            >
              Close now
            </Button>
          ) : null}
        </Group>
      ) : null}
    </Paper>
  );
}
