// Email settings (administrators): the SMTP server, and "Send test email", which shows the
// server's exact answer and how to fix it. The password field is write-only: blank keeps the
// stored password, which the core never sends back.
import { useState } from 'react';
import {
  Alert,
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import type { MailSettings, SmtpSecurity } from '../../../src-shared/api/methods/mail';
import { api } from '../api/client';
import { useQuery } from '../api/use-query';
import { ErrorAlert, Loading } from '../components/common';
import { runAction } from '../lib/actions';
import { describeError, fieldMessage } from '../lib/errors';

const DEFAULT_PORT: Record<SmtpSecurity, number> = { none: 25, starttls: 587, tls: 465 };

function SmtpForm({ saved, onSaved }: { saved: MailSettings; onSaved: () => void }) {
  const form = useForm({
    initialValues: {
      host: saved.host,
      port: saved.port as number | string,
      security: saved.security,
      user: saved.user ?? '',
      password: '',
      from: saved.from,
      replyTo: saved.replyTo ?? '',
    },
  });
  const [testTo, setTestTo] = useState('');
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{
    sent: boolean;
    message: string;
    serverAnswer: string | null;
  } | null>(null);

  const save = form.onSubmit(async (v) => {
    const r = await runAction(
      'mail-settings-update',
      {
        host: v.host,
        port: typeof v.port === 'number' ? v.port : Number.NaN,
        security: v.security,
        user: v.user.trim() || null,
        // Blank = keep the stored password.
        password: v.password === '' ? undefined : v.password,
        from: v.from,
        replyTo: v.replyTo.trim() || null,
      },
      {
        success: 'Email settings saved',
        onError: (e) => {
          if (e.code === 'validation' && e.field) form.setFieldError(e.field, fieldMessage(e));
          return Boolean(e.field);
        },
      },
    );
    if (r.ok) {
      form.setFieldValue('password', '');
      onSaved();
    }
  });

  return (
    <Stack maw={720}>
      <Paper withBorder p="lg">
        <form noValidate onSubmit={save}>
          <Stack>
            <Group grow align="flex-start">
              <TextInput
                label="Mail server (SMTP host)"
                placeholder="smtp.example.com"
                required
                {...form.getInputProps('host')}
              />
              <NumberInput
                label="Port"
                required
                min={1}
                max={65535}
                allowDecimal={false}
                {...form.getInputProps('port')}
              />
            </Group>
            <div>
              <Text size="sm" fw={500} mb={4}>
                Security
              </Text>
              <SegmentedControl
                aria-label="Security"
                data={[
                  { value: 'starttls', label: 'STARTTLS (587)' },
                  { value: 'tls', label: 'TLS (465)' },
                  { value: 'none', label: 'None (25)' },
                ]}
                value={form.values.security}
                onChange={(value) => {
                  const security = value as SmtpSecurity;
                  form.setFieldValue('security', security);
                  form.setFieldValue('port', DEFAULT_PORT[security]);
                }}
              />
            </div>
            <Group grow align="flex-start">
              <TextInput label="User name" autoComplete="off" {...form.getInputProps('user')} />
              <PasswordInput
                label="Password"
                autoComplete="new-password"
                placeholder={saved.passwordSet ? 'Stored – leave blank to keep it' : ''}
                description={saved.passwordSet ? 'A password is stored.' : 'No password stored.'}
                {...form.getInputProps('password')}
              />
            </Group>
            <Group grow align="flex-start">
              <TextInput
                label="From address"
                placeholder="billing@your-strata.com.au"
                required
                {...form.getInputProps('from')}
              />
              <TextInput
                label="Reply-to address"
                placeholder="Optional"
                {...form.getInputProps('replyTo')}
              />
            </Group>
            <Group justify="flex-end">
              <Button type="submit">Save</Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Paper withBorder p="lg">
        <Stack>
          <Text fw={500}>Send a test email</Text>
          <Text size="sm" c="dimmed">
            Uses the saved settings. Save first if you changed them.
          </Text>
          <Group align="flex-end">
            <TextInput
              label="To"
              placeholder="you@example.com"
              value={testTo}
              onChange={(e) => setTestTo(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button
              variant="default"
              loading={testing}
              disabled={!saved.configured || testTo.trim() === ''}
              onClick={async () => {
                setTesting(true);
                setTest(null);
                const r = await api.call('mail-test-send', { to: testTo });
                setTesting(false);
                if (r.ok) setTest(r.value);
                else setTest({ sent: false, message: describeError(r.error), serverAnswer: null });
              }}
            >
              Send test email
            </Button>
          </Group>
          {test ? (
            <Alert
              color={test.sent ? 'green' : 'red'}
              title={test.sent ? 'Test email sent' : 'The test email was not sent'}
            >
              <Stack gap={4}>
                <Text size="sm">{test.message}</Text>
                {test.serverAnswer ? (
                  <Text size="sm">
                    The server said: <Code>{test.serverAnswer}</Code>
                  </Text>
                ) : null}
              </Stack>
            </Alert>
          ) : null}
        </Stack>
      </Paper>
    </Stack>
  );
}

export function MailSettingsPanel() {
  const settings = useQuery('mail-settings-get', {});
  if (settings.error) return <ErrorAlert error={settings.error} />;
  if (!settings.data) return <Loading />;
  return <SmtpForm saved={settings.data} onSaved={settings.refresh} />;
}
