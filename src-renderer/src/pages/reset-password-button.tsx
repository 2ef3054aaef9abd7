// Users page: an administrator resets a user's forgotten password. The server returns a
// one-time password once; it is shown here once, and the user must replace it at their next login.
import { useState } from 'react';
import { Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import type { User } from '../../../src-shared/model';
import { ConfirmButton } from '../components/common';
import { runAction } from '../lib/actions';

export function ResetPasswordButton({ user, onDone }: { user: User; onDone: () => void }) {
  const [oneTime, setOneTime] = useState<string | null>(null);
  return (
    <>
      <ConfirmButton
        variant="subtle"
        size="compact-sm"
        color="orange"
        aria-label={`Reset password of ${user.name}`}
        title="Reset password"
        confirmLabel="Reset password"
        message={`Give ${user.name} (${user.email}) a one-time password? Their current password stops working, they are logged out everywhere, and they must choose a new password when they next log in.`}
        onConfirm={async () => {
          const r = await runAction('user-password-reset', { id: user.id });
          if (r.ok) setOneTime(r.value.oneTimePassword);
        }}
      >
        <IconKey size={16} />
      </ConfirmButton>
      <Modal
        opened={oneTime !== null}
        onClose={() => {
          setOneTime(null);
          onDone();
        }}
        title={`One-time password for ${user.name}`}
        centered
        closeOnClickOutside={false}
      >
        <Stack>
          <Text size="sm">
            Give this password to {user.name} in person or by phone. It is shown only now; they will
            be asked to choose their own password as soon as they log in with it.
          </Text>
          <Group gap="sm">
            <Code fz="lg" data-testid="one-time-password">
              {oneTime}
            </Code>
            <CopyButton value={oneTime ?? ''}>
              {({ copied, copy }) => (
                <Button variant="light" size="compact-sm" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <Group justify="flex-end">
            <Button
              onClick={() => {
                setOneTime(null);
                onDone();
              }}
            >
              Done
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
