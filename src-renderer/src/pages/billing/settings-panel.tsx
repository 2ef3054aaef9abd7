// A site's billing settings: cycle and due terms, the issuer (ABN checked by the core), invoice
// numbering, payment options and livery (colours, contact, footer, logo). "Sample invoice" renders
// a made-up invoice in the saved livery, the way owners will see it.
import {
  Alert,
  Button,
  Checkbox,
  ColorInput,
  FileButton,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  DEFAULT_BILLING_SETTINGS,
  LOGO_MAX_BYTES,
  numberFormatProblem,
  formatInvoiceNumber,
  type BillingSettings,
} from '../../../../src-shared/billing/settings';
import { isValidAbn } from '../../../../src-shared/validation';
import { formatMegabytes } from '../../../../src-shared/floor-plans';
import { useQuery } from '../../api/use-query';
import { ErrorAlert, Loading } from '../../components/common';
import { runAction } from '../../lib/actions';
import { readFileAsBase64 } from '../../lib/download';
import { savePdf } from './money';
import { formatAbn } from '../../../../src-shared/billing/invoice-document';
import { LiveryPreview } from './livery-preview';

type Loaded = NonNullable<ReturnType<typeof useQuery<'billing-settings-get'>>['data']>;

export function SettingsPanel({ siteId }: { siteId: number }) {
  const q = useQuery('billing-settings-get', { siteId });
  if (q.error) return <ErrorAlert error={q.error} />;
  if (q.loading || !q.data) return <Loading />;
  // Keyed by the saved settings: the form starts again from what the core stored.
  return (
    <SettingsForm
      key={JSON.stringify(q.data)}
      siteId={siteId}
      loaded={q.data}
      refresh={q.refresh}
    />
  );
}

