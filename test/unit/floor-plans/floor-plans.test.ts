// Floor plans through the API, as the UI uses them: what a strata manager sees when the file is
// wrong (too large, not an image, damaged, an SVG with a script) - a clear error, the previous
// plan kept - and stations placed on the plan: snapped inside, audited, kept to the caller's
// sites.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeCore, type TestCore } from '../../support/make-core';
import { aFloor, aSite, aStation, loginAs, setupAdmin } from '../../support/factories';
import { planPng } from '../../support/plan-image';
import { FLOOR_PLAN_MAX_BYTES } from '../../../src-shared/floor-plans';

const JPEG = readFileSync(new URL('../../fixtures/plan.jpg', import.meta.url));
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

async function floorWithStations(t: TestCore) {
  const { admin, site } = await setupAdmin(t);
  const floor = await t.ok(admin, 'floor-create', aFloor(site.id));
  const a = await t.ok(admin, 'station-create', aStation(site.id, { floorId: floor.id }));
  const b = await t.ok(admin, 'station-create', aStation(site.id, { floorId: floor.id }));
  return { admin, site, floor, a, b };
}

describe('floor plan upload', () => {
  it('stores a PNG, a JPEG and a clean SVG with their sniffed type and size', async () => {
    const t = await makeCore();
    const { admin, floor } = await floorWithStations(t);
    const png = planPng(640, 400);
    const up = await t.ok(admin, 'floor-plan-upload', {
      floorId: floor.id,
      fileName: 'level-b1.jpg', // the name lies: the bytes decide
      data: b64(png),
    });
    expect(up).toMatchObject({ mime: 'image/png', width: 640, height: 400, sizeBytes: png.length });
    const image = await t.ok(admin, 'floor-plan-image', { floorId: floor.id });
    expect(Buffer.from(image?.dataBase64 ?? '', 'base64').equals(png)).toBe(true);

    const jpeg = await t.ok(admin, 'floor-plan-upload', {
      floorId: floor.id,
      fileName: 'photo.jpg',
      data: b64(JPEG),
    });
    expect(jpeg).toMatchObject({ mime: 'image/jpeg', width: 16, height: 16 });

    const svg = `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 1200 800"><defs><rect id="bay" width="50" height="90"/></defs><use xlink:href="#bay" x="10"/><text x="5" y="20">Level B1</text></svg>\n`;
    const clean = await t.ok(admin, 'floor-plan-upload', {
      floorId: floor.id,
      fileName: 'b1.svg',
      data: b64(svg),
    });
    expect(clean).toMatchObject({ mime: 'image/svg+xml', width: 1200, height: 800 });

    // Stored in the database: still there after a restart.
    await t.restart();
    const again = t.conn();
    await t.ok(again, 'session-login', {
      email: 'admin@example.com',
      password: 'correct horse battery',
    });
    expect((await t.ok(again, 'floor-plan-get', { floorId: floor.id })).plan?.mime).toBe(
      'image/svg+xml',
    );
  });

  it('refuses a bad file with a clear error and keeps the previous plan', async () => {
    const t = await makeCore();
    const { admin, floor } = await floorWithStations(t);
    const good = planPng(600, 400);
    await t.ok(admin, 'floor-plan-upload', {
      floorId: floor.id,
      fileName: 'b1.png',
      data: b64(good),
    });

    const big = planPng(940, 940, { noise: true });
    expect(big.length).toBeGreaterThan(FLOOR_PLAN_MAX_BYTES);
    const cases: [string, Buffer | string, RegExp][] = [
      ['too large', big, /is 2\.\d MB; a floor plan may be at most 2\.5 MB/],
      [
        'not an image',
        'Minutes of the strata committee meeting',
        /not an image .* PNG, JPEG or SVG/,
      ],
      ['cut short', good.subarray(0, good.length - 20), /PNG file is damaged or cut short/],
      [
        'damaged',
        Buffer.concat([good.subarray(0, 40), Buffer.from('xxxx'), good.subarray(44)]),
        /damaged/,
      ],
      ['jpeg cut short', JPEG.subarray(0, JPEG.length - 40), /JPEG file is damaged or cut short/],
      [
        'svg with a script',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        /SVG contains a script/,
      ],
      [
        'svg with a handler',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"></svg>',
        /event handler/,
      ],
      [
        'svg with a foreign object',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><foreignObject><div/></foreignObject></svg>',
        /foreign object/,
      ],
      [
        'svg with an external image',
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="http://evil.example/x.png"/></svg>',
        /reference to another file/,
      ],
      [
        'svg with entities',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">&a;</svg>',
        /entity declarations|internal document type/,
      ],
    ];
    for (const [what, data, message] of cases) {
      const error = await t.fail(admin, 'floor-plan-upload', {
        floorId: floor.id,
        fileName: `${what}.png`,
        data: b64(data),
      });
      expect(error.code, what).toBe('validation');
      expect(error.field, what).toBe('data');
      expect(error.message, what).toMatch(message);
    }
    const kept = await t.ok(admin, 'floor-plan-image', { floorId: floor.id });
    expect(Buffer.from(kept?.dataBase64 ?? '', 'base64').equals(good)).toBe(true);

    // The audit log records who uploaded what, not the file itself.
    const entries = (await t.ok(admin, 'audit-list', { method: 'floor-plan-upload' })).entries;
    const stored = entries.filter((e) => e.outcome === 'ok');
    expect(stored).toHaveLength(1);
    expect((stored[0]?.input as { data: string }).data).toMatch(/^\[\d+ characters\]$/);
    expect(stored[0]?.after).toMatchObject({ width: 600, height: 400, mime: 'image/png' });
    expect(JSON.stringify(entries)).not.toContain(b64(good).slice(0, 200));
  });
});

