// "Accept new chargers for the next N minutes" — the install-day switch (ocpp.md, Security).
// The window is opened onto a site (and floor): new chargers are registered there.
import { useState } from 'react';
import { Badge, Button, Group, NumberInput, Paper, Select, Text, Title } from '@mantine/core';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import { useTree } from '../app/tree';
import { runAction } from '../lib/actions';
import { fieldErrorsOf } from '../lib/errors';
import { can } from '../lib/permissions';
import { formatDateTime } from '../lib/format';

export function CommissioningCard() {
  const user = useUser();
  const tree = useTree();
  const state = useQuery('commissioning-get', {});
  const [minutes, setMinutes] = useState<number | string>(30);
  const sites = tree.data?.sites ?? [];
  const [siteId, setSiteId] = useState<string | null>(null);
  const [floorId, setFloorId] = useState<string | null>(null);
  const chosenSite = siteId ?? (sites.length > 0 ? String(sites[0]?.id) : null);
  const floors = sites.find((s) => String(s.id) === chosenSite)?.floors ?? [];
  const [siteError, setSiteError] = useState<string | null>(null);
  const [minutesError, setMinutesError] = useState<string | null>(null);
  const editable = can.createStation(user.role);
  const open = state.data?.open ?? false;
  const where = state.data?.siteName
    ? `${state.data.siteName}${state.data.floorName ? `, ${state.data.floorName}` : ''}`
    : 'another site';
  return (
    <Paper withBorder p="lg">
      <Group justify="space-between" mb="xs">
        <Title order={5}>Commissioning window</Title>
        <Badge color={open ? 'green' : 'gray'} variant="light" data-testid="commissioning-state">
          {open ? `Open until ${formatDateTime(state.data?.openUntil)}` : 'Closed'}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        While open, chargers that connect with an unknown charge box id are registered on the site
        and floor chosen below and approved automatically — handy on installation day. Each one is
        named after its charge box id with one outlet; rename it and set its outlets afterwards, and
        close the window when the last charger is in.
      </Text>
      {open ? (
        <Text size="sm" mb="sm" data-testid="commissioning-target">
          New chargers are being registered on <b>{where}</b>.
        </Text>
      ) : null}
      {editable ? (
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Register them on site"
            w={240}
            allowDeselect={false}
            data={sites.map((s) => ({ value: String(s.id), label: s.name }))}
            value={chosenSite}
            error={siteError}
            onChange={(v) => {
              setSiteId(v);
              setFloorId(null);
              setSiteError(null);
            }}
          />
          <Select
            label="Floor"
            w={200}
            placeholder="Not on a floor"
            clearable
            data={floors.map((f) => ({ value: String(f.id), label: f.name }))}
            value={floorId}
            onChange={setFloorId}
          />
          <NumberInput
            label="For the next (minutes)"
            rightSection={<Text size="xs">min</Text>}
            rightSectionWidth={40}
            min={1}
            max={7 * 24 * 60}
            // Out of range is reported, not changed (an empty box opened it for 30 minutes).
            clampBehavior="none"
            w={180}
            value={minutes}
            error={minutesError}
            onChange={(v) => {
              setMinutes(v);
              setMinutesError(null);
            }}
            allowDecimal={false}
          />
          <Button
            disabled={chosenSite === null}
            onClick={async () => {
              // 0 minutes means "close" to the API: never send it from the Open button.
              if (minutes === '' || Number(minutes) < 1) {
                setMinutesError('Duration must be at least 1 minute.');
                return;
              }
              const r = await runAction(
                'commissioning-set',
                {
                  minutes: Number(minutes),
                  siteId: Number(chosenSite),
                  floorId: floorId ? Number(floorId) : null,
                },
                {
                  success: 'Commissioning window opened',
                  onError: (e) => {
                    const fields = fieldErrorsOf(e);
                    const on = (name: string) => fields.find((f) => f.field === name)?.message;
                    setSiteError(on('siteId') ?? null);
                    setMinutesError(on('minutes') ?? null);
                    return (
                      fields.length > 0 && fields.every((f) => /^(siteId|minutes)$/.test(f.field))
                    );
                  },
                },
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
                  // Names the window's site: a site administrator may close their own only.
                  { minutes: 0, siteId: state.data?.siteId ?? null },
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
