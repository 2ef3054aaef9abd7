// Outlet level: the connector's live status and its name, plug type and rating.
import { applyFieldErrors } from '../lib/errors';
import {
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useParams } from 'react-router';
import type { Connector } from '../../../src-shared/model';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../components/common';
import { runAction } from '../lib/actions';
import { can } from '../lib/permissions';
import { formatDateTime } from '../lib/format';
import { statusLabel, statusTone, TONE_COLOR } from '../lib/status';
import { stationEvent } from './station/station-page';

function ConnectorForm({ c, readOnly }: { c: Connector; readOnly: boolean }) {
  const form = useForm({
    initialValues: {
      name: c.name ?? '',
      type: c.type ?? '',
      maxCurrentA: (c.maxCurrentA ?? '') as number | string,
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (v) => {
        await runAction(
          'connector-update',
          {
            id: c.id,
            name: v.name,
            type: v.type,
            maxCurrentA: v.maxCurrentA === '' ? null : Number(v.maxCurrentA),
          },
          {
            success: 'Outlet saved',
            onError: (e) => applyFieldErrors(form, e),
          },
        );
      })}
    >
      <Stack>
        <TextInput
          label="Name / parking bay"
          placeholder="Bay 12"
          readOnly={readOnly}
          {...form.getInputProps('name')}
        />
        <TextInput
          label="Plug type"
          placeholder="Type 2 socket"
          readOnly={readOnly}
          {...form.getInputProps('type')}
        />
        <NumberInput
          label="Max current (A)"
          description="Leave empty to use the station's rating."
          min={6}
          max={500}
          clampBehavior="none"
          readOnly={readOnly}
          {...form.getInputProps('maxCurrentA')}
        />
        {readOnly ? null : (
          <Group justify="flex-end">
            <Button type="submit" loading={form.submitting}>
              Save outlet
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

export function ConnectorPage() {
  const params = useParams();
  const stationId = Number(params.stationId);
  const n = Number(params.connectorNumber);
  const user = useUser();
  const station = useQuery(
    'station-get',
    { id: stationId },
    { refreshOn: stationEvent(stationId) },
  );
  if (station.loading) return <Loading />;
  if (station.error || !station.data)
    return station.error ? <ErrorAlert error={station.error} /> : null;
  const st = station.data;
  const c = st.connectors.find((x) => x.connectorNumber === n);
  if (!c)
    return (
      <EmptyState title="No such outlet">
        This station has {st.connectors.length} outlet(s).
      </EmptyState>
    );
  const tone = statusTone(c.status, st.connected);
  return (
    <>
      <PageHeader
        title={`${c.name ?? `Outlet ${n}`}`}
        subtitle={
          <>
            Outlet {n} of{' '}
            <Anchor component={Link} to={`/stations/${st.id}`}>
              {st.name}
            </Anchor>
          </>
        }
      />
      <Stack maw={640}>
        <Paper withBorder p="lg">
          <Group justify="space-between">
            <Text fw={600}>Status</Text>
            <Badge
              color={TONE_COLOR[tone]}
              size="lg"
              variant="light"
              data-testid="connector-status"
            >
              {statusLabel(c.status, st.connected)}
            </Badge>
          </Group>
          <Text size="sm" c="dimmed" mt="xs">
            Since {formatDateTime(c.statusAt)}
            {c.errorCode && c.errorCode !== 'NoError' ? ` · error ${c.errorCode}` : ''}
            {c.info ? ` · ${c.info}` : ''}
          </Text>
        </Paper>
        <Paper withBorder p="lg">
          <ConnectorForm key={st.updatedAt} c={c} readOnly={!can.editStation(user.role)} />
        </Paper>
      </Stack>
    </>
  );
}
