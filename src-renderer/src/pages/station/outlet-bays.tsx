// What each outlet of a station is for, from the residents' bays (Residents & cards → Bays): the
// bay's kind, its label and, for a private or billed visitor bay, the lot it serves. Shown on the
// station page to those who manage bays (administrators and site administrators).
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useQuery } from '../../api/use-query';

const KIND_LABEL = { private: 'Private', shared: 'Shared', visitor: 'Visitor (free)' } as const;

/** Per outlet number, its bay in words; null while unknown or not the user's to see. */
export function useOutletBays(siteId: number, stationId: number, enabled: boolean) {
  const bays = useQuery('bay-list', { siteId }, { enabled });
  const accounts = useQuery('account-list', { siteId }, { enabled });
  if (!enabled || !bays.data) return null;
  const lots = new Map((accounts.data ?? []).map((a) => [a.id, a]));
  return new Map(
    bays.data
      .filter((b) => b.stationId === stationId)
      .map((b) => {
        const lot = b.accountId === null ? undefined : lots.get(b.accountId);
        const words = [
          KIND_LABEL[b.kind],
          b.label ? `bay ${b.label}` : null,
          lot ? `Lot ${lot.lotNumber} (${lot.ownerNames})` : null,
        ].filter(Boolean);
        return [b.connectorNumber, words.join(' · ')] as const;
      }),
  );
}

export function OutletBay({ text }: { text: string | undefined }) {
  return text ? (
    <Anchor component={Link} to="/cards" size="sm" data-testid="outlet-bay">
      {text}
    </Anchor>
  ) : (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}
