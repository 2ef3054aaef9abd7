// A charger's AuthorizationKey set through station-config-set is a password (issue 7 #6): it
// must not appear in the audit (list or export), the stored configuration, the OCPP message
// log, or the bytes of any database file — and the station's credential follows it, so the
// charger can authenticate with the new key.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';
import { exportAuditCsv } from '../support/download';
import { SimCharger } from '../../src-main/sim/charger';

const OLD_KEY = 'first-key-0123456789';
const NEW_KEY = 'Zq7-new-key-9f8e7d6c5b4a';
const VENDOR_SECRET = 'wifi-secret-XYZ-424242';

describe('secret configuration values', () => {
  it('never stores or shows a new AuthorizationKey, and the charger authenticates with it', async () => {
    const o = await ocppCore();
    const { id: stationId, identity } = await o.station({
      securityProfile: 1,
      password: OLD_KEY,
    });
    const sim = o.sim(identity, { password: OLD_KEY });
    // A charger that accepts its key over ChangeConfiguration (Security Whitepaper), and has a
    // vendor password key that it reports back in GetConfiguration.
    sim.config.set('AuthorizationKey', { value: '', readonly: false });
    sim.config.set('WifiPassword', { value: VENDOR_SECRET, readonly: false });
    expect(await sim.start()).toBe('Accepted');

    const set = await o.t.ok(o.admin, 'station-config-set', {
      stationId,
      key: 'AuthorizationKey',
      value: NEW_KEY,
    });
    expect(set.status).toBe('Accepted');
    expect(sim.config.get('AuthorizationKey')?.value).toBe(NEW_KEY);
    // The charger reports its configuration back, secrets included.
    sim.config.set('AuthorizationKey', { value: NEW_KEY, readonly: false });
    const conf = await o.t.ok(o.admin, 'station-config-get', { stationId, refresh: true });
    expect(conf.keys.find((k) => k.key === 'AuthorizationKey')?.value).toBe('[redacted]');
    expect(conf.keys.find((k) => k.key === 'WifiPassword')?.value).toBe('[redacted]');

    const shown = JSON.stringify([
      await o.t.ok(o.admin, 'audit-list', {}),
      await exportAuditCsv(o.t, o.admin),
      conf,
      await o.t.ok(o.admin, 'station-config-get', { stationId, refresh: false }),
      await o.t.ok(o.admin, 'ocpp-log-list', { stationId, limit: 500 }),
    ]);
    // What was done is still visible: the key's name and the charger's answer.
    expect(shown).toContain('AuthorizationKey');
    expect(shown).toContain('ChangeConfiguration');
    expect(shown).not.toContain(NEW_KEY);
    expect(shown).not.toContain(VENDOR_SECRET);

    // The files themselves: main database, its WAL, the message log and its WAL.
    const files = readdirSync(o.t.dataDir).filter((f) => /\.db(-wal|-shm)?$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['stratacharge.db', 'ocpp-log.db']));
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    for (const f of files) {
      const bytes = readFileSync(join(o.t.dataDir, f));
      expect(bytes.includes(NEW_KEY), f).toBe(false);
      expect(bytes.includes(VENDOR_SECRET), f).toBe(false);
    }

    // The station's credential followed: the new key opens, the old one no longer does.
    await sim.close();
    const withNew = new SimCharger({
      url: o.url,
      identity,
      password: NEW_KEY,
      callTimeoutMs: 5_000,
    });
    try {
      expect(await withNew.start()).toBe('Accepted');
    } finally {
      await withNew.close();
    }
    const withOld = new SimCharger({
      url: o.url,
      identity,
      password: OLD_KEY,
      callTimeoutMs: 5_000,
    });
    await expect(withOld.connect()).rejects.toThrow();
    await withOld.close();
    await waitFor(
      async () =>
        JSON.stringify(await o.t.ok(o.admin, 'charger-attempts-list', {})).includes(
          'wrong password',
        ),
      'the old key refused as a wrong password',
    );
  });
});
