// The post-boot setup asks a charger only for what it can do (issue 8 #11): it reads the
// configuration first, leaves SoC out on an AC charger, keeps to MeterValuesSampledDataMaxLength,
// does not write read-only keys or send a card list to a charger without the profile, records
// (and shows) what the charger refused, and stores what it accepted without a refresh.
import { describe, expect, it } from 'vitest';
import { ocppCore, rawSocket, waitFor, type OcppTest } from './helpers';

type Key = { key: string; value: string; readonly: boolean };

/** A charger on a raw WebSocket that answers our calls from `config` and `decide`. */
async function rawCharger(
  o: OcppTest,
  identity: string,
  config: Key[],
  decide: (k: Key) => string,
) {
  const { ws, messages } = await rawSocket(o.url, identity);
  const calls: { action: string; params: Record<string, unknown> }[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as unknown[];
    if (f[0] !== 2) return;
    const [, id, action, params] = f as [number, string, string, Record<string, unknown>];
    calls.push({ action, params });
    let answer: Record<string, unknown> = {};
    if (action === 'GetConfiguration') answer = { configurationKey: config };
    if (action === 'ChangeConfiguration') {
      const k = { key: String(params.key), value: String(params.value), readonly: false };
      const status = decide(k);
      const held = config.find((c) => c.key === k.key);
      if (status === 'Accepted' && held) held.value = k.value;
      answer = { status };
    }
    if (action === 'SendLocalList') answer = { status: 'Accepted' };
    ws.send(JSON.stringify([3, id, answer]));
  });
  ws.send(
    JSON.stringify([
      2,
      'boot-1',
      'BootNotification',
      { chargePointVendor: 'V', chargePointModel: 'M' },
    ]),
  );
  await waitFor(() => messages.some((m) => Array.isArray(m) && m[1] === 'boot-1'), 'boot answer');
  return calls;
}

const changes = (calls: { action: string; params: Record<string, unknown> }[]) =>
  calls.filter((c) => c.action === 'ChangeConfiguration').map((c) => c.params);

describe('post-boot setup', () => {
  it('asks an AC charger only for what it can take, and records what it refused', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station();
    const calls = await rawCharger(
      o,
      identity,
      [
        { key: 'MeterValueSampleInterval', value: '900', readonly: true },
        { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register', readonly: false },
        { key: 'MeterValuesSampledDataMaxLength', value: '3', readonly: true },
        { key: 'SupportedFeatureProfiles', value: 'Core,RemoteTrigger', readonly: true },
      ],
      // This charger cannot measure current.
      (k) => (k.value.includes('Current.Import') ? 'Rejected' : 'Accepted'),
    );
    const conf = await waitFor(async () => {
      const c = await o.t.ok(o.admin, 'station-config-get', { stationId, refresh: false });
      return c.setupRefused.length === 2 ? c : null;
    }, 'the setup to finish');
    // Read first; no SoC (AC), at most 3 measurands, the register first; the read-only
    // interval not written; no card list (no LocalAuthListManagement profile).
    expect(calls[0]?.action).toBe('GetConfiguration');
    expect(changes(calls)).toEqual([
      {
        key: 'MeterValuesSampledData',
        value: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import',
      },
    ]);
    expect(calls.some((c) => c.action === 'SendLocalList')).toBe(false);
    expect(conf.setupRefused).toEqual([
      expect.objectContaining({
        key: 'MeterValueSampleInterval',
        value: '60',
        answer: 'read-only on the charger',
      }),
      expect.objectContaining({
        key: 'MeterValuesSampledData',
        value: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import',
        answer: 'Rejected',
      }),
    ]);
    expect(o.t.logger.entries.some((e) => /did not take a post-boot setting/.test(e.msg))).toBe(
      true,
    );
  });

  it('asks a DC charger for SoC too, and stores what it accepted without a refresh', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station();
    const st = await o.t.ok(o.admin, 'station-get', { id: stationId });
    await o.t.ok(o.admin, 'connector-update', { id: st.connectors[0]?.id ?? 0, type: 'CCS2' });
    const calls = await rawCharger(
      o,
      identity,
      [
        { key: 'MeterValueSampleInterval', value: '900', readonly: false },
        { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register', readonly: false },
        {
          key: 'SupportedFeatureProfiles',
          value: 'Core,LocalAuthListManagement',
          readonly: true,
        },
      ],
      () => 'Accepted',
    );
    await waitFor(() => calls.some((c) => c.action === 'SendLocalList'), 'the card list');
    expect(changes(calls)).toEqual([
      { key: 'MeterValueSampleInterval', value: '60' },
      {
        key: 'MeterValuesSampledData',
        value: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC',
      },
    ]);
    const conf = await o.t.ok(o.admin, 'station-config-get', { stationId, refresh: false });
    const value = (key: string) => conf.keys.find((k) => k.key === key)?.value;
    expect(value('MeterValueSampleInterval')).toBe('60');
    expect(value('MeterValuesSampledData')).toBe(
      'Energy.Active.Import.Register,Power.Active.Import,Current.Import,Voltage,SoC',
    );
    expect(conf.setupRefused).toEqual([]);
  });
});
