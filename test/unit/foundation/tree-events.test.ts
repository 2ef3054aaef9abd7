// Domain events of the organisation tree (site.changed, floor.changed, station.*,
// connector.updated): what load balancing, alarms and billing hear when an administrator edits
// a site, a station's rating or wiring, or an outlet. Delivered only once the write is readable
// by another database connection, never for a write that failed, and a subscriber that throws
// neither fails the API call nor keeps the UI's tree-changed from going out.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aFloor, aSite, aStation, setupAdmin } from '../../support/factories';
import type { DomainEvent } from '../../../src-main/platform/domain-events';
import type { CoreEvent } from '../../../src-shared/api/events';

/** Every tree event, each with what another connection could read when it arrived. */
async function recordingCore() {
  const t = await makeCore();
  const { admin, site } = await setupAdmin(t);
  const reader = new Database(join(t.dataDir, 'stratacharge.db'), { readonly: true });
  onTestFinished(() => {
    reader.close();
  });
  const stationRow = (id: number) =>
    reader
      .prepare(
        'SELECT site_id AS siteId, max_current_a AS maxCurrentA, phases FROM stations WHERE id = ?',
      )
      .get(id) as { siteId: number; maxCurrentA: number; phases: string } | undefined;
  const seen: { event: DomainEvent; readable: unknown }[] = [];
  t.core.services.domainEvents.subscribeAll((event) => {
    switch (event.type) {
      case 'station.created':
      case 'station.updated':
        seen.push({ event, readable: stationRow(event.stationId) ?? null });
        break;
      case 'station.removed':
        seen.push({ event, readable: stationRow(event.stationId) ?? 'gone' });
        break;
      case 'connector.updated':
        seen.push({
          event,
          readable: reader
            .prepare('SELECT max_current_a AS a FROM connectors WHERE id = ?')
            .get(event.connectorId),
        });
        break;
      case 'site.changed':
        seen.push({
          event,
          readable:
            reader
              .prepare('SELECT time_zone AS timeZone FROM sites WHERE id = ?')
              .get(event.siteId) ?? 'gone',
        });
        break;
      case 'floor.changed':
        seen.push({ event, readable: null });
        break;
      default:
        break;
    }
  });
  const ui: CoreEvent[] = [];
  t.core.events.subscribe((e) => ui.push(e));
  return { t, admin, site, seen, ui };
}

describe('domain events of the organisation tree', () => {
  it('arrive after the change is readable on another connection, in the order of the writes', async () => {
    const { t, admin, site, seen, ui } = await recordingCore();
    const st = await t.ok(admin, 'station-create', aStation(site.id, { maxCurrentA: 32 }));
    await t.ok(admin, 'station-update', { id: st.id, maxCurrentA: 24, phases: 'L2' });
    const outlet = st.connectors[0];
    if (!outlet) throw new Error('no connector');
    await t.ok(admin, 'connector-update', { id: outlet.id, maxCurrentA: 16 });
    await t.ok(admin, 'site-update', {
      id: site.id,
      name: site.name,
      strataPlan: site.strataPlan,
      timeZone: 'Australia/Perth',
    });
    await t.ok(admin, 'station-delete', { id: st.id });

    expect(seen.map((s) => s.event.type)).toEqual([
      'station.created',
      'station.updated',
      'connector.updated',
      'site.changed',
      'station.removed',
    ]);
    expect(seen.map((s) => s.readable)).toEqual([
      { siteId: site.id, maxCurrentA: 32, phases: 'three' },
      { siteId: site.id, maxCurrentA: 24, phases: 'L2' },
      { a: 16 },
      { timeZone: 'Australia/Perth' },
      'gone',
    ]);
    expect(seen[1]?.event).toMatchObject({
      type: 'station.updated',
      stationId: st.id,
      changed: ['maxCurrentA', 'phases'],
      maxCurrentA: 24,
      phases: 'L2',
    });
    expect(seen[2]?.event).toMatchObject({ changed: ['maxCurrentA'], maxCurrentA: 16 });
    expect(seen[3]?.event).toMatchObject({ change: 'updated', changed: ['timeZone'] });
    // The UI's tree-changed is their projection: one per write, for the station's site.
    expect(ui.filter((e) => e.type === 'tree-changed')).toEqual(
      Array.from({ length: 5 }, () => ({ type: 'tree-changed', siteId: site.id })),
    );
  });

  it('tell both sites when a station moves, and say nothing for an edit that changes nothing', async () => {
    const { t, admin, site, seen, ui } = await recordingCore();
    const other = await t.ok(admin, 'site-create', aSite());
    const floor = await t.ok(admin, 'floor-create', aFloor(other.id));
    const st = await t.ok(admin, 'station-create', aStation(site.id));
    seen.length = 0;
    ui.length = 0;
    await t.ok(admin, 'station-update', { id: st.id, name: st.name, maxCurrentA: st.maxCurrentA });
    expect(seen).toEqual([]);
    await t.ok(admin, 'station-update', { id: st.id, siteId: other.id, floorId: floor.id });
    expect(seen.map((s) => s.event)).toEqual([
      expect.objectContaining({
        type: 'station.updated',
        siteId: other.id,
        previousSiteId: site.id,
        changed: ['siteId', 'floorId'],
      }),
    ]);
    expect(ui).toEqual([
      { type: 'tree-changed', siteId: site.id },
      { type: 'tree-changed', siteId: other.id },
    ]);
  });

  it('are not published for a write that is refused', async () => {
    const { t, admin, site, seen } = await recordingCore();
    const st = await t.ok(admin, 'station-create', aStation(site.id, { maxCurrentA: 32 }));
    const outlet = st.connectors[0];
    if (!outlet) throw new Error('no connector');
    await t.ok(admin, 'connector-update', { id: outlet.id, maxCurrentA: 20 });
    seen.length = 0;
    // Below the outlet's rating: refused, nothing written, nothing told.
    const e = await t.fail(admin, 'station-update', { id: st.id, maxCurrentA: 16 });
    expect(e.code).toBe('validation');
    await t.fail(admin, 'station-create', aStation(site.id, { identity: st.identity }));
    await t.fail(admin, 'site-delete', { id: site.id });
    expect(seen).toEqual([]);
  });

  it('a subscriber that throws is logged; the API call succeeds and the others still hear of it', async () => {
    const { t, admin, site, ui } = await recordingCore();
    const domain = t.core.services.domainEvents;
    domain.subscribe('station.created', () => {
      throw new Error('subscriber bug');
    });
    const heard: number[] = [];
    domain.subscribe('station.created', (e) => heard.push(e.stationId));
    const st = await t.ok(admin, 'station-create', aStation(site.id));
    expect(heard).toEqual([st.id]);
    expect(ui).toContainEqual({ type: 'tree-changed', siteId: site.id });
    expect(await t.ok(admin, 'station-get', { id: st.id })).toMatchObject({ id: st.id });
    expect(
      t.logger.entries.filter(
        (e) => e.msg === 'domain event subscriber failed' && e.fields.type === 'station.created',
      ),
    ).toHaveLength(1);
  });
});
