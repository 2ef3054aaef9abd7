import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Group,
  List,
  LoadingOverlay,
  NumberInput,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Organisation } from '../../../src-shared/model';
import { api } from '../api/client';
import { useQuery } from '../api/use-query';
import { useUser } from '../app/session';
import { ConfirmButton, EmptyState, ErrorAlert, Loading, PageHeader } from '../components/common';
import { ChargerAddressList } from '../components/charger-addresses';
import { CommissioningCard } from '../components/commissioning-card';
import { DownloadButton } from '../components/download-button';
import { runAction } from '../lib/actions';
import { applyFieldErrors, describeError } from '../lib/errors';
import { can } from '../lib/permissions';
import { formatAbn, formatBytes, formatDateTime } from '../lib/format';
import { abnHint } from './setup-page';
import { OcppSettingsCard, TlsCertificateCard } from './settings/ocpp-settings';

function OrganisationForm({ org, readOnly }: { org: Organisation | null; readOnly: boolean }) {
  const form = useForm({
    initialValues: {
      name: org?.name ?? '',
      abn: formatAbn(org?.abn).replace('—', ''),
      email: org?.email ?? '',
      phone: org?.phone ?? '',
      address: org?.address ?? '',
    },
    validateInputOnBlur: ['abn'],
    validate: { abn: abnHint },
  });
  return (
    <Paper withBorder p="lg" maw={720}>
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          await runAction(
            'organisation-update',
            {
              name: v.name,
              abn: v.abn.trim() || null,
              email: v.email.trim() || null,
              phone: v.phone,
              address: v.address,
            },
            {
              success: 'Organisation saved',
              onError: (e) => applyFieldErrors(form, e),
            },
          );
        })}
      >
        <Stack>
          <TextInput
            label="Organisation name"
            required
            readOnly={readOnly}
            {...form.getInputProps('name')}
          />
          <TextInput
            label="ABN"
            description="11 digits; checked against the ATO checksum"
            readOnly={readOnly}
            {...form.getInputProps('abn')}
          />
          <Group grow>
            <TextInput
              label="Email"
              type="email"
              readOnly={readOnly}
              {...form.getInputProps('email')}
            />
            <TextInput label="Phone" readOnly={readOnly} {...form.getInputProps('phone')} />
          </Group>
          <Textarea
            label="Address"
            autosize
            minRows={2}
            readOnly={readOnly}
            {...form.getInputProps('address')}
          />
          {readOnly ? null : (
            <Group justify="flex-end">
              <Button type="submit" loading={form.submitting}>
                Save organisation
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function BackupSchedule() {
  const s = useQuery('backup-settings-get', {});
  const [saving, setSaving] = useState(false);
  if (!s.data) return null;
  const d = s.data;
  const save = async ({ enabled, hour, keep }: typeof d) => {
    setSaving(true);
    const r = await runAction(
      'backup-settings-update',
      { enabled, hour, keep },
      { success: 'Backup schedule saved' },
    );
    setSaving(false);
    if (r.ok) s.setData(() => r.value);
  };
  return (
    <Paper withBorder p="lg">
      <Title order={5} mb="sm">
        Daily backup
      </Title>
      <Group align="flex-end">
        <Switch
          label="Back up every day"
          checked={d.enabled}
          disabled={saving}
          onChange={(e) => void save({ ...d, enabled: e.currentTarget.checked })}
        />
        <Select
          label={`At (${d.timeZone})`}
          description="The site’s time zone"
          w={220}
          disabled={saving || !d.enabled}
          allowDeselect={false}
          value={String(d.hour)}
          data={Array.from({ length: 24 }, (_, h) => ({
            value: String(h),
            label: `${String(h).padStart(2, '0')}:00`,
          }))}
          onChange={(v) => void save({ ...d, hour: Number(v ?? d.hour) })}
        />
        <NumberInput
          label="Keep (backups)"
          w={140}
          min={1}
          max={365}
          // Sent as typed: out of range is refused with a message, not changed behind the user.
          clampBehavior="none"
          disabled={saving}
          defaultValue={d.keep}
          onBlur={(e) => {
            const keep = Number(e.currentTarget.value);
            if (keep !== d.keep) void save({ ...d, keep });
          }}
        />
      </Group>
    </Paper>
  );
}

function Backups() {
  const list = useQuery('backup-list', {});
  const [busy, setBusy] = useState<null | 'backup' | 'restore'>(null);
  return (
    <Stack pos="relative">
      <LoadingOverlay
        visible={busy === 'restore'}
        overlayProps={{ blur: 1 }}
        loaderProps={{ children: <Text>Restoring… the service reloads its data.</Text> }}
      />
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Backups are complete copies of the database in the data directory. Copy them off this
          computer regularly.
        </Text>
        <Button
          loading={busy === 'backup'}
          onClick={async () => {
            setBusy('backup');
            const r = await runAction(
              'backup-create',
              {},
              { success: (b) => `Backup ${b.fileName} created` },
            );
            setBusy(null);
            if (r.ok) list.refresh();
          }}
        >
          Back up now
        </Button>
      </Group>
      {busy === 'backup' ? <Progress value={100} animated striped aria-label="Backing up" /> : null}
      {list.error ? <ErrorAlert error={list.error} /> : null}
      {list.loading ? (
        <Loading />
      ) : (list.data ?? []).length === 0 ? (
        <EmptyState title="No backups yet">
          Press “Back up now”, or turn on the daily backup below.
        </EmptyState>
      ) : (
        <Paper withBorder>
          <Table verticalSpacing="sm" aria-label="Backups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Taken</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data ?? []).map((b) => (
                <Table.Tr key={b.fileName}>
                  <Table.Td ff="monospace">{b.fileName}</Table.Td>
                  <Table.Td>{formatDateTime(b.createdAt)}</Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={
                        b.kind === 'manual' ? 'teal' : b.kind === 'scheduled' ? 'blue' : 'gray'
                      }
                    >
                      {b.kind}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatBytes(b.sizeBytes)}</Table.Td>
                  <Table.Td ta="right">
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <DownloadButton
                        size="xs"
                        label="Download"
                        request={() => ({ kind: 'backup', fileName: b.fileName })}
                      />
                      <ConfirmButton
                        size="xs"
                        variant="light"
                        color="orange"
                        title="Restore backup"
                        message={`Replace all current data with ${b.fileName} (${formatDateTime(b.createdAt)})? A backup of the current data is taken first, so this can be undone.`}
                        confirmLabel="Restore"
                        onConfirm={async () => {
                          setBusy('restore');
                          const r = await runAction(
                            'backup-restore',
                            { fileName: b.fileName },
                            { success: 'Backup restored', failure: 'Restore failed' },
                          );
                          setBusy(null);
                          if (r.ok) list.refresh();
                        }}
                      >
                        Restore
                      </ConfirmButton>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <BackupSchedule />
    </Stack>
  );
}

function SystemInfo() {
  const user = useUser();
  const info = useQuery('system-info', {});
  const [check, setCheck] = useState<{ ok: boolean; messages: string[] } | null>(null);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  if (info.loading) return <Loading />;
  if (info.error || !info.data) return info.error ? <ErrorAlert error={info.error} /> : null;
  const i = info.data;
  return (
    <Stack maw={720}>
      <Paper withBorder p="lg">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {(
            [
              ['Version', i.version],
              ['Running since', formatDateTime(i.startedAt)],
              ['Data directory', i.dataDir],
              ['Connection to the core', api.kind === 'ipc' ? 'Desktop (IPC)' : 'WebSocket'],
              ['Web UI', i.httpUrl ?? '—'],
            ] as const
          ).map(([k, v]) => (
            <div key={k}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {k}
              </Text>
              <Text size="sm" style={{ wordBreak: 'break-all' }}>
                {v}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <Text size="xs" c="dimmed" tt="uppercase" fw={700} mt="md" mb={4}>
          Chargers connect to
        </Text>
        <ChargerAddressList urls={i.chargerUrls} />
      </Paper>
      {can.manageBackups(user.role) ? (
        <Paper withBorder p="lg">
          <Group justify="space-between">
            <div>
              <Title order={5}>Database integrity</Title>
              <Text size="sm" c="dimmed">
                Runs SQLite’s full integrity check. Takes a few seconds on a large database.
              </Text>
            </div>
            <Button
              variant="light"
              loading={checking}
              onClick={async () => {
                setChecking(true);
                setCheckError(null);
                const r = await api.call('system-integrity-check', {});
                setChecking(false);
                if (r.ok) setCheck(r.value);
                else setCheckError(describeError(r.error));
              }}
            >
              Check now
            </Button>
          </Group>
          {check ? (
            <Alert
              mt="md"
              color={check.ok ? 'green' : 'red'}
              title={check.ok ? 'The database is healthy' : 'Problems found'}
              data-testid="integrity-result"
            >
              {check.ok ? (
                'No problems found.'
              ) : (
                <List size="sm">
                  {check.messages.map((m) => (
                    <List.Item key={m}>{m}</List.Item>
                  ))}
                </List>
              )}
              {!check.ok ? ' Restore the most recent backup from the Backups tab.' : null}
            </Alert>
          ) : null}
          {checkError ? (
            <Alert mt="md" color="red">
              {checkError}
            </Alert>
          ) : null}
        </Paper>
      ) : null}
    </Stack>
  );
}

export function SettingsPage() {
  const user = useUser();
  const org = useQuery('organisation-get', {});
  const admin = can.manageOrganisation(user.role);
  return (
    <>
      <PageHeader title="Settings" />
      <Tabs defaultValue="organisation" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="organisation">Organisation</Tabs.Tab>
          <Tabs.Tab value="chargers">Chargers</Tabs.Tab>
          {can.manageBackups(user.role) ? <Tabs.Tab value="backups">Backups</Tabs.Tab> : null}
          <Tabs.Tab value="system">System</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="organisation">
          {org.loading ? (
            <Loading />
          ) : (
            <OrganisationForm org={org.data ?? null} readOnly={!admin} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="chargers">
          <Stack maw={900}>
            <CommissioningCard />
            <OcppSettingsCard />
            <TlsCertificateCard />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="backups">
          <Backups />
        </Tabs.Panel>
        <Tabs.Panel value="system">
          <SystemInfo />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
