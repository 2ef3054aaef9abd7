// The firmware/diagnostics progress a charger reports is readable by the station's staff (the
// Control tab shows it on load), and only by them.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor } from './helpers';
import { aSite, loginAs } from '../support/factories';

describe('station-file-status-get', () => {
  it('answers the last firmware and diagnostics status the charger reported, with its time', async () => {
    const o = await ocppCore();
    const { id, identity } = await o.station();
    const sim = o.sim(identity);
    expect(await sim.start()).toBe('Accepted');
    expect(await o.t.ok(o.admin, 'station-file-status-get', { stationId: id })).toEqual({
      firmware: null,
      diagnostics: null,
    });
    await o.t.ok(o.admin, 'station-firmware-update', {
      stationId: id,
      fileName: 'fw-2.0.bin',
      contentBase64: Buffer.from('FIRMWARE').toString('base64'),
    });
    const fw = await waitFor(async () => {
      const s = await o.t.ok(o.admin, 'station-file-status-get', { stationId: id });
      return s.firmware?.status === 'Installed' ? s.firmware : null;
    }, 'firmware Installed stored');
    expect(fw.at).toBe(o.t.clock.now());

    const other = await o.t.ok(o.admin, 'site-create', aSite());
    const { conn } = await loginAs(o.t, o.admin, 'site_admin', [other.id]);
    expect((await o.t.fail(conn, 'station-file-status-get', { stationId: id })).code).toBe(
      'forbidden',
    );
  });
});
