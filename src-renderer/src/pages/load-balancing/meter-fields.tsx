// One Modbus TCP meter of the model editor: its address, unit id, which register map it reads
// with (a shipped meter or one of the site's own maps) and how long it may stay quiet, plus
// "Test meter": the core reads it once now and the installer sees the amps per phase (to compare
// with the meter's own display) or, in words, why it could not be read.
import { Alert, Button, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import type { MethodOutput } from '../../../../src-shared/api/contract';
import type { ApiError } from '../../../../src-shared/api/result';
import type { BalancingConfig, ModbusMeterConfig } from '../../../../src-shared/balancing/config';
import {
  REGISTER_MAPS,
  type ShippedMeterModel,
} from '../../../../src-shared/balancing/register-maps';
import { PHASES } from '../../../../src-shared/balancing/model';
import { api } from '../../api/client';
import { formatNumber } from '../../lib/format';
import { num } from './model-fields';
import { newRegisterMap } from './register-maps-editor';

type TestResult = MethodOutput<'balancing-meter-test'> | { failed: ApiError };

const NEW_MAP = 'new-map';
const SHIPPED = Object.keys(REGISTER_MAPS) as ShippedMeterModel[];

/** The select's value: a shipped model, or `custom:<name>` for one of the site's maps. */
const mapValue = (m: ModbusMeterConfig) =>
  m.model === 'custom' ? `custom:${m.map?.label ?? ''}` : m.model;

function ReadingLine({ r }: { r: TestResult }) {
  if ('failed' in r)
    return (
      <Alert color="red" py={6} data-testid="meter-test-result">
        {r.failed.message}
      </Alert>
    );
  if (!r.answered)
    return (
      <Alert color="red" py={6} data-testid="meter-test-result">
        {r.message}
      </Alert>
    );
  const kw = (w: number) => `${formatNumber(w / 1000, 2)} kW`;
  return (
    <Alert color="green" py={6} data-testid="meter-test-result">
      The meter answered:{' '}
      {PHASES.map((p, k) => {
        const a = r.amps[k] ?? 0;
        const w = r.watts?.[k];
        return `${p} ${formatNumber(a, 1)} A${w !== undefined ? ` (${kw(w)})` : ''}`;
      }).join(' · ')}
      . Compare with the meter’s own display.
    </Alert>
  );
}

export function MeterFields({
  siteId,
  c,
  meter,
  onChange,
  set,
  err,
}: {
  siteId: number;
  c: BalancingConfig;
  meter: ModbusMeterConfig;
  onChange: (m: ModbusMeterConfig) => void;
  set: (f: (c: BalancingConfig) => BalancingConfig) => void;
  err: (field: string) => string | undefined;
}) {
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const m = meter;
  const edit = (patch: Partial<ModbusMeterConfig>) => {
    setResult(null);
    onChange({ ...m, ...patch });
  };
  const siteMaps = c.registerMaps ?? [];
  const options = [
    {
      group: 'Built in',
      items: SHIPPED.map((x) => ({ value: x, label: REGISTER_MAPS[x].label })),
    },
    {
      group: 'This site’s maps',
      items: [
        ...siteMaps.map((x) => ({ value: `custom:${x.label}`, label: x.label })),
        // A custom map only the meter holds (saved by an older client) stays choosable.
        ...(m.model === 'custom' && m.map && !siteMaps.some((x) => x.label === m.map?.label)
          ? [{ value: mapValue(m), label: m.map.label }]
          : []),
        { value: NEW_MAP, label: 'New register map…' },
      ],
    },
  ];
  const choose = (v: string | null) => {
    if (v === NEW_MAP) {
      const map = newRegisterMap(siteMaps.map((x) => x.label));
      set((x) => ({ ...x, registerMaps: [...(x.registerMaps ?? []), map] }));
      return edit({ model: 'custom', map, unitId: map.defaultUnitId });
    }
    const shipped = SHIPPED.find((x) => x === v);
    if (shipped) return edit({ model: shipped, map: null });
    const map = siteMaps.find((x) => `custom:${x.label}` === v);
    if (map) edit({ model: 'custom', map });
  };
  const test = async () => {
    setTesting(true);
    setResult(null);
    const r = await api.call('balancing-meter-test', {
      siteId,
      host: m.host.trim(),
      port: m.port,
      unitId: m.unitId,
      model: m.model,
      map: m.model === 'custom' ? (m.map ?? null) : null,
    });
    setTesting(false);
    setResult(r.ok ? r.value : { failed: r.error });
  };
  const where = m.host.trim() ? `${m.host.trim()}:${m.port} unit ${m.unitId}` : 'the meter';
  return (
    <Stack gap={4}>
      <Group align="flex-start">
        <TextInput
          label="Meter address"
          placeholder="e.g. 10.0.0.5"
          value={m.host}
          onChange={(ev) => edit({ host: ev.currentTarget.value })}
          error={err('modbus.host')}
          w={170}
        />
        <NumberInput
          label="Port"
          hideControls
          allowDecimal={false}
          w={90}
          value={m.port}
          onChange={(v) => edit({ port: num(v) })}
          error={err('modbus.port')}
        />
        <NumberInput
          label="Unit id"
          hideControls
          allowDecimal={false}
          w={80}
          value={m.unitId}
          onChange={(v) => edit({ unitId: num(v) })}
          error={err('modbus.unitId')}
        />
        <Select
          label="Meter"
          data={options}
          value={mapValue(m)}
          onChange={choose}
          allowDeselect={false}
          error={err('modbus.map') ?? err('modbus.model')}
          w={250}
        />
        <NumberInput
          label="Read every"
          suffix=" s"
          hideControls
          w={100}
          value={m.pollSeconds}
          onChange={(v) => edit({ pollSeconds: num(v) })}
          error={err('modbus.pollSeconds')}
        />
        <NumberInput
          label="Quiet after"
          suffix=" s"
          hideControls
          w={100}
          value={m.timeoutSeconds}
          onChange={(v) => edit({ timeoutSeconds: num(v) })}
          error={err('modbus.timeoutSeconds')}
        />
        <Button
          mt={25}
          variant="default"
          leftSection={<IconPlugConnected size={16} />}
          loading={testing}
          disabled={!m.host.trim()}
          onClick={() => void test()}
          aria-label={`Test meter at ${where}`}
        >
          Test meter
        </Button>
      </Group>
      {testing ? (
        <Text size="sm" c="dimmed">
          Reading {where}… (up to 2 s)
        </Text>
      ) : null}
      {result ? <ReadingLine r={result} /> : null}
    </Stack>
  );
}
