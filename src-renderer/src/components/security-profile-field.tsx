// How a charger authenticates (OCPP 1.6 security profiles 0-2), for the add, adopt and edit
// station dialogs. Stacked radios rather than a segmented control: the three labels do not fit
// side by side in a dialog. Profile 2 needs the service's wss:// listener; without one the
// charger could never connect, so say so and how to turn it on.
import { Alert, Code, Radio, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQuery } from '../api/use-query';

export const SECURITY_PROFILES = [
  {
    value: '0',
    label: '0 — none (trusted LAN)',
    description: 'Any charger with a registered charge box id connects',
  },
  {
    value: '1',
    label: '1 — Basic auth',
    description: 'HTTP Basic auth with a per-charger password',
  },
  {
    value: '2',
    label: '2 — TLS + Basic auth',
    description: 'wss:// with this service’s certificate, and the password',
  },
] as const;

export function SecurityProfileField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: React.ReactNode;
}) {
  const settings = useQuery('ocpp-settings-get', {});
  const noTls = settings.data !== undefined && settings.data.tls.port === null;
  return (
    <Stack gap="xs">
      <Radio.Group label="Security profile" value={value} onChange={onChange} error={error}>
        <Stack gap={6} mt={4}>
          {SECURITY_PROFILES.map((p) => (
            <Radio key={p.value} value={p.value} label={p.label} description={p.description} />
          ))}
        </Stack>
      </Radio.Group>
      {value === '2' && noTls ? (
        <Alert
          color="yellow"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title="This service has no TLS port"
          data-testid="no-tls-warning"
        >
          A charger on profile 2 connects over wss:// only, and this service is not listening for
          it, so the charger will not connect. Restart the service with <Code>--tls-port 9443</Code>{' '}
          (or the STRATACHARGE_TLS_PORT variable), or choose profile 1.
        </Alert>
      ) : null}
    </Stack>
  );
}