function SettingsForm({
  siteId,
  loaded,
  refresh,
}: {
  siteId: number;
  loaded: Loaded;
  refresh: () => void;
}) {
  const q = { data: loaded, refresh };
  // The stored logo for the live preview, fetched once per logo (the form is keyed by the saved
  // settings, logo included, so a new logo fetches again).
  const stored = useQuery('billing-logo-get', { siteId }, { enabled: loaded.logo !== null });
  const logo = stored.data ? `data:${stored.data.contentType};base64,${stored.data.base64}` : null;
  // The ABN as people write it (51 824 753 556); the core stores the digits.
  const [s, setS] = useState<BillingSettings>(() => {
    const start = loaded.settings ?? DEFAULT_BILLING_SETTINGS;
    return start.issuerAbn ? { ...start, issuerAbn: formatAbn(start.issuerAbn) } : start;
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (patch: Partial<BillingSettings>) => setS((x) => ({ ...x, ...patch }));
  const text = (k: keyof BillingSettings) => ({
    value: (s[k] as string | null) ?? '',
    error: errors[k],
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set({
        [k]: e.currentTarget.value === '' ? null : e.currentTarget.value,
      } as Partial<BillingSettings>),
  });
  const abnWarning =
    s.issuerAbn && !isValidAbn(s.issuerAbn)
      ? 'This ABN does not pass the ATO checksum.'
      : undefined;
  const formatProblem = numberFormatProblem(s.numberFormat);

  const save = async () => {
    setErrors({});
    const r = await runAction(
      'billing-settings-update',
      { siteId, ...s, issuerName: s.issuerName ?? '', issuerAddress: s.issuerAddress ?? '' },
      {
        success: 'Billing settings saved',
        onError: (e) => {
          if (!e.fields) return false;
          setErrors(Object.fromEntries(e.fields.map((f) => [f.field, f.message])));
          return true;
        },
      },
    );
    if (r.ok) q.refresh();
  };

  return (
    <Stack maw={820}>
      <Title order={5}>Billing period</Title>
      <Group grow>
        <Select
          label="Cycle"
          data={[
            { value: 'monthly', label: 'Monthly' },
            { value: 'quarterly', label: 'Quarterly' },
          ]}
          value={s.cycle}
          onChange={(v) => set({ cycle: (v ?? 'monthly') as BillingSettings['cycle'] })}
          allowDeselect={false}
        />
        <NumberInput
          label="Period ends on day (0 = last day of the month)"
          value={s.periodEndDay}
          min={0}
          max={28}
          onChange={(v) => set({ periodEndDay: Number(v) || 0 })}
        />
        {s.cycle === 'quarterly' ? (
          <Select
            label="Quarters end in"
            data={[
              { value: '1', label: 'Jan, Apr, Jul, Oct' },
              { value: '2', label: 'Feb, May, Aug, Nov' },
              { value: '3', label: 'Mar, Jun, Sep, Dec' },
            ]}
            value={String(s.quarterEndMonth)}
            onChange={(v) => set({ quarterEndMonth: Number(v ?? 3) })}
            allowDeselect={false}
          />
        ) : null}
        <NumberInput
          label="Due after (days)"
          value={s.dueDays}
          min={0}
          max={120}
          onChange={(v) => set({ dueDays: Number(v) || 0 })}
        />
      </Group>
      <Title order={5}>Issuer</Title>
      <TextInput
        label="Name (strata company or owners corporation)"
        required
        {...text('issuerName')}
      />
      <Group grow>
        <TextInput label="ABN" {...text('issuerAbn')} error={errors.issuerAbn ?? abnWarning} />
        <Checkbox
          mt="lg"
          label="Registered for GST (tax invoices with a GST line)"
          checked={s.gstRegistered}
          onChange={(e) => set({ gstRegistered: e.currentTarget.checked })}
        />
      </Group>
      <Textarea label="Address" required autosize {...text('issuerAddress')} />
      <TextInput
        label="Invoice number format"
        description={`{seq:5} is the running number, {yyyy} the year. Next looks like ${formatInvoiceNumber(s.numberFormat, 1, new Date().getFullYear())}.`}
        value={s.numberFormat}
        onChange={(e) => set({ numberFormat: e.currentTarget.value })}
        error={errors.numberFormat ?? formatProblem ?? undefined}
      />
      <Title order={5}>Payment options shown on invoices</Title>
      <Group grow>
        <TextInput label="BSB" {...text('bsb')} />
        <TextInput label="Account number" {...text('bankAccountNumber')} />
        <TextInput label="Account name" {...text('bankAccountName')} />
      </Group>
      <Group grow>
        <TextInput
          label="BPAY biller code"
          description="With each account’s BPAY reference"
          {...text('bpayBillerCode')}
        />
        <Checkbox
          mt="lg"
          label="DEFT (each account’s DEFT reference)"
          checked={s.deftEnabled}
          onChange={(e) => set({ deftEnabled: e.currentTarget.checked })}
        />
        <Checkbox
          mt="lg"
          label="StrataPay"
          checked={s.strataPayEnabled}
          onChange={(e) => set({ strataPayEnabled: e.currentTarget.checked })}
        />
      </Group>
      <Title order={5}>Livery</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm">
          <Group grow>
            <ColorInput
              label="Brand colour"
              value={s.primaryColour}
              onChange={(v) => set({ primaryColour: v })}
              format="hex"
            />
            <ColorInput
              label="Accent colour"
              value={s.accentColour}
              onChange={(v) => set({ accentColour: v })}
              format="hex"
            />
          </Group>
          <Group grow>
            <TextInput label="Contact email" {...text('contactEmail')} />
            <TextInput label="Contact phone" {...text('contactPhone')} />
          </Group>
          <Textarea label="Footer text" autosize {...text('footerText')} />
          <Text size="sm" fw={500}>
            Logo
          </Text>
          <Text size="sm" c="dimmed">
            PNG, JPEG or SVG (plain shapes: no scripts, links or style sheets), at most{' '}
            {formatMegabytes(LOGO_MAX_BYTES)} and 2000 pixels a side.{' '}
            {q.data?.logo
              ? `Current logo: ${q.data.logo.contentType}, ${q.data.logo.size < 1024 ? `${q.data.logo.size} bytes` : `${Math.round(q.data.logo.size / 1024)} KB`}.`
              : q.data?.settings
                ? 'No logo yet.'
                : 'Save the settings first, then choose a logo.'}
          </Text>
          <Group>
            <FileButton
              accept="image/png,image/jpeg,image/svg+xml"
              onChange={async (f) => {
                if (!f) return;
                const base64 = await readFileAsBase64(f);
                const r = await runAction(
                  'billing-logo-set',
                  { siteId, base64 },
                  { success: 'Logo saved', failure: 'Logo not accepted' },
                );
                if (r.ok) q.refresh();
              }}
            >
              {(props) => (
                <Button variant="default" disabled={!q.data?.settings} {...props}>
                  Choose logo…
                </Button>
              )}
            </FileButton>
            {q.data?.logo ? (
              <Button
                variant="subtle"
                color="red"
                onClick={async () => {
                  const r = await runAction(
                    'billing-logo-set',
                    { siteId, base64: null },
                    { success: 'Logo removed' },
                  );
                  if (r.ok) q.refresh();
                }}
              >
                Remove logo
              </Button>
            ) : null}
          </Group>
        </Stack>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Live preview
          </Text>
          <LiveryPreview
            s={s}
            logo={logo ?? (loaded.logo !== null && stored.loading ? 'loading' : null)}
          />
          {stored.error ? <ErrorAlert error={stored.error} /> : null}
        </Stack>
      </SimpleGrid>
      {Object.keys(errors).length > 0 ? (
        <Alert color="red" title="Check the highlighted fields">
          {Object.values(errors).join(' ')}
        </Alert>
      ) : null}
      <Group>
        <Button onClick={() => void save()}>Save settings</Button>
        <Button
          variant="default"
          disabled={!q.data?.settings}
          onClick={async () => {
            const r = await runAction('invoice-sample-pdf', { siteId });
            if (r.ok) savePdf(r.value.fileName, r.value.base64);
          }}
        >
          Sample invoice (PDF)
        </Button>
      </Group>
    </Stack>
  );
}
