// The tariff form: name, in effect from, prices inc or ex GST, energy priced flat per kWh or by
// time-of-use bands, an optional idle fee and monthly fee. Prices are typed in cents (32.5) and
// sent in thousandths of a cent; the same validateTariff as the core runs before sending, so
// overlaps and gaps are named by day and time as the manager types.
import {
  Button,
  Checkbox,
  Chip,
  Group,
  List,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Alert,
  ActionIcon,
} from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import {
  DAYS,
  validateTariff,
  type Band,
  type Day,
  type Tariff,
  type TariffComponent,
} from '../../../../src-shared/billing/tariff';
import { runAction } from '../../lib/actions';
import { AuDateInput } from './au-date-input';
import { todayIso } from './money';

const DAY_SHORT: Record<Day, string> = {
  mon: 'Mo',
  tue: 'Tu',
  wed: 'We',
  thu: 'Th',
  fri: 'Fr',
  sat: 'Sa',
  sun: 'Su',
};
const WEEKDAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

interface FormBand {
  name: string;
  days: Day[];
  from: string;
  to: string;
  cents: number;
}

const DEFAULT_BANDS: FormBand[] = [
  { name: 'Peak', days: WEEKDAYS, from: '07:00', to: '22:00', cents: 45 },
  { name: 'Off-peak', days: [...DAYS], from: '22:00', to: '07:00', cents: 22 },
  { name: 'Weekend', days: ['sat', 'sun'], from: '07:00', to: '22:00', cents: 22 },
];

const mc = (cents: number) => Math.round(cents * 1000);

function fromTariff(t: Tariff | null) {
  const energy = t?.components.find((c) => c.kind === 'perKwh' || c.kind === 'timeOfUse');
  const idle = t?.components.find((c) => c.kind === 'perMinute' && c.basis === 'idle');
  const fee = t?.components.find((c) => c.kind === 'monthlyFee');
  return {
    name: t?.name ?? '',
    incGst: t?.pricesIncludeGst ?? true,
    mode: (energy?.kind === 'timeOfUse'
      ? 'tou'
      : t?.components.some((c) => c.kind === 'free')
        ? 'free'
        : 'flat') as 'flat' | 'tou' | 'free',
    flatCents: energy?.kind === 'perKwh' ? energy.millicentsPerKwh / 1000 : 35,
    bands:
      energy?.kind === 'timeOfUse'
        ? energy.bands.map((b) => ({ ...b, cents: b.millicentsPerKwh / 1000 }))
        : DEFAULT_BANDS,
    idleCents: idle?.kind === 'perMinute' ? idle.millicentsPerMinute / 1000 : 0,
    idleGrace: idle?.kind === 'perMinute' ? idle.graceMinutes : 15,
    feeDollars: fee?.kind === 'monthlyFee' ? fee.cents / 100 : 0,
  };
}

