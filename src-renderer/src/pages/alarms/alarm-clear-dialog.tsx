// Clearing an alarm by hand: a reason is required (recorded with the person's name in the alarm
// history and the audit log).
import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { runAction } from '../../lib/actions';
import { fieldMessage } from '../../lib/errors';
import type { Alarm } from '../../../../src-shared/api/methods/alarms';

export function ClearDialog({ alarm, onClose }: { alarm: Alarm | null; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      opened={alarm !== null}
      onClose={onClose}
      title="Clear this alarm"
      centered
      data-testid="clear-alarm-dialog"
    >
      <Stack>
        <Text size="sm">{alarm?.title}</Text>
        <Textarea
          label="Why is it cleared?"
          description="Recorded with your name in the alarm history and the audit log."
          placeholder="e.g. Electrician reset the RCD and tested the outlet"
          autosize
          minRows={2}
          data-autofocus
          value={reason}
          error={error}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            loading={busy}
            onClick={async () => {
              if (!alarm) return;
              if (!reason.trim()) {
                setError('Say why it is cleared: the next person will want to know.');
                return;
              }
              setBusy(true);
              const r = await runAction(
                'alarm-clear',
                { id: alarm.id, reason },
                {
                  success: 'Alarm cleared',
                  onError: (e) => {
                    if (e.field !== 'reason') return false;
                    setError(fieldMessage(e));
                    return true;
                  },
                },
              );
              setBusy(false);
              if (r.ok) {
                setReason('');
                setError(null);
                onClose();
              }
            }}
          >
            Clear alarm
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
