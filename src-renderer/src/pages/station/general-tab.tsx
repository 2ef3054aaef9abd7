import { applyFieldErrors } from '../../lib/errors';
import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useNavigate } from 'react-router';
import { IconPencil } from '@tabler/icons-react';
import type { Station } from '../../../../src-shared/model';
import { PHASES } from '../../../../src-shared/model';
import { useUser } from '../../app/session';
import { useTree } from '../../app/tree';
import { ConfirmDeleteButton } from '../../components/common';
import { SECURITY_PROFILES, SecurityProfileField } from '../../components/security-profile-field';
import { runAction } from '../../lib/actions';
import { can } from '../../lib/permissions';
import { formatAgo, formatDateTime, formatNumber } from '../../lib/format';
import { statusLabel, statusTone, TONE_COLOR } from '../../lib/status';
import { useNow } from '../../lib/use-now';
import { LocalListCard } from './local-list-card';
import { OutletBay, useOutletBays } from './outlet-bays';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text size="sm">{children ?? '—'}</Text>
    </div>
  );
}

function EditStation({ station, onClose }: { station: Station; onClose: () => void }) {
  const tree = useTree();
  const floors = tree.data?.sites.find((s) => s.id === station.siteId)?.floors ?? [];
  const form = useForm({
    initialValues: {
      name: station.name,
      floorId: station.floorId == null ? '' : String(station.floorId),
      maxCurrentA: station.maxCurrentA as number | string,
      phases: station.phases as string,
      approved: station.approved,
      blocked: station.blocked,
      securityProfile: String(station.securityProfile),
      /** Blank keeps the current password; a profile of 0 removes it. */
      password: '',
    },
    validate: {
      password: (v, values) =>
        values.securityProfile !== '0' && (v.length > 0 || !station.hasPassword) && v.length < 16
          ? 'At least 16 characters (OCPP AuthorizationKey)'
          : null,
    },
  });
  return (
    <Modal opened onClose={onClose} title="Edit station" centered>
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const phases = PHASES.find((p) => p === v.phases) ?? 'three';
          const r = await runAction(
            'station-update',
            {
              id: station.id,
              name: v.name,
              floorId: v.floorId ? Number(v.floorId) : null,
              maxCurrentA: Number(v.maxCurrentA),
              phases,
              approved: v.approved,
              blocked: v.blocked,
              securityProfile: Number(v.securityProfile),
              // Omitted = unchanged; null = remove (a charger on profile 0 needs none).
              ...(v.securityProfile === '0'
                ? { password: null }
                : v.password
                  ? { password: v.password }
                  : {}),
            },
            {
              success: 'Station saved',
              onError: (e) => applyFieldErrors(form, e),
            },
          );
          if (r.ok) onClose();
        })}
      >
        <Stack>
          <TextInput label="Name" {...form.getInputProps('name')} />
          <Select
            label="Floor"
            clearable
            placeholder="Not on a floor"
            data={floors.map((f) => ({ value: String(f.id), label: f.name }))}
            {...form.getInputProps('floorId')}
          />
          <Grid>
            <Grid.Col span={6}>
              <NumberInput
                label="Max current (A)"
                min={6}
                max={500}
                clampBehavior="none"
                {...form.getInputProps('maxCurrentA')}
              />
            </Grid.Col>
            <Grid.Col span={6}>
              <Select
                label="Phases"
                allowDeselect={false}
                data={[
                  { value: 'three', label: 'Three-phase' },
                  { value: 'L1', label: 'Single (L1)' },
                  { value: 'L2', label: 'Single (L2)' },
                  { value: 'L3', label: 'Single (L3)' },
                ]}
                {...form.getInputProps('phases')}
              />
            </Grid.Col>
          </Grid>
          <SecurityProfileField
            value={form.values.securityProfile}
            onChange={(v) => form.setFieldValue('securityProfile', v)}
            error={form.errors.securityProfile}
          />
          {form.values.securityProfile !== '0' ? (
            <PasswordInput
              label="New charger password (AuthorizationKey)"
              description={
                station.hasPassword
                  ? 'Leave blank to keep the current one. 16–40 characters; enter the same in the charger.'
                  : '16–40 characters; enter the same in the charger’s OCPP settings.'
              }
              {...form.getInputProps('password')}
            />
          ) : null}
          <Switch
            label="Approved (accept its BootNotification)"
            {...form.getInputProps('approved', { type: 'checkbox' })}
          />
          <Switch
            color="red"
            label="Blocked (refuse it at boot, e.g. a stolen or faulty charger)"
            {...form.getInputProps('blocked', { type: 'checkbox' })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function GeneralTab({
  station,
  timeZone,
  onChanged,
}: {
  station: Station;
  timeZone: string | undefined;
  onChanged: () => void;
}) {
  const user = useUser();
  const now = useNow(15_000);
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const bays = useOutletBays(station.siteId, station.id, can.editSite(user.role));
  const st = station;
  return (
    <Stack>
      <Paper withBorder p="lg">
        <Group justify="space-between" mb="md">
          <Title order={4}>Identity</Title>
          <Group gap="xs">
            {can.editStation(user.role) ? (
              <Button
                variant="light"
                leftSection={<IconPencil size={16} />}
                onClick={() => setEditing(true)}
              >
                Edit
              </Button>
            ) : null}
            {can.createStation(user.role) ? (
              <ConfirmDeleteButton
                title="Delete station"
                message={`Delete ${st.name} (${st.identity})? A station with transactions cannot be deleted.`}
                onConfirm={async () => {
                  const r = await runAction(
                    'station-delete',
                    { id: st.id },
                    { success: 'Station deleted', failure: 'Could not delete the station' },
                  );
                  if (r.ok) navigate(`/sites/${st.siteId}`);
                }}
              >
                Delete
              </ConfirmDeleteButton>
            ) : null}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md" verticalSpacing="md">
          <Field label="Charge box id">
            <Text span ff="monospace" size="sm">
              {st.identity}
            </Text>
          </Field>
          <Field label="Connection">
            <Badge color={st.connected ? 'green' : 'gray'} variant="light">
              {st.connected ? 'Online' : 'Offline'}
            </Badge>
          </Field>
          <Field label="Last heartbeat">{formatAgo(st.lastHeartbeatAt, now, timeZone)}</Field>
          <Field label="Vendor">{st.vendor}</Field>
          <Field label="Model">{st.model}</Field>
          <Field label="Serial number">{st.serialNumber}</Field>
          <Field label="Firmware">{st.firmwareVersion}</Field>
          <Field label="OCPP version">{st.ocppVersion}</Field>
          <Field label="IP address">{st.lastIp}</Field>
          <Field label="Security profile">
            {SECURITY_PROFILES[st.securityProfile]?.label ?? st.securityProfile}
          </Field>
          <Field label="Password set">{st.hasPassword ? 'Yes' : 'No'}</Field>
          <Field label="Boot">
            {st.blocked ? (
              <Badge color="red" variant="light">
                Blocked
              </Badge>
            ) : st.approved ? (
              'Approved'
            ) : (
              'Pending approval'
            )}
          </Field>
          <Field label="Last boot">{formatDateTime(st.lastBootAt, timeZone)}</Field>
          <Field label="Max current">{`${formatNumber(st.maxCurrentA)} A`}</Field>
          <Field label="Phases">
            {st.phases === 'three' ? 'Three-phase' : `Single (${st.phases})`}
          </Field>
          <Field label="Last seen">{formatDateTime(st.lastSeenAt, timeZone)}</Field>
        </SimpleGrid>
      </Paper>
      <Paper withBorder>
        <Title order={4} p="md" pb={0}>
          Outlets
        </Title>
        <Table verticalSpacing="sm" aria-label="Outlets" mt="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>Name</Table.Th>
              {bays ? <Table.Th>Bay</Table.Th> : null}
              <Table.Th>Status</Table.Th>
              <Table.Th>Error</Table.Th>
              <Table.Th>Since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {st.connectors.map((c) => (
              <Table.Tr key={c.id} data-testid={`connector-${c.connectorNumber}`}>
                <Table.Td>{c.connectorNumber}</Table.Td>
                <Table.Td>
                  <Anchor
                    component={Link}
                    to={`/stations/${st.id}/connectors/${c.connectorNumber}`}
                  >
                    {c.name ?? `Outlet ${c.connectorNumber}`}
                  </Anchor>
                </Table.Td>
                {bays ? (
                  <Table.Td>
                    <OutletBay text={bays.get(c.connectorNumber)} />
                  </Table.Td>
                ) : null}
                <Table.Td>
                  <Badge
                    color={TONE_COLOR[statusTone(c.status, st.connected)]}
                    variant="light"
                    data-testid="connector-status"
                  >
                    {statusLabel(c.status, st.connected)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {c.errorCode && c.errorCode !== 'NoError' ? (
                    <Text c="red" size="sm">
                      {c.errorCode}
                      {c.vendorErrorCode ? ` (${c.vendorErrorCode})` : ''}
                    </Text>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{formatDateTime(c.statusAt, timeZone)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <LocalListCard stationId={st.id} timeZone={timeZone} />
      {editing ? (
        <EditStation
          station={st}
          onClose={() => {
            setEditing(false);
            onChanged();
          }}
        />
      ) : null}
    </Stack>
  );
}
