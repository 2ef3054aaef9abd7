// The measured loads of the model editor: the rest of the building's draw on the supply or a
// circuit, typed in or read from a Modbus TCP meter (its address, unit id, register map, timeout).
import { ActionIcon, Button, Group, NumberInput, Select, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { BalancingConfig, LoadSource } from '../../../../src-shared/balancing/config';
import { METER_MODELS } from '../../../../src-shared/balancing/config';
import { REGISTER_MAPS } from '../../../../src-shared/balancing/register-maps';
import { PHASES } from '../../../../src-shared/balancing/model';
import { num, type Errors, type Update } from './model-fields';

export function LoadSourcesTable({ c, set, e }: { c: BalancingConfig; set: Update; e: Errors }) {
  const edit = (i: number, patch: Partial<LoadSource>) =>
    set((x) => ({
      ...x,
      loadSources: x.loadSources.map((y, j) => (j === i ? { ...y, ...patch } : y)),
    }));
  const targets = [
    { value: 'supply', label: 'The supply' },
    ...c.circuits.map((x) => ({ value: x.id, label: x.name })),
  ];
  return (
    <>
      {c.loadSources.map((l, i) => {
        const err = (k: string) => e[`loadSources.${i}.${k}`];
        const m = l.modbus ?? {
          host: '',
          port: 502,
          unitId: 1,
          model: METER_MODELS[0],
          pollSeconds: 5,
          timeoutSeconds: 30,
        };
        return (
          <Group key={i} align="flex-start" data-testid="load-source">
            <Select
              aria-label="Measured on"
              label="Measured on"
              data={targets}
              value={l.target}
              onChange={(v) => edit(i, { target: v ?? 'supply' })}
              error={err('target')}
              allowDeselect={false}
              w={180}
            />
            <Select
              label="Source"
              data={[
                { value: 'typed', label: 'Typed in' },
                { value: 'modbus', label: 'Modbus TCP meter' },
              ]}
              value={l.kind}
              onChange={(v) =>
                edit(
                  i,
                  v === 'modbus'
                    ? { kind: 'modbus', typedA: null, modbus: m }
                    : { kind: 'typed', typedA: [0, 0, 0], modbus: null },
                )
              }
              allowDeselect={false}
              w={180}
            />
            {l.kind === 'typed' ? (
              PHASES.map((p, k) => (
                <NumberInput
                  key={p}
                  label={`${p}`}
                  suffix=" A"
                  hideControls
                  w={90}
                  value={l.typedA?.[k] ?? 0}
                  onChange={(v) =>
                    edit(i, {
                      typedA: (l.typedA ?? [0, 0, 0]).map((a, j) => (j === k ? num(v) : a)),
                    })
                  }
                  error={k === 0 ? err('typedA') : undefined}
                />
              ))
            ) : (
              <>
                <TextInput
                  label="Meter address"
                  value={m.host}
                  onChange={(ev) => edit(i, { modbus: { ...m, host: ev.currentTarget.value } })}
                  error={err('modbus.host')}
                  w={160}
                />
                <NumberInput
                  label="Port"
                  hideControls
                  w={90}
                  value={m.port}
                  onChange={(v) => edit(i, { modbus: { ...m, port: num(v) } })}
                  error={err('modbus.port')}
                />
                <NumberInput
                  label="Unit id"
                  hideControls
                  w={80}
                  value={m.unitId}
                  onChange={(v) => edit(i, { modbus: { ...m, unitId: num(v) } })}
                  error={err('modbus.unitId')}
                />
                <Select
                  label="Meter"
                  // A custom map has no form yet (the API takes it): listed only when in use.
                  data={METER_MODELS.filter((x) => x !== 'custom' || m.model === 'custom').map(
                    (x) => ({
                      value: x,
                      label: x === 'custom' ? 'Custom register map' : REGISTER_MAPS[x].label,
                    }),
                  )}
                  value={m.model}
                  onChange={(v) =>
                    edit(i, { modbus: { ...m, model: (v ?? METER_MODELS[0]) as typeof m.model } })
                  }
                  allowDeselect={false}
                  w={190}
                />
                <NumberInput
                  label="Quiet after"
                  suffix=" s"
                  hideControls
                  w={100}
                  value={m.timeoutSeconds}
                  onChange={(v) => edit(i, { modbus: { ...m, timeoutSeconds: num(v) } })}
                  error={err('modbus.timeoutSeconds')}
                />
              </>
            )}
            <ActionIcon
              mt={28}
              variant="subtle"
              color="red"
              aria-label="Remove measured load"
              onClick={() =>
                set((x) => ({ ...x, loadSources: x.loadSources.filter((_, j) => j !== i) }))
              }
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        );
      })}
      <Group>
        <Button
          variant="light"
          leftSection={<IconPlus size={16} />}
          onClick={() =>
            set((x) => ({
              ...x,
              loadSources: [
                ...x.loadSources,
                { target: 'supply', kind: 'typed', typedA: [0, 0, 0], modbus: null },
              ],
            }))
          }
        >
          Add measured load
        </Button>
      </Group>
    </>
  );
}
