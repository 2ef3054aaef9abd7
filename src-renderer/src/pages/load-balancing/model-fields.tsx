// The parts of the model editor: supply and policy numbers, the circuit tree, each station's
// wiring, measured loads. Each input shows its field's error (checked as the user types with the
// same validateConfig the core runs on save). Measured loads: load-sources-table.tsx.
import {
  ActionIcon,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Table,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { BalancingConfig } from '../../../../src-shared/balancing/config';
import {
  PHASES,
  PRIORITIES,
  ROTATIONS,
  WIRINGS,
  type Phase,
  type Priority,
  type Rotation,
  type Wiring,
} from '../../../../src-shared/balancing/model';

export type Errors = Record<string, string>;
export const num = (v: string | number) => (typeof v === 'number' ? v : Number.NaN);

export type Update = (f: (c: BalancingConfig) => BalancingConfig) => void;

function Num({
  label,
  value,
  onChange,
  error,
  suffix,
  decimals = 1,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  error?: string;
  suffix?: string;
  decimals?: number;
}) {
  return (
    <NumberInput
      label={label}
      value={Number.isFinite(value) ? value : ''}
      onChange={(v) => onChange(num(v))}
      error={error}
      suffix={suffix}
      decimalScale={decimals}
      hideControls
    />
  );
}

export function SupplyFields({ c, set, e }: { c: BalancingConfig; set: Update; e: Errors }) {
  const supply = (k: keyof BalancingConfig['supply']) => (v: number) =>
    set((x) => ({ ...x, supply: { ...x.supply, [k]: v } }));
  const policy = (k: keyof BalancingConfig['policy']) => (v: number) =>
    set((x) => ({ ...x, policy: { ...x.policy, [k]: v } }));
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <Num
        label="Supply limit per phase"
        suffix=" A"
        value={c.supply.phaseLimitA}
        onChange={supply('phaseLimitA')}
        error={e['supply.phaseLimitA']}
      />
      <Select
        label="Phases"
        data={[
          { value: '3', label: 'Three-phase' },
          { value: '1', label: 'Single-phase' },
        ]}
        value={String(c.supply.phases)}
        onChange={(v) => set((x) => ({ ...x, supply: { ...x.supply, phases: v === '1' ? 1 : 3 } }))}
        allowDeselect={false}
        error={e['supply.phases']}
      />
      <Num
        label="Nominal voltage"
        suffix=" V"
        decimals={0}
        value={c.supply.nominalVoltageV}
        onChange={supply('nominalVoltageV')}
        error={e['supply.nominalVoltageV']}
      />
      <Num
        label="Share usable"
        suffix=" %"
        value={c.supply.usablePercent}
        onChange={supply('usablePercent')}
        error={e['supply.usablePercent']}
      />
      <Num
        label="Reserve per phase"
        suffix=" A"
        value={c.supply.reserveA}
        onChange={supply('reserveA')}
        error={e['supply.reserveA']}
      />
      <Num
        label="Building load assumed without a reading"
        suffix=" A"
        value={c.supply.assumedOtherLoadA}
        onChange={supply('assumedOtherLoadA')}
        error={e['supply.assumedOtherLoadA']}
      />
      <Num
        label="Minimum charging current"
        suffix=" A"
        value={c.policy.minCurrentA}
        onChange={policy('minCurrentA')}
        error={e['policy.minCurrentA']}
      />
      <Num
        label="Rotation period for paused cars"
        suffix=" min"
        decimals={0}
        value={c.policy.rotationPeriodS / 60}
        onChange={(v) => policy('rotationPeriodS')(v * 60)}
        error={e['policy.rotationPeriodS']}
      />
      <Num
        label="Hysteresis"
        suffix=" A"
        value={c.policy.hysteresisA}
        onChange={policy('hysteresisA')}
        error={e['policy.hysteresisA']}
      />
    </SimpleGrid>
  );
}

