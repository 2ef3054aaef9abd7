// A station's wiring is stored once (the station row: phases + rotation) and shown in two places:
// the stations page (three-phase or the building phase it is on) and the load-balancing model
// (wiring at the charger's terminals + rotation). An edit in either shows in the other, the
// allocation follows a station moved on the stations page, and the pure conversions round-trip.
import { describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from '../ocpp/helpers';
import {
  PHASES,
  ROTATIONS,
  WIRINGS,
  stationOfWiring,
  stationPhases,
  wiringOfStation,
} from '../../src-shared/balancing/model';
import type { MethodInput } from '../../src-shared/api/contract';
import type { DomainEvent } from '../../src-main/platform/domain-events';

async function site(o: OcppTest) {
  const one = await o.station({ identity: 'W-1', name: 'Bay 1' });
  const two = await o.station({ identity: 'W-2', name: 'Bay 2' });
  await o.t.ok(o.admin, 'station-update', { id: one.id, phases: 'L2' });
  const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
  const save: MethodInput<'balancing-save'> = { siteId: o.siteId, ...got.config };
  return { one, two, save };
}

const wiringOf = async (o: OcppTest, stationId: number) => {
  const got = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
  const s = got.config.stations.find((x) => x.stationId === stationId);
  if (!s) throw new Error('station not in the model');
  return { wiring: s.wiring, rotation: s.rotation, building: stationPhases(s) };
};

describe("a station's wiring, stored once", () => {
  it('set on the stations page, it is the model’s; set in the model, it is the station’s', async () => {
    const o = await ocppCore();
    const { one, two, save } = await site(o);
    // The starting model takes the stations page's wiring: Bay 1 on the building's L2.
    expect(await wiringOf(o, one.id)).toEqual({
      wiring: 'L1',
      rotation: 'L2-L3-L1',
      building: ['L2'],
    });
    await o.t.ok(o.admin, 'balancing-save', save);

    // Stations page → model: Bay 1 moves to L3.
    await o.t.ok(o.admin, 'station-update', { id: one.id, phases: 'L3' });
    expect((await wiringOf(o, one.id)).building).toEqual(['L3']);

    // Model → stations page: Bay 2 becomes single-phase, its own L1 rotated onto the building's
    // L2; the station.updated event tells every listener (the stations page refreshes on it).
    const events: DomainEvent[] = [];
    onTestFinished(
      o.t.core.services.domainEvents.subscribe('station.updated', (e) => events.push(e)),
    );
    const current = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    await o.t.ok(o.admin, 'balancing-save', {
      siteId: o.siteId,
      ...current.config,
      stations: current.config.stations.map((s) =>
        s.stationId === two.id ? { ...s, wiring: 'L1', rotation: 'L2-L3-L1' } : s,
      ),
    });
    const bay2 = await o.t.ok(o.admin, 'station-get', { id: two.id });
    expect(bay2.phases).toBe('L2');
    await waitFor(() => events.length > 0, 'station.updated');
    expect(events).toEqual([
      expect.objectContaining({
        type: 'station.updated',
        stationId: two.id,
        phases: 'L2',
        // Its own L1 on the building's L2 is the natural rotation: only the phase changed.
        changed: ['phases'],
      }),
    ]);
    expect(await wiringOf(o, two.id)).toEqual({
      wiring: 'L1',
      rotation: 'L2-L3-L1',
      building: ['L2'],
    });

    // A three-phase station's rotation is kept too, and the stations page still says three-phase.
    const again = await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId });
    await o.t.ok(o.admin, 'balancing-save', {
      siteId: o.siteId,
      ...again.config,
      stations: again.config.stations.map((s) =>
        s.stationId === two.id ? { ...s, wiring: 'three-phase', rotation: 'L3-L1-L2' } : s,
      ),
    });
    expect((await o.t.ok(o.admin, 'station-get', { id: two.id })).phases).toBe('three');
    expect(await wiringOf(o, two.id)).toMatchObject({
      wiring: 'three-phase',
      rotation: 'L3-L1-L2',
    });
  });

  it('the allocation follows a station moved on the stations page', async () => {
    const o = await ocppCore();
    const { one, save } = await site(o);
    await o.t.ok(o.admin, 'balancing-save', { ...save, enabled: true });
    const phasesOfBay1 = async () => {
      const p = await o.t.ok(o.admin, 'balancing-preview', {
        ...(await o.t.ok(o.admin, 'balancing-get', { siteId: o.siteId })).config,
        siteId: o.siteId,
      });
      return p.connectors.find((c) => c.stationId === one.id)?.phases;
    };
    expect(await phasesOfBay1()).toEqual(['L2']);
    await o.t.ok(o.admin, 'station-update', { id: one.id, phases: 'L1' });
    expect(await phasesOfBay1()).toEqual(['L1']);
    const live = await waitFor(async () => {
      o.t.core.services.balancing.controller.recompute(o.siteId);
      const l = await o.t.ok(o.admin, 'balancing-live', { siteId: o.siteId });
      return l.connectors.find((c) => c.stationId === one.id)?.phases[0] === 'L1' ? l : null;
    }, 'the live view on L1');
    expect(live.connectors.find((c) => c.stationId === one.id)?.phases).toEqual(['L1']);
  });
});

describe('the two views of the wiring', () => {
  it('round-trip for every wiring and rotation, keeping the building phases', () => {
    for (const wiring of WIRINGS)
      for (const rotation of ROTATIONS) {
        const row = stationOfWiring({ wiring, rotation });
        const back = wiringOfStation(row.phases, row.rotation);
        expect(stationPhases(back)).toEqual(stationPhases({ wiring, rotation }));
        expect(back.rotation).toBe(rotation);
        if (wiring === 'three-phase') expect(row.phases).toBe('three');
      }
  });

  it('a station without a chosen rotation has its own L1 on its phase', () => {
    for (const p of PHASES) expect(wiringOfStation(p, null)).toMatchObject({ wiring: 'L1' });
    expect(stationPhases(wiringOfStation('L3', null))).toEqual(['L3']);
    expect(stationOfWiring({ wiring: 'L1', rotation: 'L3-L1-L2' })).toEqual({
      phases: 'L3',
      rotation: null,
    });
  });
});
