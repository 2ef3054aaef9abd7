import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  Anchor,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useNavigate, useParams } from 'react-router';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import type { Floor } from '../../../src-shared/model';
import { useQuery } from '../api/use-query';
import { RemoveDemoButton } from '../components/remove-demo-button';
import { useUser } from '../app/session';
import { useTree } from '../app/tree';
import { stationTone } from '../app/navigator';
import {
  ConfirmDeleteButton,
  EmptyState,
  ErrorAlert,
  Loading,
  PageHeader,
} from '../components/common';
import { SiteForm, siteInput, siteValues } from '../components/site-form';
import { runAction } from '../lib/actions';
import { applyFieldErrors, fieldErrorsOf } from '../lib/errors';
import { strataPlanLabel } from '../../../src-shared/validation';
import type { ApiError } from '../../../src-shared/api/result';
import { can } from '../lib/permissions';
import { formatDate, formatNumber } from '../lib/format';
import { TONE_COLOR } from '../lib/status';

function FloorDialog({
  siteId,
  floor,
  opened,
  onClose,
}: {
  siteId: number;
  floor: Floor | null;
  opened: boolean;
  onClose: () => void;
}) {
  const form = useForm({
    initialValues: { name: floor?.name ?? '', level: (floor?.level ?? 0) as number | string },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={floor ? 'Edit floor' : 'Add floor'} centered>
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          const level = typeof v.level === 'number' ? v.level : Number(v.level || 0);
          const onError = (e: ApiError) => applyFieldErrors(form, e);
          const result = floor
            ? await runAction(
                'floor-update',
                { id: floor.id, name: v.name, level },
                { success: 'Floor saved', onError },
              )
            : await runAction(
                'floor-create',
                { siteId, name: v.name, level },
                { success: `Floor “${v.name.trim()}” added`, onError },
              );
          if (result.ok) onClose();
        })}
      >
        <Stack>
          <TextInput
            label="Name"
            placeholder="Basement 1"
            required
            data-autofocus
            {...form.getInputProps('name')}
          />
          <NumberInput
            label="Level"
            description="Sort order: negative for basements (B1 = -1), 0 for ground."
            min={-20}
            max={200}
            clampBehavior="none"
            allowDecimal={false}
            {...form.getInputProps('level')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {floor ? 'Save' : 'Add floor'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function SitePage() {
  const siteId = Number(useParams().siteId);
  const user = useUser();
  const navigate = useNavigate();
  const tree = useTree();
  const site = useQuery(
    'site-get',
    { id: siteId },
    { refreshOn: (e) => e.type === 'tree-changed' },
  );
  const floors = useQuery(
    'floor-list',
    { siteId },
    { refreshOn: (e) => e.type === 'tree-changed' },
  );
  const [dialog, setDialog] = useState<{ floor: Floor | null } | null>(null);
  const treeSite = tree.data?.sites.find((s) => s.id === siteId);

  if (site.loading) return <Loading />;
  if (site.error || !site.data) return site.error ? <ErrorAlert error={site.error} /> : null;
  const s = site.data;
  const editable = can.editSite(user.role) && can.editFloors(user.role);
  const sortedFloors = [...(floors.data ?? [])].sort((a, b) => a.level - b.level);
  const stationsOn = (floorId: number | null) =>
    treeSite?.stations.filter((st) => st.floorId === floorId) ?? [];
  const unplaced = stationsOn(null);

  return (
    <>
      <PageHeader
        title={s.name}
        subtitle={[strataPlanLabel(s.strataPlan), s.address, s.timeZone]
          .filter(Boolean)
          .join(' · ')}
        actions={
          can.deleteSite(user.role) ? (
            <>
              <RemoveDemoButton siteId={s.id} />
              <ConfirmDeleteButton
                title="Delete site"
                message={`Delete “${s.name}”? Only a site without floors or stations can be deleted.`}
                onConfirm={async () => {
                  const r = await runAction(
                    'site-delete',
                    { id: s.id },
                    { success: 'Site deleted', failure: 'Could not delete the site' },
                  );
                  if (r.ok) navigate('/');
                }}
              >
                Delete site
              </ConfirmDeleteButton>
            </>
          ) : null
        }
      />
      <Tabs defaultValue="floors" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="floors">Floors</Tabs.Tab>
          <Tabs.Tab value="details">Details</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="floors">
          <Group justify="space-between" mb="sm">
            <Title order={4}>Floors</Title>
            {editable ? (
              <Button
                leftSection={<IconPlus size={16} />}
                onClick={() => setDialog({ floor: null })}
              >
                Add floor
              </Button>
            ) : null}
          </Group>
          {floors.error ? <ErrorAlert error={floors.error} /> : null}
          {floors.loading ? (
            <Loading />
          ) : sortedFloors.length === 0 ? (
            <EmptyState
              title="No floors yet"
              action={
                editable ? (
                  <Button variant="light" onClick={() => setDialog({ floor: null })}>
                    Add the first floor
                  </Button>
                ) : undefined
              }
            >
              No floors yet — add the car-park levels of this building, then put the chargers on
              them.
            </EmptyState>
          ) : (
            <Paper withBorder>
              <Table highlightOnHover verticalSpacing="sm" aria-label="Floors">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Floor</Table.Th>
                    <Table.Th>Level</Table.Th>
                    <Table.Th>Stations</Table.Th>
                    <Table.Th>Added</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sortedFloors.map((f) => (
                    <Table.Tr key={f.id}>
                      {/* A long name without spaces wraps instead of pushing the table wide. */}
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        <Anchor component={Link} to={`/sites/${siteId}/floors/${f.id}`}>
                          {f.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{formatNumber(f.level)}</Table.Td>
                      <Table.Td>{formatNumber(stationsOn(f.id).length)}</Table.Td>
                      <Table.Td>{formatDate(f.createdAt, s.timeZone)}</Table.Td>
                      <Table.Td>
                        {editable ? (
                          <Group gap={4} justify="flex-end">
                            <Tooltip label="Edit floor">
                              <ActionIcon
                                variant="subtle"
                                aria-label={`Edit ${f.name}`}
                                onClick={() => setDialog({ floor: f })}
                              >
                                <IconPencil size={16} />
                              </ActionIcon>
                            </Tooltip>
                            <ConfirmDeleteButton
                              rowName={f.name}
                              title="Delete floor"
                              message={`Delete “${f.name}”? A floor with stations on it cannot be deleted: move or delete them first.`}
                              onConfirm={() =>
                                runAction(
                                  'floor-delete',
                                  { id: f.id },
                                  {
                                    success: 'Floor deleted',
                                    failure: 'Could not delete the floor',
                                  },
                                )
                              }
                            />
                          </Group>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}
          {unplaced.length ? (
            <Stack mt="lg" gap="xs">
              <Title order={5}>Stations not on a floor</Title>
              {unplaced.map((st) => (
                <Group key={st.id} gap="xs">
                  <Anchor component={Link} to={`/stations/${st.id}`}>
                    {st.name}
                  </Anchor>
                  <Badge color={TONE_COLOR[stationTone(st)]} variant="light">
                    {st.connected ? 'Online' : 'Offline'}
                  </Badge>
                </Group>
              ))}
            </Stack>
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="details">
          <Paper withBorder p="lg" maw={760}>
            <SiteForm
              key={s.updatedAt}
              initial={siteValues(s, s.timeZone)}
              readOnly={!can.editSite(user.role)}
              submitLabel="Save site"
              onSubmit={async (v) => {
                const r = await runAction(
                  'site-update',
                  { id: s.id, ...siteInput(v) },
                  { success: 'Site saved', onError: (e) => fieldErrorsOf(e).length > 0 },
                );
                if (r.ok) site.refresh();
                return r.ok ? null : r.error;
              }}
            />
          </Paper>
          <Text size="xs" c="dimmed" mt="xs">
            Added {formatDate(s.createdAt, s.timeZone)}
          </Text>
        </Tabs.Panel>
      </Tabs>
      {dialog ? (
        <FloorDialog
          key={dialog.floor?.id ?? 'new'}
          siteId={siteId}
          floor={dialog.floor}
          opened
          onClose={() => {
            setDialog(null);
            floors.refresh();
          }}
        />
      ) : null}
    </>
  );
}
