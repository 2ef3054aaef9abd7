import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { api } from '../api/client';
import { describeError } from '../lib/errors';
import { useSession } from '../app/session';

export function ChangePasswordDialog({
  opened,
  onClose,
  required = false,
}: {
  opened: boolean;
  onClose: () => void;
  /** After a password reset: cannot be dismissed (only logging out leaves it). */
  required?: boolean;
}) {
  const { logout } = useSession();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter your current password'),
      newPassword: (v) => (v.length >= 10 ? null : 'Use at least 10 characters'),
      confirm: (v, values) => (v === values.newPassword ? null : 'The passwords do not match'),
    },
  });
  const close = () => {
    form.reset();
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={required ? () => undefined : close}
      title={required ? 'Choose a new password' : 'Change password'}
      withCloseButton={!required}
      closeOnEscape={!required}
      closeOnClickOutside={!required}
      centered
    >
      <form
        onSubmit={form.onSubmit(async (values) => {
          const result = await api.call('password-change', {
            currentPassword: values.currentPassword,
            newPassword: values.newPassword,
          });
          if (result.ok) {
            notifications.show({
              color: 'green',
              title: 'Password changed',
              message: 'Your other sessions have been logged out.',
              autoClose: 4000,
            });
            close();
          } else if (result.error.field === 'newPassword')
            form.setFieldError('newPassword', result.error.message);
          else if (result.error.code === 'unauthenticated' || result.error.code === 'validation')
            form.setFieldError('currentPassword', 'The current password is not correct');
          else form.setFieldError('currentPassword', describeError(result.error));
        })}
      >
        <Stack>
          {required ? (
            <Text size="sm">
              Your password was reset by an administrator. Enter the one-time password you were
              given, then choose your own to continue.
            </Text>
          ) : null}
          <PasswordInput
            label={required ? 'One-time password' : 'Current password'}
            autoComplete="current-password"
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label="New password"
            description="At least 10 characters; a few unrelated words make a strong passphrase."
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            {...form.getInputProps('confirm')}
          />
          <Group justify="flex-end">
            {required ? (
              <Button variant="default" onClick={() => void logout()}>
                Log out
              </Button>
            ) : (
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
            )}
            <Button type="submit" loading={form.submitting}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
