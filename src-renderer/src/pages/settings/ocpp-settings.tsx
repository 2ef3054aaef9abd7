// Settings → Chargers: the OCPP settings the server keeps (heartbeat interval, offline timeout,
// meter sampling, quiet-session review, message-log retention) and the wss:// certificate
// (import a PEM pair, or generate a self-signed one). Administrators change them; others read.
import { useEffect } from 'react';
import {
  Alert,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '../../api/use-query';
import { useUser } from '../../app/session';
import { runAction } from '../../lib/actions';
import { applyFieldErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { can } from '../../lib/permissions';

const FIELDS = [
  {
    key: 'heartbeatIntervalSeconds',
    label: 'Heartbeat interval (seconds)',
    description: 'Given to each charger at boot; it sends a Heartbeat this often when idle.',
    min: 10,
    max: 86_400,
  },
  {
    key: 'offlineAfterSeconds',
    label: 'Offline after (seconds)',
    description: 'A charger silent this long is shown offline. Keep it above the heartbeat.',
    min: 30,
    max: 86_400,
  },
  {
    key: 'meterSampleIntervalSeconds',
    label: 'Meter sample interval (seconds)',
    description: 'How often chargers report meter readings while charging (0 = off).',
    min: 0,
    max: 3_600,
  },
  {
    key: 'transactionSuspectMinutes',
    label: 'Review a silent session after (minutes)',
    description: 'An active session with no message this long is flagged for review.',
    min: 5,
    max: 43_200,
  },
  {
    key: 'messageLogRetentionDays',
    label: 'Keep the OCPP message log (days)',
    description: 'Older messages are deleted from the diagnostic log.',
    min: 1,
    max: 3_650,
  },
] as const;

type Key = (typeof FIELDS)[number]['key'];

export function OcppSettingsCard() {
  const user = useUser();
  const admin = can.manageOrganisation(user.role);
  const settings = useQuery('ocpp-settings-get', {});
  const form = useForm<Record<Key, number | string>>({
    initialValues: {
      heartbeatIntervalSeconds: '',
      offlineAfterSeconds: '',
      meterSampleIntervalSeconds: '',
      transactionSuspectMinutes: '',
      messageLogRetentionDays: '',
    },
  });
  const loaded = settings.data;
  const { setValues, resetDirty } = form;
  useEffect(() => {
    if (!loaded) return;
    const values = {
      heartbeatIntervalSeconds: loaded.heartbeatIntervalSeconds,
      offlineAfterSeconds: loaded.offlineAfterSeconds,
      meterSampleIntervalSeconds: loaded.meterSampleIntervalSeconds,
      transactionSuspectMinutes: loaded.transactionSuspectMinutes,
      messageLogRetentionDays: loaded.messageLogRetentionDays,
    };
    setValues(values);
    resetDirty(values);
  }, [loaded, setValues, resetDirty]);

  return (
    <Paper withBorder p="lg">
      <Title order={5} mb={4}>
        OCPP settings
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        Sent to chargers when they next boot; the offline timeout and log retention apply at once.
      </Text>
      <form
        noValidate
        aria-label="OCPP settings"
        onSubmit={form.onSubmit(async (v) => {
          const r = await runAction(
            'ocpp-settings-update',
            {
              heartbeatIntervalSeconds: Number(v.heartbeatIntervalSeconds),
              offlineAfterSeconds: Number(v.offlineAfterSeconds),
              meterSampleIntervalSeconds: Number(v.meterSampleIntervalSeconds),
              transactionSuspectMinutes: Number(v.transactionSuspectMinutes),
              messageLogRetentionDays: Number(v.messageLogRetentionDays),
            },
            { success: 'OCPP settings saved', onError: (e) => applyFieldErrors(form, e) },
          );
          if (r.ok) settings.setData(() => r.value);
        })}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {FIELDS.map((f) => (
            <NumberInput
              key={f.key}
              label={f.label}
              description={f.description}
              min={f.min}
              max={f.max}
              allowDecimal={false}
              clampBehavior="none"
              readOnly={!admin}
              {...form.getInputProps(f.key)}
            />
          ))}
        </SimpleGrid>
        {admin ? (
          <Group justify="flex-end" mt="md">
            <Button type="submit" loading={form.submitting} disabled={!form.isDirty()}>
              Save OCPP settings
            </Button>
          </Group>
        ) : null}
      </form>
    </Paper>
  );
}

export function TlsCertificateCard() {
  const user = useUser();
  const admin = can.manageOrganisation(user.role);
  const settings = useQuery('ocpp-settings-get', {});
  const form = useForm({ initialValues: { certPem: '', keyPem: '' } });
  const tls = settings.data?.tls;
  return (
    <Paper withBorder p="lg">
      <Title order={5} mb={4}>
        TLS certificate (wss://, security profile 2)
      </Title>
      {tls?.port == null ? (
        <Alert color="yellow" variant="light" mb="sm" data-testid="tls-off">
          The service has no TLS port, so no charger can use this certificate yet. Start it with{' '}
          <Code>--tls-port 9443</Code> (or STRATACHARGE_TLS_PORT).
        </Alert>
      ) : null}
      {tls?.subject ? (
        <Stack gap={2} mb="sm" data-testid="tls-certificate">
          <Text size="sm">
            {tls.source === 'self-signed' ? 'Self-signed' : 'Imported'}: {tls.subject}
          </Text>
          <Text size="xs" c="dimmed">
            Valid until {formatDateTime(tls.validTo)} · SHA-256 {tls.fingerprint256}
          </Text>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed" mb="sm">
          No certificate yet: one is generated when the TLS port first starts.
        </Text>
      )}
      {admin ? (
        <form
          noValidate
          aria-label="Import a certificate"
          onSubmit={form.onSubmit(async (v) => {
            const r = await runAction('tls-certificate-import', v, {
              success: 'Certificate installed',
              onError: (e) => applyFieldErrors(form, e),
            });
            if (r.ok) {
              form.reset();
              settings.refresh();
            }
          })}
        >
          <Stack gap="xs">
            <Textarea
              label="Certificate (PEM, with its chain)"
              placeholder="-----BEGIN CERTIFICATE-----"
              autosize
              minRows={3}
              maxRows={8}
              {...form.getInputProps('certPem')}
            />
            <Textarea
              label="Private key (PEM)"
              placeholder="-----BEGIN PRIVATE KEY-----"
              autosize
              minRows={3}
              maxRows={8}
              {...form.getInputProps('keyPem')}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={async () => {
                  const r = await runAction(
                    'tls-certificate-generate',
                    {},
                    {
                      success: 'Self-signed certificate generated',
                    },
                  );
                  if (r.ok) settings.refresh();
                }}
              >
                Generate self-signed
              </Button>
              <Button type="submit" disabled={!form.values.certPem || !form.values.keyPem}>
                Import certificate
              </Button>
            </Group>
          </Stack>
        </form>
      ) : null}
    </Paper>
  );
}
