// The addresses to type into a charger, exactly as the service's ready banner prints them (both
// come from the core's chargerAddresses()): one per LAN address, and the wss:// ones with TLS.
import { Code, Stack, Text } from '@mantine/core';
import type { MethodOutput } from '../../../src-shared/api/contract';

type ChargerUrls = MethodOutput<'system-info'>['chargerUrls'];

export function ChargerAddressList({ urls }: { urls: ChargerUrls | undefined }) {
  if (!urls) return <Code block>…</Code>;
  return (
    <Stack gap={6}>
      <Code block data-testid="ocpp-url">
        {urls.ocpp.length > 0 ? urls.ocpp.join('\n') : 'The OCPP listener is not running.'}
      </Code>
      {urls.tls.length > 0 ? (
        <>
          <Text size="xs" c="dimmed">
            With TLS (security profile 2):
          </Text>
          <Code block data-testid="ocpp-tls-url">
            {urls.tls.join('\n')}
          </Code>
        </>
      ) : (
        <Text size="xs" c="dimmed" data-testid="ocpp-tls-off">
          TLS (wss://, security profile 2) is off: start the service with{' '}
          <Code>--tls-port 9443</Code> (or STRATACHARGE_TLS_PORT) to enable it.
        </Text>
      )}
      {urls.ocpp.length > 1 ? (
        <Text size="xs" c="dimmed">
          This machine has several network addresses: use the one on the chargers’ network.
        </Text>
      ) : null}
    </Stack>
  );
}
