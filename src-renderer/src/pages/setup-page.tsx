// First-run setup: the first administrator, the strata company and its first building. The form
// values mirror the `setup-complete` input so an API `error.field` ("organisation.abn") lands on
// the input of the same path.
import { useState } from 'react';
import {
  Alert,
  Button,
  Center,
  Grid,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Stepper,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconBolt } from '@tabler/icons-react';
import { isValidAbn } from '../../../src-shared/validation';
import { api } from '../api/client';
import { useSession } from '../app/session';
import { describeError, fieldMessage, fieldPath } from '../lib/errors';
import { SiteFields, siteInput, siteValues } from '../components/site-form';
import { ThemeToggle } from '../app/shell';

const STEP_OF: Record<string, number> = { admin: 0, confirm: 0, organisation: 1, site: 2 };

export function abnHint(v: string): string | null {
  if (!v.trim()) return null;
  const digits = v.replace(/\s+/g, '');
  if (!/^\d{11}$/.test(digits)) return 'An ABN has 11 digits, e.g. 51 824 753 556';
  return isValidAbn(digits) ? null : 'This ABN fails the ATO checksum — check for a mistyped digit';
}

export function SetupPage({ defaultTimeZone }: { defaultTimeZone: string }) {
  const { reload } = useSession();
  const [step, setStep] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      admin: { name: '', email: '', password: '' },
      confirm: '',
      organisation: { name: '', abn: '', email: '', phone: '', address: '' },
      site: siteValues(null, defaultTimeZone),
    },
    validateInputOnBlur: ['organisation.abn', 'confirm'],
    validate: {
      confirm: (v, values) => (v === values.admin.password ? null : 'The passwords do not match'),
      organisation: { abn: abnHint },
    },
  });

  const stepFields: string[][] = [
    ['admin.name', 'admin.email', 'admin.password', 'confirm'],
    [
      'organisation.name',
      'organisation.abn',
      'organisation.email',
      'organisation.phone',
      'organisation.address',
    ],
    [],
  ];
  const next = () => {
    const bad = (stepFields[step] ?? []).some((f) => form.validateField(f).hasError);
    if (!bad) setStep((s) => Math.min(2, s + 1));
  };

  const submit = form.onSubmit(async (v) => {
    setError(null);
    const result = await api.call('setup-complete', {
      admin: v.admin,
      organisation: {
        name: v.organisation.name,
        abn: v.organisation.abn.trim() || null,
        email: v.organisation.email.trim() || null,
        phone: v.organisation.phone,
        address: v.organisation.address,
      },
      site: siteInput(v.site),
    });
    if (result.ok) {
      await reload();
      return;
    }
    const path = fieldPath(result.error);
    if (path) {
      form.setFieldError(path, fieldMessage(result.error));
      setStep(STEP_OF[path.split('.')[0] ?? ''] ?? 0);
    } else setError(describeError(result.error));
  });

  return (
    <Center mih="100vh" p="md" style={{ position: 'relative' }}>
      <div style={{ position: 'absolute', top: 16, right: 16 }}>
        <ThemeToggle />
      </div>
      <Paper withBorder shadow="sm" p="xl" radius="md" w={720} maw="100%">
        <form onSubmit={submit} noValidate aria-label="First-run setup">
          <Stack>
            <Group gap={6}>
              <IconBolt size={26} color="var(--mantine-color-teal-6)" />
              <Title order={2}>Welcome to StrataCharge</Title>
            </Group>
            <Text c="dimmed" size="sm">
              Three short steps: your administrator account, the strata company, and the first
              building. You can change all of it later in Settings.
            </Text>
            {error ? (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            ) : null}
            <Stepper active={step} onStepClick={setStep} allowNextStepsSelect={false} size="sm">
              <Stepper.Step label="Administrator" description="Your login">
                <Stack mt="md">
                  <TextInput label="Your name" required {...form.getInputProps('admin.name')} />
                  <TextInput
                    label="Email"
                    type="email"
                    required
                    autoComplete="username"
                    {...form.getInputProps('admin.email')}
                  />
                  <PasswordInput
                    label="Password"
                    description="At least 10 characters; a few unrelated words make a strong passphrase."
                    required
                    autoComplete="new-password"
                    {...form.getInputProps('admin.password')}
                  />
                  <PasswordInput
                    label="Confirm password"
                    required
                    autoComplete="new-password"
                    {...form.getInputProps('confirm')}
                  />
                </Stack>
              </Stepper.Step>
              <Stepper.Step label="Organisation" description="Strata company">
                <Stack mt="md">
                  <TextInput
                    label="Organisation name"
                    required
                    {...form.getInputProps('organisation.name')}
                  />
                  <TextInput
                    label="ABN"
                    description="11 digits; checked against the ATO checksum (optional)"
                    placeholder="51 824 753 556"
                    {...form.getInputProps('organisation.abn')}
                  />
                  <Grid>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <TextInput
                        label="Email"
                        type="email"
                        {...form.getInputProps('organisation.email')}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <TextInput
                        label="Phone"
                        placeholder="02 9123 4567"
                        {...form.getInputProps('organisation.phone')}
                      />
                    </Grid.Col>
                  </Grid>
                  <Textarea
                    label="Address"
                    autosize
                    minRows={2}
                    {...form.getInputProps('organisation.address')}
                  />
                </Stack>
              </Stepper.Step>
              <Stepper.Step label="First site" description="The building">
                <Stack mt="md">
                  <SiteFields
                    inputProps={(field) => form.getInputProps(`site.${field}`)}
                    timeZone={defaultTimeZone}
                    guided
                  />
                </Stack>
              </Stepper.Step>
            </Stepper>
            <Group justify="space-between">
              <Button
                variant="default"
                disabled={step === 0}
                onClick={() => setStep((s) => Math.max(0, s - 1))}
              >
                Back
              </Button>
              {step < 2 ? (
                // Distinct keys: otherwise React turns this very button into the submit button
                // during the click, and the browser then submits the half-filled form.
                <Button key="next" onClick={next}>
                  Next
                </Button>
              ) : (
                <Button key="finish" type="submit" loading={form.submitting}>
                  Finish setup
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
