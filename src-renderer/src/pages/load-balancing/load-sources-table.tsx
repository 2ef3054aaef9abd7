// The measured loads of the model editor: the rest of the building's draw on the supply or a
// circuit, typed in or read from a Modbus TCP meter (meter-fields.tsx: address, map, test).
import { ActionIcon, Box, Button, Group, NumberInput, Paper, Select, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { BalancingConfig, LoadSource } from '../../../../src-shared/balancing/config';
import { METER_MODELS } from '../../../../src-shared/balancing/config';
import { PHASES } from '../../../../src-shared/balancing/model';
import { num, type Errors, type Update } from './model-fields';
import { MeterFields } from './meter-fields';

export function LoadSourcesTable({
  siteId,
  c,
  set,
  e,
}: {
  siteId: number;
  c: BalancingConfig;
  set: Update;
  e: Errors;
}) {
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
      {c.loadSources.length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet: the building load assumed above applies. Add one to type in what the rest of the
          building draws, or to read it from a Modbus TCP meter.
        </Text>
      ) : null}
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
          <Paper key={i} withBorder p="sm" data-testid="load-source">
            <Group align="flex-start">
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
                <Box style={{ flex: 1 }} />
              )}
              <ActionIcon
                mt={28}
                ml="auto"
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
            {l.kind === 'modbus' ? (
              <Box mt="xs">
                <MeterFields
                  siteId={siteId}
                  c={c}
                  meter={m}
                  onChange={(modbus) => edit(i, { modbus })}
                  set={set}
                  err={err}
                />
              </Box>
            ) : null}
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
