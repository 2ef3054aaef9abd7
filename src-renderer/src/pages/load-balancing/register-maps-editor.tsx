// The site's own Modbus register maps: a meter not shipped (register-maps.ts) is described here
// once, from its Modbus manual, then chosen for any meter of the site like a shipped one. Checked
// as the installer types (the core's validateRegisterMap); a map in use cannot be removed.
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { BalancingConfig } from '../../../../src-shared/balancing/config';
import {
  REGISTER_TYPES,
  type RegisterMap,
  type RegisterType,
} from '../../../../src-shared/balancing/register-maps';
import { PHASES } from '../../../../src-shared/balancing/model';
import { num, type Errors, type Update } from './model-fields';

/** A new map: an Eastron-like layout, so the installer edits rather than fills from nothing. */
export function newRegisterMap(taken: readonly string[]): RegisterMap {
  let n = taken.length + 1;
  while (taken.includes(`Custom meter ${n}`)) n += 1;
  return {
    label: `Custom meter ${n}`,
    functionCode: 4,
    type: 'float32',
    wordOrder: 'high-first',
    currentRegisters: [6, 8, 10],
    currentScale: 1,
    powerRegisters: null,
    powerScale: 1,
    defaultUnitId: 1,
  };
}

const TYPE_LABEL: Record<RegisterType, string> = {
  float32: 'Float, 32-bit',
  int32: 'Signed integer, 32-bit',
  uint32: 'Unsigned integer, 32-bit',
  int16: 'Signed integer, 16-bit',
  uint16: 'Unsigned integer, 16-bit',
};

type Triple = [number, number, number];

