// "Download" / "Export CSV" for a large result that streams (lib/download.ts streamedDownload):
// busy while the ticket is asked for (and, in the desktop app, while the file is written), a
// notification when it fails or where it was saved.
import { useState } from 'react';
import { Button, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import type { MethodInput } from '../../../src-shared/api/contract';
import { streamedDownload } from '../lib/download';
import { describeError } from '../lib/errors';

export function DownloadButton({
  request,
  label,
  disabled,
  size,
}: {
  request: () => MethodInput<'download-ticket-create'>;
  label: string;
  disabled?: boolean;
  size?: ButtonProps['size'];
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="default"
      size={size}
      leftSection={<IconDownload size={16} />}
      disabled={disabled}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        const r = await streamedDownload(request());
        setBusy(false);
        if (!r.ok) {
          notifications.show({
            color: 'red',
            title: 'Download failed',
            message: describeError(r.error),
            autoClose: 8000,
          });
        } else if (r.value.savedTo) {
          notifications.show({ color: 'green', title: 'Saved', message: r.value.savedTo });
        }
      }}
    >
      {label}
    </Button>
  );
}
