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
        <>
          <Text size="sm">
            Version {s.version ?? '—'}
            {s.entries !== null ? ` · ${s.entries} card${s.entries === 1 ? '' : 's'}` : ''}
            {s.syncedAt ? ` · synced ${formatDateTime(s.syncedAt, timeZone)}` : ' · not synced yet'}
            {s.result && s.result !== 'Accepted' ? ` · last attempt: ${plain(s.result)}` : ''}
          </Text>
          {s.omitted > 0 ? (
            <Text size="sm" c="orange" data-testid="local-list-omitted">
              {(s.wanted ?? 0) - s.omitted} of {s.wanted} cards fit: this charger holds at most{' '}
              {cards(s.capacity ?? 0)}.{' '}
              {s.omitted === 1
                ? 'The card left out charges'
                : `The ${s.omitted} cards left out charge`}{' '}
              online only; offline it refuses them. The list keeps the cards of its private bays
              first, then the most recently used.
            </Text>
          ) : null}
        </>
      )}
    </Paper>
  );
}

/** The last attempt in words. */
function plain(result: string): string {
  switch (result) {
    case 'offline':
      return 'the charger was offline (it gets the whole list when it next starts)';
    case 'Failed':
      return 'the charger refused the list (Failed)';
    case 'VersionMismatch':
      return 'the charger’s list version disagreed; it will get the whole list';
    case 'error':
      return 'no answer from the charger';
    default:
      return result;
  }
}

const cards = (n: number) => `${n} card${n === 1 ? '' : 's'}`;
