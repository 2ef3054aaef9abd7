// The simulated charger's file transfers (OCPP 1.6 §5.6 GetDiagnostics, §5.19 UpdateFirmware):
// after answering, it uploads a small diagnostics file or downloads the firmware, and reports each
// step with a status notification, as a real charger does.
type Send = (action: string, params: Record<string, unknown>) => Promise<unknown>;

export async function uploadDiagnostics(
  send: Send,
  body: string,
  location: string,
  fileName: string,
): Promise<void> {
  try {
    await send('DiagnosticsStatusNotification', { status: 'Uploading' });
    const res = await fetch(`${location.replace(/\/$/, '')}/${encodeURIComponent(fileName)}`, {
      method: 'PUT',
      body,
    });
    await send('DiagnosticsStatusNotification', { status: res.ok ? 'Uploaded' : 'UploadFailed' });
  } catch {
    await send('DiagnosticsStatusNotification', { status: 'UploadFailed' }).catch(() => undefined);
  }
}

/** Every status reported is also pushed to `statuses` (tests read it). */
export async function updateFirmware(
  send: Send,
  statuses: string[],
  location: string,
): Promise<void> {
  const report = async (status: string) => {
    statuses.push(status);
    await send('FirmwareStatusNotification', { status }).catch(() => undefined);
  };
  try {
    await report('Downloading');
    const res = await fetch(location);
    if (!res.ok) throw new Error(String(res.status));
    await res.arrayBuffer();
    await report('Downloaded');
    await report('Installing');
    await report('Installed');
  } catch {
    await report('DownloadFailed');
  }
}
