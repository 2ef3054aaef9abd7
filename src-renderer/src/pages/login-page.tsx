import { useState } from 'react';
import {
  Alert,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
  Group,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBolt, IconInfoCircle } from '@tabler/icons-react';
import { api } from '../api/client';
import { useSession } from '../app/session';
import { describeError } from '../lib/errors';
import { minutesFromSeconds } from '../lib/format';
import { ThemeToggle } from '../app/shell';

export function LoginPage({ notice }: { notice: string | null }) {
  const { reload } = useSession();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : 'Enter your email address'),
      password: (v) => (v ? null : 'Enter your password'),
    },
  });
  return (
    <Center mih="100vh" p="md" style={{ position: 'relative' }}>
      <div style={{ position: 'absolute', top: 16, right: 16 }}>
        <ThemeToggle />
      </div>
      <Paper withBorder shadow="sm" p="xl" radius="md" w={400} maw="100%">
        <form
          aria-label="Log in"
          noValidate
          onSubmit={form.onSubmit(async (values) => {
            setError(null);
            const result = await api.call('session-login', values);
            if (result.ok) {
              await reload();
              return;
            }
            const e = result.error;
            if (e.code === 'throttled') {
              const minutes = minutesFromSeconds(e.retryAfterSeconds ?? 60);
              setError(
                `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
              );
            } else if (e.code === 'unauthenticated' || e.code === 'validation') {
              // Generic on purpose: do not reveal whether the email exists.
              setError('The email or password is not correct.');
            } else setError(describeError(e));
          })}
        >
          <Stack>
            <Group gap={6}>
              <IconBolt size={26} color="var(--mantine-color-teal-6)" />
              <Title order={2}>StrataCharge</Title>
            </Group>
            <Text c="dimmed" size="sm">
              Log in to manage the building’s EV chargers.
            </Text>
            {notice ? (
              <Alert color="blue" icon={<IconInfoCircle size={18} />} data-testid="login-notice">
                {notice}
              </Alert>
            ) : null}
            {error ? (
              <Alert color="red" role="alert" data-testid="login-error">
                {error}
              </Alert>
            ) : null}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              autoFocus
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={form.submitting} fullWidth>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
