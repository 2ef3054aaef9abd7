// The floor plan of a floor page: upload (limit stated, errors in words, the previous plan kept),
// the plan with stations in their state's colour (live from events), stations not yet placed
// listed beside it to drag on, and the clicked station's outlets and current session.
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  FileButton,
  Grid,
  Group,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import type { ApiError } from '../../../../src-shared/api/result';
import type { Station } from '../../../../src-shared/model';
import {
  FLOOR_PLAN_MAX_BYTES,
  FLOOR_PLAN_MAX_SIDE,
  formatMegabytes,
} from '../../../../src-shared/floor-plans';
import { ErrorAlert } from '../../components/common';
import { formatBytes } from '../../lib/format';
import { PLAN_STATES, planStateColor, stationPlanState, statusLabel } from '../../lib/status';
import { PlanMap, STATION_DRAG_TYPE, type PlanMarker } from './plan-map';
import { StationPanel } from './station-panel';
import { SEVERITY_COLOR, useAlarms, type AlarmCount } from '../../app/alarms';

const alarmOf = (a: AlarmCount | null): PlanMarker['alarm'] =>
  a ? { ...a, color: SEVERITY_COLOR[a.severity] } : null;

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

function useBlobUrl(mime: string | undefined, base64: string | undefined): string | null {
  const url = useMemo(() => {
    if (!mime || !base64) return null;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: mime }));
  }, [mime, base64]);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