export function CircuitsTable({ c, set, e }: { c: BalancingConfig; set: Update; e: Errors }) {
  const edit = (i: number, patch: Partial<BalancingConfig['circuits'][number]>) =>
    set((x) => ({ ...x, circuits: x.circuits.map((y, j) => (j === i ? { ...y, ...patch } : y)) }));
  const add = () =>
    set((x) => {
      const n = x.circuits.length + 1;
      return {
        ...x,
        circuits: [
          ...x.circuits,
          {
            id: `DB-${n}`,
            name: `DB-${n}`,
            parentId: x.circuits[0]?.id ?? null,
            limitA: 32,
            phases: [...PHASES],
            assumedOtherLoadA: 0,
          },
        ],
      };
    });
  return (
    <>
      <Table withTableBorder data-testid="circuits">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Fed from</Table.Th>
            <Table.Th>Limit per phase</Table.Th>
            <Table.Th>Phases</Table.Th>
            <Table.Th>Other load assumed</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {c.circuits.map((x, i) => (
            <Table.Tr key={i}>
              <Table.Td>
                <TextInput
                  miw={170}
                  aria-label={`Circuit ${i + 1} name`}
                  value={x.name}
                  onChange={(ev) => {
                    const name = ev.currentTarget.value;
                    // The id follows the name until saved references it; kept unique by validation.
                    const id = name.trim() || x.id;
                    set((y) => ({
                      ...y,
                      circuits: y.circuits.map((z, j) =>
                        j === i
                          ? { ...z, name, id }
                          : z.parentId === x.id
                            ? { ...z, parentId: id }
                            : z,
                      ),
                      stations: y.stations.map((s) =>
                        s.circuitId === x.id ? { ...s, circuitId: id } : s,
                      ),
                      loadSources: y.loadSources.map((l) =>
                        l.target === x.id ? { ...l, target: id } : l,
                      ),
                    }));
                  }}
                  error={e[`circuits.${i}.name`] ?? e[`circuits.${i}.id`]}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`Circuit ${i + 1} fed from`}
                  miw={180}
                  data={[
                    { value: '', label: 'The supply' },
                    ...c.circuits
                      .filter((y) => y.id !== x.id)
                      .map((y) => ({ value: y.id, label: y.name })),
                  ]}
                  value={x.parentId ?? ''}
                  onChange={(v) => edit(i, { parentId: v ? v : null })}
                  allowDeselect={false}
                  error={e[`circuits.${i}.parentId`]}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`Circuit ${i + 1} limit`}
                  value={x.limitA}
                  onChange={(v) => edit(i, { limitA: num(v) })}
                  suffix=" A"
                  hideControls
                  error={e[`circuits.${i}.limitA`]}
                />
              </Table.Td>
              <Table.Td>
                <MultiSelect
                  miw={225}
                  aria-label={`Circuit ${i + 1} phases`}
                  data={[...PHASES]}
                  value={x.phases}
                  onChange={(v) => edit(i, { phases: v as Phase[] })}
                  error={e[`circuits.${i}.phases`]}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`Circuit ${i + 1} other load`}
                  value={x.assumedOtherLoadA}
                  onChange={(v) => edit(i, { assumedOtherLoadA: num(v) })}
                  suffix=" A"
                  hideControls
                  error={e[`circuits.${i}.assumedOtherLoadA`]}
                />
              </Table.Td>
              <Table.Td>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove circuit ${x.name}`}
                  onClick={() =>
                    set((y) => ({ ...y, circuits: y.circuits.filter((_, j) => j !== i) }))
                  }
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={add}>
          Add circuit
        </Button>
      </Group>
    </>
  );
}

const WIRING_LABEL: Record<Wiring, string> = {
  'three-phase': 'Three-phase',
  L1: 'Single-phase (its L1)',
  L2: 'Single-phase (its L2)',
  L3: 'Single-phase (its L3)',
};

export function StationsTable({
  c,
  set,
  e,
  stations,
}: {
  c: BalancingConfig;
  set: Update;
  e: Errors;
  stations: { id: number; name: string; maxCurrentA: number }[];
}) {
  const edit = (i: number, patch: Partial<BalancingConfig['stations'][number]>) =>
    set((x) => ({ ...x, stations: x.stations.map((y, j) => (j === i ? { ...y, ...patch } : y)) }));
  const name = new Map(stations.map((s) => [s.id, s]));
  const circuits = c.circuits.map((x) => ({ value: x.id, label: x.name }));
  return (
    <Table withTableBorder data-testid="wiring">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Station</Table.Th>
          <Table.Th>Circuit</Table.Th>
          <Table.Th>Wiring</Table.Th>
          <Table.Th>
            <Tooltip
              multiline
              w={280}
              label="Where the charger’s own L1, L2, L3 land on the building’s phases: L2-L3-L1 means its L1 is the building’s L2."
            >
              <span>Phase rotation ⓘ</span>
            </Tooltip>
          </Table.Th>
          <Table.Th>Priority</Table.Th>
          <Table.Th>Cap</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {c.stations.map((s, i) => {
          const st = name.get(s.stationId);
          const label = st ? `${st.name} (${st.maxCurrentA} A)` : `Station ${s.stationId}`;
          const err = (k: string) => e[`stations.${i}.${k}`];
          return (
            <Table.Tr key={s.stationId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{label}</Table.Td>
              <Table.Td>
                <Select
                  aria-label={`${st?.name ?? ''} circuit`}
                  miw={180}
                  data={circuits}
                  value={s.circuitId}
                  onChange={(v) => edit(i, { circuitId: v ?? '' })}
                  error={err('circuitId')}
                  allowDeselect={false}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`${st?.name ?? ''} wiring`}
                  miw={190}
                  data={WIRINGS.map((w) => ({ value: w, label: WIRING_LABEL[w] }))}
                  value={s.wiring}
                  onChange={(v) => edit(i, { wiring: (v ?? 'three-phase') as Wiring })}
                  error={err('wiring') ?? err('maxCurrentA')}
                  allowDeselect={false}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`${st?.name ?? ''} rotation`}
                  data={[...ROTATIONS]}
                  value={s.rotation}
                  onChange={(v) => edit(i, { rotation: (v ?? 'L1-L2-L3') as Rotation })}
                  error={err('rotation')}
                  allowDeselect={false}
                />
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`${st?.name ?? ''} priority`}
                  data={PRIORITIES.map((p) => ({
                    value: p,
                    label: p[0]?.toUpperCase() + p.slice(1),
                  }))}
                  value={s.priority}
                  onChange={(v) => edit(i, { priority: (v ?? 'normal') as Priority })}
                  allowDeselect={false}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  aria-label={`${st?.name ?? ''} cap`}
                  placeholder="None"
                  value={s.capA ?? ''}
                  onChange={(v) => edit(i, { capA: v === '' ? null : num(v) })}
                  suffix=" A"
                  hideControls
                  error={err('capA')}
                />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
