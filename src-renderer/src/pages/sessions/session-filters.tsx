// The sessions page's filters: one per column people ask about (site, card, resident, lot, dates,
// energy, duration, occupied after charging, stop reason, status, flags), and the sort. Text is
// debounced by the page; dates are the browser's local days.
import { Group, NumberInput, SegmentedControl, Select, TextInput } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import 'dayjs/locale/en-au';
import { IconSearch } from '@tabler/icons-react';
import {
  SESSION_SORT_LABELS,
  SESSION_SORTS,
  type SessionSort,
} from '../../../../src-shared/api/methods/sessions';

export interface FilterForm {
  siteId: string | null;
  card: string;
  resident: string;
  lot: string;
  /** Started between these local days (YYYY-MM-DD, both included); '' = open. */
  from: string;
  to: string;
  minKwh: string | number;
  minIdleMin: string | number;
  stopReason: string | null;
  status: string | null;
  flag: string | null;
  sort: SessionSort;
  dir: 'asc' | 'desc';
}

export const EMPTY_FILTERS: FilterForm = {
  siteId: null,
  card: '',
  resident: '',
  lot: '',
  from: '',
  to: '',
  minKwh: '',
  minIdleMin: '',
  stopReason: null,
  status: null,
  flag: null,
  sort: 'started',
  dir: 'desc',
};

const STOP_REASONS = [
  'EVDisconnected',
  'Local',
  'Remote',
  'EmergencyStop',
  'HardReset',
  'SoftReset',
  'PowerLoss',
  'Reboot',
  'DeAuthorized',
  'UnlockCommand',
  'Other',
];

const FLAGS = [
  { value: 'open', label: 'Waiting for review' },
  { value: 'resolved', label: 'Reviewed' },
  { value: 'any', label: 'Flagged (any)' },
  { value: 'none', label: 'Not flagged' },
];

const isSort = (v: string | null): v is SessionSort => SESSION_SORTS.some((s) => s === v);

export function SessionFilters({
  form,
  onChange,
  sites,
}: {
  form: FilterForm;
  onChange: (patch: Partial<FilterForm>) => void;
  sites: { id: number; name: string }[];
}) {
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      {sites.length > 1 ? (
        <Select
          label="Site"
          placeholder="All sites"
          clearable
          w={180}
          data={sites.map((s) => ({ value: String(s.id), label: s.name }))}
          value={form.siteId}
          onChange={(v) => onChange({ siteId: v })}
        />
      ) : null}
      <TextInput
        label="Card"
        placeholder="Number or label"
        leftSection={<IconSearch size={14} />}
        w={160}
        value={form.card}
        onChange={(e) => onChange({ card: e.currentTarget.value })}
      />
      <TextInput
        label="Resident"
        placeholder="Name"
        w={150}
        value={form.resident}
        onChange={(e) => onChange({ resident: e.currentTarget.value })}
      />
      <TextInput
        label="Lot or unit"
        w={100}
        value={form.lot}
        onChange={(e) => onChange({ lot: e.currentTarget.value })}
      />
      <DatesProvider settings={{ locale: 'en-au', firstDayOfWeek: 1 }}>
        <DatePickerInput
          type="range"
          label="Started between"
          placeholder="Any day"
          clearable
          allowSingleDateInRange
          valueFormat="DD/MM/YYYY"
          w={230}
          value={[form.from || null, form.to || null]}
          onChange={([from, to]) => onChange({ from: from ?? '', to: to ?? '' })}
        />
      </DatesProvider>
      <NumberInput
        label="At least (kWh)"
        min={0}
        w={120}
        value={form.minKwh}
        onChange={(v) => onChange({ minKwh: v })}
      />
      <NumberInput
        label="Occupied after ≥ (min)"
        min={0}
        w={190}
        value={form.minIdleMin}
        onChange={(v) => onChange({ minIdleMin: v })}
      />
      <Select
        label="Stop reason"
        placeholder="Any"
        clearable
        w={160}
        data={STOP_REASONS}
        value={form.stopReason}
        onChange={(v) => onChange({ stopReason: v })}
      />
      <Select
        label="Status"
        placeholder="Any"
        clearable
        w={130}
        data={[
          { value: 'active', label: 'Charging' },
          { value: 'completed', label: 'Completed' },
        ]}
        value={form.status}
        onChange={(v) => onChange({ status: v })}
      />
      <Select
        label="Flags"
        placeholder="Any"
        clearable
        w={170}
        data={FLAGS}
        value={form.flag}
        onChange={(v) => onChange({ flag: v })}
      />
      <Select
        label="Sort by"
        w={160}
        data={SESSION_SORTS.map((s) => ({ value: s, label: SESSION_SORT_LABELS[s] }))}
        value={form.sort}
        allowDeselect={false}
        onChange={(v) => onChange({ sort: isSort(v) ? v : 'started' })}
      />
      <SegmentedControl
        aria-label="Sort direction"
        data={[
          { value: 'desc', label: 'Highest / newest first' },
          { value: 'asc', label: 'Lowest / oldest first' },
        ]}
        value={form.dir}
        onChange={(v) => onChange({ dir: v === 'asc' ? 'asc' : 'desc' })}
      />
    </Group>
  );
}
