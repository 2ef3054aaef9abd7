// The site map, for managers of several buildings: every site with a latitude and longitude on
// a leaflet map whose tiles come from the tile server in the settings (administrators change it
// here). Without network the tiles fail: the sites stay on a plain background and the page says
// why. Sites without coordinates are listed with the way to set them.
import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { IconWorldOff } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { useTree } from '../../app/tree';
import { useUser } from '../../app/session';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { describeError } from '../../lib/errors';
import { formatNumber } from '../../lib/format';
import { can } from '../../lib/permissions';
import { GeoMap } from './geo-map';
import { SITE_TONES, siteTone, toneColor } from './site-state';
import { SEVERITY_COLOR, useAlarms } from '../../app/alarms';
import { SEVERITIES, SEVERITY_LABELS } from '../../../../src-shared/alarms';

const hostOf = (template: string) => {
  try {
    return new URL(template.replace(/\{[a-z]\}/g, '0')).host;
  } catch {
    return template;
  }
};

export function SiteMapPage() {
  const user = useUser();
  const navigate = useNavigate();
  const sites = useQuery('site-list', {}, { refreshOn: (e) => e.type === 'tree-changed' });
  const tiles = useQuery('site-map-settings-get', {});
  const tree = useTree();
  const alarms = useAlarms();
  const [tilesFailed, setTilesFailed] = useState(false);
  const [tilesLoaded, setTilesLoaded] = useState(false);

  if (sites.error) return <ErrorAlert error={sites.error} />;
  if (tiles.error) return <ErrorAlert error={tiles.error} />;
  if (!sites.data || !tiles.data) return <Loading />;

  const stationsOf = (siteId: number) =>
    tree.data?.sites.find((s) => s.id === siteId)?.stations.length ?? 0;
  const placed = sites.data.flatMap((s) => {
    if (s.latitude === null || s.longitude === null) return [];
    const tone = siteTone(tree.data?.sites.find((t) => t.id === s.id));
    const alarm = alarms.site(s.id);
    return [
      {
        id: s.id,
        name: s.name,
        lat: s.latitude,
        lng: s.longitude,
        detail: `${formatNumber(stationsOf(s.id))} ${stationsOf(s.id) === 1 ? 'station' : 'stations'}`,
        tone,
        color: toneColor(tone),
        alarm: alarm ? { ...alarm, color: SEVERITY_COLOR[alarm.severity] } : null,
      },
    ];
  });
  const unplaced = sites.data.filter((s) => s.latitude === null || s.longitude === null);

  return (
    <Stack>
      <PageHeader
        title="Site map"
        subtitle="Every building you manage, placed by its latitude and longitude. Click a site to open it."
      />
      {tilesFailed && !tilesLoaded ? (
        <Alert color="yellow" icon={<IconWorldOff size={18} />} title="Map tiles unavailable">
          The background map could not be loaded from {hostOf(tiles.data.tileUrl)}: this computer
          may have no internet access, or the tile server is not answering. The sites are shown on a
          plain background; everything else works.
        </Alert>
      ) : null}
      {placed.length === 0 ? (
        <EmptyState title="No site has a location yet">
          Set a site’s latitude and longitude on its page to place it on the map.
        </EmptyState>
      ) : (
        <GeoMap
          key={`${tiles.data.tileUrl}|${placed.map((p) => `${p.id}:${p.lat},${p.lng}`).join(';')}`}
          tileUrl={tiles.data.tileUrl}
          isDefault={tiles.data.isDefault}
          sites={placed}
          onOpen={(id) => void navigate(`/sites/${id}`)}
          onTilesFailed={() => setTilesFailed(true)}
          onTilesLoaded={() => setTilesLoaded(true)}
        />
      )}
      {placed.length > 0 ? <Legend /> : null}
      {unplaced.length > 0 ? (
        <div>
          <Text size="sm" fw={600}>
            Not on the map (no latitude and longitude yet):
          </Text>
          <List size="sm">
            {unplaced.map((s) => (
              <List.Item key={s.id}>
                <Anchor component={Link} to={`/sites/${s.id}`}>
                  {s.name}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </div>
      ) : null}
      {can.manageOrganisation(user.role) ? (
        <TileServerForm current={tiles.data.tileUrl} onSaved={tiles.refresh} />
      ) : null}
    </Stack>
  );
}

function TileServerForm({ current, onSaved }: { current: string; onSaved(): void }) {
  const [value, setValue] = useState(current);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const save = async (tileUrl: string | null) => {
    const r = await api.call('site-map-settings-update', { tileUrl });
    setSaved(r.ok);
    if (!r.ok) return setError(describeError(r.error));
    setError(null);
    setValue(r.value.tileUrl);
    onSaved();
  };
  return (
    <Group align="flex-end" wrap="nowrap" component="section" aria-label="Tile server">
      <TextInput
        style={{ flex: 1 }}
        label="Tile server (administrators)"
        description="An address with {z}, {x} and {y}, e.g. a tile server on your own network."
        value={value}
        error={error}
        maxLength={500}
        onChange={(e) => {
          setValue(e.currentTarget.value);
          setSaved(false);
        }}
      />
      <Button onClick={() => void save(value)}>{saved ? 'Saved' : 'Save'}</Button>
      <Button variant="subtle" onClick={() => void save(null)}>
        Use OpenStreetMap
      </Button>
    </Group>
  );
}

/** The pins' colours: the navigator's, for each site's worst charger; the alarm count's severity. */
function Legend() {
  return (
    <Stack gap={4} aria-label="Legend" component="section">
      <Group gap="xs">
        {SITE_TONES.map((t) => (
          <Badge key={t.tone} color={toneColor(t.tone) ?? 'gray'} variant="dot">
            {t.label}
          </Badge>
        ))}
        <Badge color="gray" variant="outline">
          No chargers yet
        </Badge>
      </Group>
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          The number on a pin: its active alarms, in the worst one’s colour:
        </Text>
        {SEVERITIES.map((s) => (
          <Badge key={s} color={SEVERITY_COLOR[s]} size="sm">
            {SEVERITY_LABELS[s]}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}
