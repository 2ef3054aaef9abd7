// Configuration values are checked before they reach a charger (issue 8 #12): a standard OCPP
// 1.6 key's type, range and read-only state, in words naming the key; nothing is sent when the
// value is wrong, and the stored configuration follows what the charger accepted.
import { describe, expect, it } from 'vitest';
import { ocppCore } from './helpers';
import { checkConfigValue } from '../../src-shared/ocpp/config-keys';

describe('configuration values', () => {
  it('refuses a wrong value for a standard key without sending it to the charger', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    const sent = () => sim.received.filter((r) => r.action === 'ChangeConfiguration').length;
    const before = sent();
    const cases: [string, string, RegExp][] = [
      [
        'HeartbeatInterval',
        'abc',
        /HeartbeatInterval must be a whole number from 1 to 86,400 seconds/,
      ],
      ['HeartbeatInterval', '-5', /HeartbeatInterval must be a whole number/],
      ['MeterValueSampleInterval', '1.5', /MeterValueSampleInterval must be a whole number/],
      ['LocalAuthListEnabled', 'yes', /LocalAuthListEnabled must be true or false/],
      ['MeterValuesSampledData', 'Energy.Active.Import.Register,Bogus', /Bogus is not one of/],
      ['NumberOfConnectors', '9', /NumberOfConnectors is read-only/],
      ['AuthorizationKey', 'short', /AuthorizationKey must be at least 16 characters/],
    ];
    for (const [key, value, message] of cases) {
      const e = await o.t.fail(o.admin, 'station-config-set', { stationId, key, value });
      expect(e, `${key}=${value}`).toMatchObject({ code: 'validation', field: 'value' });
      expect(e.message).toMatch(message);
    }
    expect(sent()).toBe(before);
    expect(sim.config.get('HeartbeatInterval')?.value).not.toBe('abc');

    // Good values are normalised and sent; the stored copy follows without a refresh.
    expect(
      await o.t.ok(o.admin, 'station-config-set', {
        stationId,
        key: 'LocalAuthListEnabled',
        value: ' FALSE ',
      }),
    ).toEqual({ status: 'Accepted' });
    expect(sim.config.get('LocalAuthListEnabled')?.value).toBe('false');
    expect(
      await o.t.ok(o.admin, 'station-config-set', {
        stationId,
        key: 'MeterValuesSampledData',
        value: 'Energy.Active.Import.Register, Power.Active.Import',
      }),
    ).toEqual({ status: 'Accepted' });
    const stored = await o.t.ok(o.admin, 'station-config-get', { stationId, refresh: false });
    expect(stored.keys.find((k) => k.key === 'MeterValuesSampledData')?.value).toBe(
      'Energy.Active.Import.Register,Power.Active.Import',
    );
  });

  it('passes vendor keys through and gives the UI the same checks', () => {
    expect(checkConfigValue('VendorThing', ' anything ')).toEqual({
      ok: true,
      value: ' anything ',
    });
    expect(checkConfigValue('HeartbeatInterval', '300')).toEqual({ ok: true, value: '300' });
    expect(checkConfigValue('HeartbeatInterval', '0')).toMatchObject({ ok: false });
    expect(checkConfigValue('WebSocketPingInterval', '0')).toEqual({ ok: true, value: '0' });
  });
});
