// Site fields, shared by "Add site" and the site page's details form.
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
import type { ApiError } from '../../../src-shared/api/result';
import { timeZoneOptions } from '../lib/time-zones';
import { fieldPath, fieldMessage } from '../lib/errors';

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
  strataPlan: site?.strataPlan ?? '',
  address: site?.address ?? '',
  timeZone: site?.timeZone ?? defaultTimeZone,
  latitude: site?.latitude ?? '',
  longitude: site?.longitude ?? '',
});

const numOrNull = (v: number | string): number | null =>
  v === '' ? null : typeof v === 'number' ? v : Number(v);

export const siteInput = (v: SiteValues) => ({
  name: v.name,
  strataPlan: v.strataPlan,
  address: v.address,
  timeZone: v.timeZone,
  latitude: numOrNull(v.latitude),
  longitude: numOrNull(v.longitude),
});

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
        const path = error ? fieldPath(error) : null;
        if (error && path) form.setFieldError(path, fieldMessage(error));
        else if (!error) form.resetDirty(values);
      })}
    >
      <Stack>
        <Grid>
          <Grid.Col span={{ base: 12, sm: 8 }}>
            <TextInput
              label="Site name"
              required
              readOnly={readOnly}
              {...form.getInputProps('name')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <TextInput
              label="Strata plan no."
              readOnly={readOnly}
              {...form.getInputProps('strataPlan')}
            />
          </Grid.Col>
        </Grid>
        <Textarea
          label="Address"
          autosize
          minRows={2}
          readOnly={readOnly}
          {...form.getInputProps('address')}
        />
        <Select
          label="Time zone"
          searchable
          allowDeselect={false}
          readOnly={readOnly}
          data={timeZoneOptions(initial.timeZone)}
          {...form.getInputProps('timeZone')}
        />
        <Grid>
          <Grid.Col span={6}>
            <NumberInput
              label="Latitude"
              decimalScale={6}
              hideControls
              readOnly={readOnly}
              {...form.getInputProps('latitude')}
            />
          </Grid.Col>
          <Grid.Col span={6}>
            <NumberInput
              label="Longitude"
              decimalScale={6}
              hideControls
              readOnly={readOnly}
              {...form.getInputProps('longitude')}
            />
          </Grid.Col>
        </Grid>
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
