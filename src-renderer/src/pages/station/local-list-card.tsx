// The charger's local card list (offline authorisation): the version it holds, when it was last
// synced with the site's cards and its answer, or that the charger has no local list.
import { Paper, Text, Title } from '@mantine/core';
import { useQuery } from '../../api/use-query';
import { formatDateTime } from '../../lib/format';

export function LocalListCard({ stationId, timeZone }: { stationId: number; timeZone?: string }) {
  const s = useQuery('station-local-list-status', { stationId }).data;
  if (!s) return null;
  return (
    <Paper withBorder p="lg" data-testid="local-list">
      <Title order={4} mb="xs">
        Offline card list
      </Title>
      {!s.supported ? (
        <Text size="sm">
          This charger does not support a local card list (no LocalAuthListManagement): offline it
          accepts only the cards in its own cache.
        </Text>
      ) : (
        <Text size="sm">
          Version {s.version ?? '—'}
          {s.entries !== null ? ` · ${s.entries} card${s.entries === 1 ? '' : 's'}` : ''}
          {s.syncedAt ? ` · synced ${formatDateTime(s.syncedAt, timeZone)}` : ' · not synced yet'}
          {s.result && s.result !== 'Accepted' ? ` · last attempt: ${s.result}` : ''}
        </Text>
      )}
    </Paper>
  );
}
