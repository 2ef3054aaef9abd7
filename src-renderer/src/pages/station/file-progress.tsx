// Firmware update and diagnostics upload progress as the charger reports it
// (FirmwareStatusNotification / DiagnosticsStatusNotification, OCPP 1.6 §4.4, §4.5): the stored
// status when the page opens, then each new one live from the core's events.
import { useEffect } from 'react';
import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { api } from '../../api/client';
import { useQuery } from '../../api/use-query';
import { formatDateTime } from '../../lib/format';

/** How far along each reported status is (OCPP 1.6 FirmwareStatus / DiagnosticsStatus). */
const STEP: Record<string, number> = {
  Downloading: 25,
  Downloaded: 50,
  Installing: 75,
  Installed: 100,
  Uploading: 50,
  Uploaded: 100,
};
const FAILED = new Set(['DownloadFailed', 'InstallationFailed', 'UploadFailed']);
const LABEL: Record<string, string> = {
  Idle: 'Idle',
  Downloading: 'Downloading…',
  Downloaded: 'Downloaded',
  Installing: 'Installing…',
  Installed: 'Installed',
  DownloadFailed: 'Download failed',
  InstallationFailed: 'Installation failed',
  Uploading: 'Uploading…',
  Uploaded: 'Uploaded',
  UploadFailed: 'Upload failed',
};

function Line({
  what,
  value,
  timeZone,
}: {
  what: 'Firmware' | 'Diagnostics';
  value: { status: string; at: number } | null;
  timeZone: string | undefined;
}) {
  if (!value) return null;
  const failed = FAILED.has(value.status);
  const done = STEP[value.status] === 100;
  const color = failed ? 'red' : done ? 'green' : 'blue';
  return (
    <Stack gap={4} data-testid={`${what.toLowerCase()}-progress`}>
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {what}:{' '}
          <Badge color={color} variant="light" data-testid="file-status">
            {LABEL[value.status] ?? value.status}
          </Badge>
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(value.at, timeZone)}
        </Text>
      </Group>
      {value.status !== 'Idle' ? (
        <Progress
          value={failed ? 100 : (STEP[value.status] ?? 0)}
          color={color}
          animated={!failed && !done}
          aria-label={`${what} progress`}
        />
      ) : null}
    </Stack>
  );
}

export function FileProgress({
  stationId,
  timeZone,
}: {
  stationId: number;
  timeZone: string | undefined;
}) {
  const state = useQuery('station-file-status-get', { stationId });
  const { setData } = state;
  useEffect(
    () =>
      api.onEvent((e) => {
        if (e.type !== 'station-firmware-status' || e.stationId !== stationId) return;
        setData((prev) => ({
          firmware: prev?.firmware ?? null,
          diagnostics: prev?.diagnostics ?? null,
          [e.kind]: { status: e.status, at: e.at },
        }));
      }),
    [stationId, setData],
  );
  if (!state.data) return null;
  return (
    <Stack gap="xs">
      <Line what="Firmware" value={state.data.firmware} timeZone={timeZone} />
      <Line what="Diagnostics" value={state.data.diagnostics} timeZone={timeZone} />
    </Stack>
  );
}
