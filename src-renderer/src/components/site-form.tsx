// Site fields, shared by "Add site", the site page's details form and the first-run setup.
import {
  Button,
  Grid,
  Group,
  NumberInput,
  Select,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import type { Site } from '../../../src-shared/model';
import { strataPlanLabel } from '../../../src-shared/validation';
import type { ApiError } from '../../../src-shared/api/result';
import { timeZoneOptions } from '../lib/time-zones';
import { applyFieldErrors } from '../lib/errors';

export interface SiteValues {
  name: string;
  strataPlan: string;
  address: string;
  timeZone: string;
  latitude: number | string;
  longitude: number | string;
}

export const siteValues = (site: Site | null, defaultTimeZone: string): SiteValues => ({
  name: site?.name ?? '',
  strataPlan: strataPlanLabel(site?.strataPlan) ?? '',
  address: site?.address ?? '',
  timeZone: site?.timeZone ?? defaultTimeZone,
  latitude: site?.latitude ?? '',
  longitude: site?.longitude ?? '',
});

const numOrNull = (v: number | string | null | undefined): number | null =>
  v === '' || v == null ? null : typeof v === 'number' ? v : Number(v);

export const siteInput = (v: SiteValues) => ({
  name: v.name,
  strataPlan: v.strataPlan,
  address: v.address,
  timeZone: v.timeZone,
  latitude: numOrNull(v.latitude),
  longitude: numOrNull(v.longitude),
});

/**
 * The site inputs, for this form and the first-run setup (whose form nests them under `site.`).
 * `guided` adds the first-run hints: placeholders and the time-zone note.
 */
export function SiteFields({
  inputProps,
  timeZone,
  readOnly,
  guided,
}: {
  inputProps: (field: keyof SiteValues) => object;
  /** The time zone the options list starts from (the current or default one). */
  timeZone: string;
  readOnly?: boolean;
  guided?: boolean;
}) {
  return (
    <>
      <Grid>
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <TextInput
            label="Site name"
            required
            readOnly={readOnly}
            placeholder={guided ? 'e.g. Harbour View Apartments' : undefined}
            {...inputProps('name')}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <TextInput
            label="Strata plan no."
            readOnly={readOnly}
            placeholder={guided ? 'e.g. SP 12345' : undefined}
            {...inputProps('strataPlan')}
          />
        </Grid.Col>
      </Grid>
      <Textarea
        label="Address"
        autosize
        minRows={2}
        readOnly={readOnly}
        {...inputProps('address')}
      />
      <Select
        label="Time zone"
        description={
          guided ? 'Billing periods and tariffs follow the building’s local time.' : undefined
        }
        searchable
        allowDeselect={false}
        readOnly={readOnly}
        data={timeZoneOptions(timeZone)}
        {...inputProps('timeZone')}
      />
      <Grid>
        <Grid.Col span={6}>
          <NumberInput
            label={guided ? 'Latitude (optional)' : 'Latitude'}
            decimalScale={6}
            // Out of range is reported (the contract's message), never silently changed.
            clampBehavior="none"
            hideControls
            readOnly={readOnly}
            {...inputProps('latitude')}
          />
        </Grid.Col>
        <Grid.Col span={6}>
          <NumberInput
            label={guided ? 'Longitude (optional)' : 'Longitude'}
            decimalScale={6}
            clampBehavior="none"
            hideControls
            readOnly={readOnly}
            {...inputProps('longitude')}
          />
        </Grid.Col>
      </Grid>
    </>
  );
}

/** Returns an ApiError to show elsewhere, or null when handled (success or a field error). */
export type SiteSubmit = (values: SiteValues) => Promise<ApiError | null>;

export function SiteForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  readOnly,
}: {
  initial: SiteValues;
  submitLabel: string;
  onSubmit: SiteSubmit;
  onCancel?: () => void;
  readOnly?: boolean;
}) {
  const form = useForm({ initialValues: initial });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        const error = await onSubmit(values);
        if (error) applyFieldErrors(form, error);
        else form.resetDirty(values);
      })}
    >
      <Stack>
        <SiteFields
          inputProps={(field) => form.getInputProps(field)}
          timeZone={initial.timeZone}
          readOnly={readOnly}
        />
        {readOnly ? null : (
          <Group justify="flex-end">
            {onCancel ? (
              <Button variant="default" onClick={onCancel}>
                Cancel
              </Button>
            ) : null}
            <Button type="submit" loading={form.submitting}>
              {submitLabel}
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}