describe('stations on the plan', () => {
  it('snaps a station dropped outside the image, audits each move, lists the unplaced', async () => {
    const t = await makeCore();
    const { admin, floor, a, b } = await floorWithStations(t);
    const noPlan = await t.fail(admin, 'station-plan-place', {
      stationId: a.id,
      position: { x: 10, y: 10 },
    });
    expect(noPlan.message).toMatch(/no plan yet/);
    await t.ok(admin, 'floor-plan-upload', {
      floorId: floor.id,
      fileName: 'b1.png',
      data: b64(planPng(400, 300)),
    });
    const inside = await t.ok(admin, 'station-plan-place', {
      stationId: a.id,
      position: { x: 120.5, y: 80 },
      bayLabel: 'B1-07',
    });
    expect(inside).toMatchObject({ x: 120.5, y: 80, bayLabel: 'B1-07', snapped: false });
    const outside = await t.ok(admin, 'station-plan-place', {
      stationId: b.id,
      position: { x: 900, y: -40 },
    });
    expect(outside).toMatchObject({ x: 400, y: 0, snapped: true });
    const moved = await t.ok(admin, 'station-plan-place', {
      stationId: a.id,
      position: { x: 200, y: 150 },
    });
    expect(moved.bayLabel).toBe('B1-07'); // omitted = unchanged
    const relabelled = await t.ok(admin, 'station-plan-place', {
      stationId: a.id,
      bayLabel: 'B1-08',
    });
    expect(relabelled).toMatchObject({ x: 200, y: 150, bayLabel: 'B1-08' }); // position kept

    const view = await t.ok(admin, 'floor-plan-get', { floorId: floor.id });
    expect(view.placements.map((p) => [p.stationId, p.x, p.y])).toEqual([
      [a.id, 200, 150],
      [b.id, 400, 0],
    ]);
    await t.ok(admin, 'station-plan-place', { stationId: b.id, position: null });
    const after = await t.ok(admin, 'floor-plan-get', { floorId: floor.id });
    expect(after.placements.find((p) => p.stationId === b.id)).toMatchObject({ x: null, y: null });

    const audit = (await t.ok(admin, 'audit-list', { method: 'station-plan-place' })).entries;
    expect(audit).toHaveLength(5);
    const last = audit.find(
      (e) => e.entityId === String(a.id) && (e.before as { x: number }).x === 120.5,
    );
    expect(last).toMatchObject({ entity: 'station-position' });
    expect(last?.before).toMatchObject({ x: 120.5, y: 80 });
    expect(last?.after).toMatchObject({ x: 200, y: 150 });

    // Moving the station to another floor takes it off this floor's plan.
    const other = await t.ok(admin, 'floor-create', { ...aFloor(a.siteId), name: 'Level B2' });
    await t.ok(admin, 'station-update', { id: a.id, floorId: other.id });
    const moves = await t.ok(admin, 'floor-plan-get', { floorId: other.id });
    expect(moves.placements).toEqual([expect.objectContaining({ stationId: a.id, x: null })]);
  });

  it('shows the bay label of the residents’ bays where one exists, edited only there', async () => {
    const t = await makeCore();
    const { admin, floor, a, b } = await floorWithStations(t);
    await t.ok(admin, 'station-plan-place', { stationId: a.id, bayLabel: 'Plan label' });
    await t.ok(admin, 'station-plan-place', { stationId: b.id, bayLabel: 'B1-09' });
    const connectorId = a.connectors[0]?.id ?? 0;
    await t.ok(admin, 'bay-set', { connectorId, kind: 'shared', label: 'Bay 14' });

    const view = await t.ok(admin, 'floor-plan-get', { floorId: floor.id });
    expect(view.placements.find((p) => p.stationId === a.id)).toMatchObject({
      bayLabel: 'Bay 14',
      bayFromBays: true,
    });
    // A station without a labelled bay keeps the label set on the plan.
    expect(view.placements.find((p) => p.stationId === b.id)).toMatchObject({
      bayLabel: 'B1-09',
      bayFromBays: false,
    });
    const refused = await t.fail(admin, 'station-plan-place', { stationId: a.id, bayLabel: 'X' });
    expect(refused).toMatchObject({ code: 'conflict', field: 'bayLabel' });
    expect(refused.message).toMatch(/Residents & cards/);
  });

  it("keeps plans and positions to the caller's sites", async () => {
    const t = await makeCore();
    const { admin, floor, a } = await floorWithStations(t);
    const siteB = await t.ok(admin, 'site-create', aSite());
    const { conn: adminB } = await loginAs(t, admin, 'site_admin', [siteB.id]);
    await t.ok(admin, 'floor-plan-upload', {
      floorId: floor.id,
      fileName: 'b1.png',
      data: b64(planPng(100, 100)),
    });
    for (const [method, input] of [
      ['floor-plan-get', { floorId: floor.id }],
      ['floor-plan-image', { floorId: floor.id }],
      ['floor-plan-upload', { floorId: floor.id, fileName: 'x.png', data: b64(planPng(10, 10)) }],
      ['floor-plan-delete', { floorId: floor.id }],
      ['station-plan-place', { stationId: a.id, position: { x: 1, y: 1 } }],
    ] as const) {
      expect((await t.fail(adminB, method, input)).code, method).toBe('forbidden');
    }
    const { conn: adminA } = await loginAs(t, admin, 'site_admin', [a.siteId]);
    expect(
      await t.ok(adminA, 'station-plan-place', { stationId: a.id, position: { x: 1, y: 2 } }),
    ).toMatchObject({ x: 1, y: 2 });
    const { conn: ev } = await loginAs(t, admin, 'ev_user', [a.siteId]);
    expect((await t.fail(ev, 'floor-plan-get', { floorId: floor.id })).code).toBe('forbidden');
  });
});