export function FloorPlanSection({
  siteId,
  floorId,
  stations,
  editable,
}: {
  siteId: number;
  floorId: number;
  stations: Station[];
  editable: boolean;
}) {
  const view = useQuery(
    'floor-plan-get',
    { floorId },
    { refreshOn: (e) => e.type === 'floor-plan-changed' && e.floorId === floorId },
  );
  const plan = view.data?.plan ?? null;
  // The image is fetched once per upload (keyed by its time), not with every move.
  const image = useQuery(
    'floor-plan-image',
    { floorId },
    {
      enabled: plan !== null,
      refreshOn: (e) => e.type === 'floor-plan-changed' && e.floorId === floorId,
    },
  );
  const imageUrl = useBlobUrl(image.data?.mime, image.data?.dataBase64);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<ApiError | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  async function upload(file: File | null) {
    if (!file) return;
    setProblem(null);
    setNotice(null);
    // Checked here too, so a large file is refused before it is sent (the core checks again).
    if (file.size > FLOOR_PLAN_MAX_BYTES) {
      setProblem(
        `“${file.name}” is ${formatMegabytes(file.size)}; a floor plan may be at most ${formatMegabytes(FLOOR_PLAN_MAX_BYTES)}. Export it at a lower resolution or as a JPEG. The current plan is kept.`,
      );
      return;
    }
    setUploading(true);
    try {
      const r = await api.call('floor-plan-upload', {
        floorId,
        fileName: file.name,
        data: await base64Of(file),
      });
      if (r.ok) {
        setNotice(`Plan “${file.name}” uploaded (${r.value.width} × ${r.value.height} pixels).`);
        view.refresh();
      } else setProblem(r.error);
    } finally {
      setUploading(false);
    }
  }

  async function place(stationId: number, x: number, y: number) {
    const r = await api.call('station-plan-place', {
      stationId,
      position: { x: Math.round(x), y: Math.round(y) },
    });
    if (!r.ok) setProblem(r.error);
    else {
      setProblem(null);
      if (r.value.snapped) setNotice('Dropped outside the plan: the station was put on its edge.');
      view.refresh();
    }
  }

  const alarms = useAlarms();
  const placements = view.data?.placements ?? [];
  const byId = new Map(stations.map((s) => [s.id, s]));
  const markers: PlanMarker[] = placements.flatMap((p) => {
    const st = byId.get(p.stationId);
    if (!st || p.x === null || p.y === null) return [];
    const state = stationPlanState(
      st.connected,
      st.connectors.map((c) => c.status),
    );
    return [
      {
        stationId: st.id,
        identity: st.identity,
        x: p.x,
        y: p.y,
        state,
        color: planStateColor(state),
        name: st.name,
        bayLabel: p.bayLabel,
        alarm: alarmOf(alarms.station(st.id)),
      },
    ];
  });
  const unplaced = stations.filter((st) => {
    const p = placements.find((q) => q.stationId === st.id);
    return !p || p.x === null;
  });
  const selectedStation = selected !== null ? byId.get(selected) : undefined;
  const selectedPlacement = placements.find((p) => p.stationId === selected);

  return (
    <Paper withBorder p="md" mb="lg" aria-label="Floor plan section" component="section">
      <Group justify="space-between" mb="sm" align="flex-start">
        <div>
          <Title order={3}>Floor plan</Title>
          <Text size="sm" c="dimmed">
            {plan
              ? `${plan.fileName} · ${plan.width} × ${plan.height} pixels · ${formatBytes(plan.sizeBytes)}.`
              : 'No plan yet.'}{' '}
            PNG, JPEG or SVG, at most {formatMegabytes(FLOOR_PLAN_MAX_BYTES)} and{' '}
            {FLOOR_PLAN_MAX_SIDE.toLocaleString('en-AU')} pixels a side.
          </Text>
        </div>
        {editable ? (
          <FileButton onChange={(f) => void upload(f)} accept="image/png,image/jpeg,image/svg+xml">
            {(p) => (
              <Button
                {...p}
                variant="light"
                leftSection={<IconUpload size={16} />}
                loading={uploading}
              >
                {plan ? 'Replace plan' : 'Upload plan'}
              </Button>
            )}
          </FileButton>
        ) : null}
      </Group>
      {problem ? (
        typeof problem === 'string' ? (
          <Alert color="red" role="alert" title="Plan not uploaded" mb="sm">
            {problem}
          </Alert>
        ) : (
          <ErrorAlert error={problem} title="Not done" />
        )
      ) : null}
      {notice ? (
        <Alert color="blue" mb="sm" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      ) : null}
      {view.error ? <ErrorAlert error={view.error} /> : null}
      {plan && imageUrl ? (
        <Grid>
          <Grid.Col span={{ base: 12, md: 9 }}>
            <div style={{ height: 480 }}>
              <PlanMap
                imageUrl={imageUrl}
                width={plan.width}
                height={plan.height}
                markers={markers}
                editable={editable}
                selected={selected}
                onMove={(id, x, y) => void place(id, x, y)}
                onDropStation={(id, x, y) => void place(id, x, y)}
                onSelect={setSelected}
              />
            </div>
            <Group gap="xs" mt="xs" aria-label="Legend">
              {PLAN_STATES.map((s) => (
                <Badge key={s.key} color={planStateColor(s.key)} variant="dot">
                  {s.label}
                </Badge>
              ))}
            </Group>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <Stack gap="sm">
              {selectedStation ? (
                <StationPanel
                  // A new station or a label saved elsewhere starts the form afresh.
                  key={`${selectedStation.id}:${selectedPlacement?.bayLabel ?? ''}`}
                  siteId={siteId}
                  station={selectedStation}
                  bayLabel={selectedPlacement?.bayLabel ?? null}
                  editable={editable && !selectedPlacement?.bayFromBays}
                  bayFromBays={selectedPlacement?.bayFromBays ?? false}
                  onClose={() => setSelected(null)}
                />
              ) : null}
              <div aria-label="Stations not on the plan" role="list">
                <Text fw={600} size="sm" mb={4}>
                  Not on the plan yet
                </Text>
                {unplaced.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    Every station of this floor is on the plan.
                  </Text>
                ) : (
                  unplaced.map((st) => {
                    const state = stationPlanState(
                      st.connected,
                      st.connectors.map((c) => c.status),
                    );
                    return (
                      <Paper
                        key={st.id}
                        withBorder
                        p="xs"
                        mb={4}
                        role="listitem"
                        data-testid={`unplaced-${st.identity}`}
                        draggable={editable}
                        style={{ cursor: editable ? 'grab' : undefined }}
                        onDragStart={(e) => {
                          e.dataTransfer.setData(STATION_DRAG_TYPE, String(st.id));
                          e.dataTransfer.effectAllowed = 'move';
                        }}
                      >
                        <Group justify="space-between" wrap="nowrap">
                          <Text size="sm">{st.name}</Text>
                          <Badge size="xs" color={planStateColor(state)} variant="light">
                            {statusLabel(st.connectors[0]?.status ?? '', st.connected)}
                          </Badge>
                        </Group>
                      </Paper>
                    );
                  })
                )}
                {editable && unplaced.length > 0 ? (
                  <Text size="xs" c="dimmed">
                    Drag a station onto the plan; drag a pin to move it.
                  </Text>
                ) : null}
              </div>
            </Stack>
          </Grid.Col>
        </Grid>
      ) : plan ? (
        <Text size="sm" c="dimmed">
          Loading the plan…
        </Text>
      ) : null}
    </Paper>
  );
}