export function TariffForm({
  siteId,
  tariffId,
  initial,
  onClose,
}: {
  siteId: number;
  /** Set: adds a version to this tariff. */
  tariffId: number | null;
  initial: Tariff | null;
  onClose: (saved: boolean) => void;
}) {
  const [f, setF] = useState(() => fromTariff(initial));
  const [effectiveFrom, setEffectiveFrom] = useState(todayIso());
  const [serverError, setServerError] = useState<string | null>(null);
  const set = (patch: Partial<typeof f>) => setF((x) => ({ ...x, ...patch }));
  const setBand = (i: number, patch: Partial<FormBand>) =>
    set({ bands: f.bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });

  const components: TariffComponent[] = [];
  if (f.mode === 'free') components.push({ kind: 'free' });
  else {
    if (f.mode === 'flat') components.push({ kind: 'perKwh', millicentsPerKwh: mc(f.flatCents) });
    else
      components.push({
        kind: 'timeOfUse',
        bands: f.bands.map((b): Band => ({
          name: b.name,
          days: b.days,
          from: b.from,
          to: b.to,
          millicentsPerKwh: mc(b.cents),
        })),
        holidays: [],
        holidayAs: 'sun',
      });
    if (f.idleCents > 0)
      components.push({
        kind: 'perMinute',
        basis: 'idle',
        millicentsPerMinute: mc(f.idleCents),
        graceMinutes: f.idleGrace,
      });
    if (f.feeDollars > 0)
      components.push({
        kind: 'monthlyFee',
        cents: Math.round(f.feeDollars * 100),
        per: 'account',
      });
  }
  const tariff: Tariff = { name: f.name, pricesIncludeGst: f.incGst, components };
  const problems = validateTariff(tariff);

  const save = async () => {
    setServerError(null);
    const r =
      tariffId === null
        ? await runAction(
            'tariff-create',
            { siteId, effectiveFrom, tariff },
            {
              success: 'Tariff saved',
              onError: (e) => (setServerError(e.message), true),
            },
          )
        : await runAction(
            'tariff-version-add',
            { tariffId, effectiveFrom, tariff },
            {
              success: 'New prices saved',
              onError: (e) => (setServerError(e.message), true),
            },
          );
    if (r.ok) onClose(true);
  };

  return (
    <Modal
      opened
      onClose={() => onClose(false)}
      title={tariffId === null ? 'New tariff' : 'Change prices'}
      size="xl"
    >
      <Stack>
        <Group grow>
          <TextInput
            label="Name"
            required
            value={f.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
          />
          <AuDateInput
            label="In effect from"
            description="dd/mm/yyyy, in the site's time zone; earlier sessions keep their prices"
            value={effectiveFrom}
            onChange={setEffectiveFrom}
          />
        </Group>
        <Checkbox
          label="Prices include GST"
          checked={f.incGst}
          onChange={(e) => set({ incGst: e.currentTarget.checked })}
        />
        <SegmentedControl
          value={f.mode}
          onChange={(v) => set({ mode: v as typeof f.mode })}
          data={[
            { value: 'flat', label: 'Per kWh' },
            { value: 'tou', label: 'Time of use' },
            { value: 'free', label: 'Free' },
          ]}
        />
        {f.mode === 'flat' ? (
          <NumberInput
            label="Price per kWh (cents)"
            value={f.flatCents}
            decimalScale={3}
            min={0}
            onChange={(v) => set({ flatCents: Number(v) || 0 })}
            w={220}
          />
        ) : null}
        {f.mode === 'tou' ? (
          <Stack gap="xs">
            <Table aria-label="Time-of-use bands">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Band</Table.Th>
                  <Table.Th>Days</Table.Th>
                  <Table.Th>From</Table.Th>
                  <Table.Th>To</Table.Th>
                  <Table.Th>c/kWh</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {f.bands.map((b, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <TextInput
                        aria-label={`Band ${i + 1} name`}
                        value={b.name}
                        onChange={(e) => setBand(i, { name: e.currentTarget.value })}
                        w={110}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Chip.Group
                        multiple
                        value={b.days}
                        onChange={(v) => setBand(i, { days: v as Day[] })}
                      >
                        <Group gap={2}>
                          {DAYS.map((d) => (
                            <Chip key={d} value={d} size="xs">
                              {DAY_SHORT[d]}
                            </Chip>
                          ))}
                        </Group>
                      </Chip.Group>
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={`Band ${i + 1} from`}
                        value={b.from}
                        onChange={(e) => setBand(i, { from: e.currentTarget.value })}
                        w={70}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        aria-label={`Band ${i + 1} to`}
                        value={b.to}
                        onChange={(e) => setBand(i, { to: e.currentTarget.value })}
                        w={70}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`Band ${i + 1} price`}
                        value={b.cents}
                        decimalScale={3}
                        min={0}
                        onChange={(v) => setBand(i, { cents: Number(v) || 0 })}
                        w={90}
                      />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove band ${i + 1}`}
                        onClick={() => set({ bands: f.bands.filter((_, j) => j !== i) })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Button
              variant="light"
              w={160}
              onClick={() =>
                set({
                  bands: [
                    ...f.bands,
                    { name: 'Shoulder', days: WEEKDAYS, from: '', to: '', cents: 30 },
                  ],
                })
              }
            >
              Add band
            </Button>
            <Text size="xs" c="dimmed">
              A band whose end is before its start wraps midnight (22:00–07:00). Public holidays
              (Settings) are priced as Sunday.
            </Text>
          </Stack>
        ) : null}
        {f.mode !== 'free' ? (
          <Group grow>
            <NumberInput
              label="Idle fee after charging (cents per minute, 0 = none)"
              value={f.idleCents}
              decimalScale={3}
              min={0}
              onChange={(v) => set({ idleCents: Number(v) || 0 })}
            />
            <NumberInput
              label="Idle grace (minutes)"
              value={f.idleGrace}
              min={0}
              max={1440}
              onChange={(v) => set({ idleGrace: Number(v) || 0 })}
            />
            <NumberInput
              label="Monthly fee per account ($, 0 = none)"
              value={f.feeDollars}
              decimalScale={2}
              min={0}
              onChange={(v) => set({ feeDollars: Number(v) || 0 })}
            />
          </Group>
        ) : null}
        {problems.length > 0 ? (
          <Alert color="red" title="Fix these before saving" data-testid="tariff-problems">
            <List size="sm">
              {problems.map((p, i) => (
                <List.Item key={i}>{p.message}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        {serverError ? <Alert color="red">{serverError}</Alert> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onClose(false)}>
            Cancel
          </Button>
          <Button onClick={() => void save()} disabled={problems.length > 0}>
            Save tariff
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
