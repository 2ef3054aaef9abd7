// First-run setup: the first administrator, the strata company and its first building. The form
// values mirror the `setup-complete` input so an API field path ("organisation.abn") lands on the
// input of the same path. Each step is checked with the contract's own schema and messages before
// Next, every error of the step at once (it used to advance, and Finish found one per round trip).
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
import { isValidAbn, browserTimeZone } from '../../../src-shared/validation';
import { contract, type MethodInput } from '../../../src-shared/api/contract';
import { fieldErrors } from '../../../src-shared/validation-messages';
import { api } from '../api/client';
import { useSession } from '../app/session';
import { applyFieldErrors, describeError, fieldErrorsOf } from '../lib/errors';
import { SiteFields, siteInput, siteValues, type SiteValues } from '../components/site-form';
import { ThemeToggle } from '../app/shell';

/** Which step shows a field: the first path segment ("organisation.abn" → 1). */
const STEP_OF: Record<string, number> = { admin: 0, confirm: 0, organisation: 1, site: 2 };
const LAST_STEP = 2;
const stepOf = (path: string) => STEP_OF[path.split('.')[0] ?? ''] ?? 0;

export function abnHint(v: string): string | null {
  if (!v.trim()) return null;
  const digits = v.replace(/\s+/g, '');
  if (!/^\d{11}$/.test(digits)) return 'An ABN has 11 digits, e.g. 51 824 753 556';
  return isValidAbn(digits) ? null : 'This ABN fails the ATO checksum — check for a mistyped digit';
}

interface SetupValues {
  admin: { name: string; email: string; password: string };
  confirm: string;
  organisation: { name: string; abn: string; email: string; phone: string; address: string };
  site: SiteValues;
}

const toInput = (v: SetupValues): MethodInput<'setup-complete'> => ({
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

/**
 * Every problem with the form, keyed by form path: the contract's own schema and messages (what
 * the core would answer), plus the password confirmation the core never sees.
 */
function problems(values: SetupValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const input = toInput(values);
  const parsed = contract['setup-complete'].input.safeParse(input);
  if (!parsed.success) {
    for (const f of fieldErrors(parsed.error, input)) errors[f.field] = f.message;
  }
  if (values.confirm !== values.admin.password) errors.confirm = 'The passwords do not match.';
  return errors;
}

export function SetupPage({ defaultTimeZone }: { defaultTimeZone: string }) {
  const { reload } = useSession();
  const [step, setStep] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SetupValues>({
    initialValues: {
      admin: { name: '', email: '', password: '' },
      confirm: '',
      organisation: { name: '', abn: '', email: '', phone: '', address: '' },
      // The person setting up sits in the building's time zone far more often than the server
      // (a UTC box in a comms room): start from the browser's.
      site: siteValues(null, browserTimeZone(defaultTimeZone)),
    },
    validateInputOnBlur: ['organisation.abn', 'confirm'],
    validate: (values) => {
      const errors = problems(values);
      const hint = abnHint(values.organisation.abn);
      if (hint) errors['organisation.abn'] = hint;
      return errors;
    },
  });

  /** Shows every error of the current step at once; advances only when there is none. */
  const next = () => {
    const { errors } = form.validate();
    const here = Object.fromEntries(
      Object.entries(errors).filter(([path]) => stepOf(path) === step),
    );
    form.setErrors(here);
    if (Object.keys(here).length === 0) setStep((s) => Math.min(LAST_STEP, s + 1));
  };

  /** Back to the first step with an error (the others keep theirs for when they are reached). */
  const showFirstStepWithErrors = (paths: string[]) => {
    if (paths.length > 0) setStep(Math.min(...paths.map(stepOf)));
  };

  const submit = form.onSubmit(
    async (v) => {
      setError(null);
      const result = await api.call('setup-complete', toInput(v));
      if (result.ok) {
        await reload();
        return;
      }
      if (applyFieldErrors(form, result.error)) {
        showFirstStepWithErrors(fieldErrorsOf(result.error).map((f) => f.field));
      } else setError(describeError(result.error));
    },
    (errors) => showFirstStepWithErrors(Object.keys(errors)),
  );

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
                    timeZone={form.values.site.timeZone}
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
              {step < LAST_STEP ? (
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