function Registers({
  name,
  values,
  onChange,
  error,
}: {
  name: string;
  values: Triple;
  onChange: (v: Triple) => void;
  error?: string;
}) {
  return (
    <Stack gap={2}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        {PHASES.map((p, k) => (
          <NumberInput
            key={p}
            label={`${name} ${p}`}
            hideControls
            allowDecimal={false}
            w={110}
            value={values[k]}
            onChange={(v) => onChange(values.map((x, j) => (j === k ? num(v) : x)) as Triple)}
            error={error ? true : undefined}
          />
        ))}
      </Group>
      {error ? (
        <Text size="xs" c="red">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}

export function RegisterMapsEditor({ c, set, e }: { c: BalancingConfig; set: Update; e: Errors }) {
  const maps = c.registerMaps ?? [];
  const usedBy = (label: string) =>
    c.loadSources.filter((l) => l.modbus?.model === 'custom' && l.modbus.map?.label === label)
      .length;
  // An edit reaches every meter that reads with the map (they hold a copy, matched by name).
  const edit = (i: number, patch: Partial<RegisterMap>) =>
    set((x) => {
      const list = x.registerMaps ?? [];
      const old = list[i];
      if (!old) return x;
      const map = { ...old, ...patch };
      return {
        ...x,
        registerMaps: list.map((m, j) => (j === i ? map : m)),
        loadSources: x.loadSources.map((l) =>
          l.modbus?.model === 'custom' && l.modbus.map?.label === old.label
            ? { ...l, modbus: { ...l.modbus, map } }
            : l,
        ),
      };
    });
  return (
    <Stack data-testid="register-maps">
      {maps.length === 0 ? (
        <Text size="sm" c="dimmed">
          The Eastron SDM630 and Carlo Gavazzi EM24 are built in. For another meter, add its
          register map from the meter’s Modbus manual, then choose it for the meter below.
        </Text>
      ) : null}
      {maps.map((m, i) => {
        const err = (k: string) => e[`registerMaps.${i}.${k}`];
        const uses = usedBy(m.label);
        return (
          <Paper key={i} withBorder p="sm" data-testid="register-map">
            <Group justify="space-between" align="flex-start" mb="xs">
              <TextInput
                label="Map name"
                aria-label={`Register map ${i + 1} name`}
                description="Shown in the meter list"
                value={m.label}
                onChange={(ev) => edit(i, { label: ev.currentTarget.value })}
                error={err('label')}
                w={260}
              />
              <Tooltip
                label={
                  uses > 0 ? 'A meter reads with this map: choose another map for it first' : null
                }
                disabled={uses === 0}
              >
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove register map ${m.label}`}
                  disabled={uses > 0}
                  onClick={() =>
                    set((x) => ({
                      ...x,
                      registerMaps: (x.registerMaps ?? []).filter((_, j) => j !== i),
                    }))
                  }
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 4 }} mb="xs">
              <Select
                label="Registers"
                description="Modbus function code"
                data={[
                  { value: '4', label: 'Input registers (04)' },
                  { value: '3', label: 'Holding registers (03)' },
                ]}
                value={String(m.functionCode)}
                onChange={(v) => edit(i, { functionCode: v === '3' ? 3 : 4 })}
                allowDeselect={false}
                error={err('functionCode')}
              />
              <Select
                label="Data type"
                description="32-bit values take two registers"
                data={REGISTER_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
                value={m.type}
                onChange={(v) => edit(i, { type: (v ?? 'float32') as RegisterType })}
                allowDeselect={false}
                error={err('type')}
              />
              <Select
                label="Word order"
                description="Of a 32-bit value"
                data={[
                  { value: 'high-first', label: 'High word first' },
                  { value: 'low-first', label: 'Low word first' },
                ]}
                value={m.wordOrder}
                onChange={(v) =>
                  edit(i, { wordOrder: v === 'low-first' ? 'low-first' : 'high-first' })
                }
                allowDeselect={false}
                disabled={m.type === 'int16' || m.type === 'uint16'}
                error={err('wordOrder')}
              />
              <NumberInput
                label="Factory unit id"
                description="As the meter leaves the factory"
                hideControls
                allowDecimal={false}
                value={m.defaultUnitId}
                onChange={(v) => edit(i, { defaultUnitId: num(v) })}
                error={err('defaultUnitId')}
              />
            </SimpleGrid>
            <Group align="flex-start" gap="lg">
              <Registers
                name="Current"
                values={m.currentRegisters}
                onChange={(currentRegisters) => edit(i, { currentRegisters })}
                error={err('currentRegisters')}
              />
              <NumberInput
                label="Amps = value ×"
                description="0.001 for milliamps"
                hideControls
                decimalScale={6}
                w={150}
                value={m.currentScale}
                onChange={(v) => edit(i, { currentScale: num(v) })}
                error={err('currentScale')}
              />
            </Group>
            <Checkbox
              mt="sm"
              label="The meter also gives active power per phase (shown, not used to share)"
              checked={m.powerRegisters !== null}
              onChange={(ev) =>
                edit(i, {
                  powerRegisters: ev.currentTarget.checked
                    ? (m.currentRegisters.map((r) => r + 6) as Triple)
                    : null,
                })
              }
            />
            {m.powerRegisters ? (
              <Group align="flex-start" gap="lg" mt="xs">
                <Registers
                  name="Power"
                  values={m.powerRegisters}
                  onChange={(powerRegisters) => edit(i, { powerRegisters })}
                  error={err('powerRegisters')}
                />
                <NumberInput
                  label="Watts = value ×"
                  hideControls
                  decimalScale={6}
                  w={150}
                  value={m.powerScale}
                  onChange={(v) => edit(i, { powerScale: num(v) })}
                  error={err('powerScale')}
                />
              </Group>
            ) : null}
            <Text size="xs" c="dimmed" mt="xs">
              Register numbers as sent on the wire, counted from 0: a manual’s 30007 (or 40007) is
              6. Check with “Test meter”: the amps shown should match the meter’s own display.
            </Text>
          </Paper>
        );
      })}
      <Group>
        <Button
          variant="light"
          leftSection={<IconPlus size={16} />}
          onClick={() =>
            set((x) => ({
              ...x,
              registerMaps: [
                ...(x.registerMaps ?? []),
                newRegisterMap((x.registerMaps ?? []).map((m) => m.label)),
              ],
            }))
          }
        >
          Add register map
        </Button>
      </Group>
    </Stack>
  );
}
