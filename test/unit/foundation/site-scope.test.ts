// Site scoping of every API method: a site administrator reaches nothing organisation-wide and
// nothing of another site (roles.ts). The first test walks the whole contract, so a new method
// is covered the day it is added.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, type MethodName } from '../../../src-shared/api/contract';
import { ApiFailure } from '../../../src-shared/api/result';
import { enforceSiteScope, methodScopes, type SiteRef } from '../../../src-main/api/site-scope';
import {
  alarms,
  diagnosticsFiles,
  invoiceRuns,
  invoices,
  transactions,
} from '../../../src-main/db/schema';
import { makeCore, type TestCore } from '../../support/make-core';
import { aFloor, aSite, aStation, loginAs, setupAdmin } from '../../support/factories';

/** Site A (the first site) with one of everything; site B with its own administrator. */
async function twoSites(t: TestCore) {
  const { admin, site: siteA } = await setupAdmin(t);
  const floorA = await t.ok(admin, 'floor-create', aFloor(siteA.id));
  const stationA = await t.ok(admin, 'station-create', aStation(siteA.id, { floorId: floorA.id }));
  const siteB = await t.ok(admin, 'site-create', aSite());
  const stationB = await t.ok(admin, 'station-create', aStation(siteB.id));
  const { conn: adminB } = await loginAs(t, admin, 'site_admin', [siteB.id]);
  const db = t.core.db;
  const txA = db
    .insert(transactions)
    .values({
      stationId: stationA.id,
      identity: stationA.identity,
      connectorNumber: 1,
      idTag: 'CARD-A',
      status: 'completed',
      startedAt: t.clock.now(),
      meterStartWh: 0,
      lastMessageAt: t.clock.now(),
    })
    .returning({ id: transactions.id })
    .get();
  const fileA = db
    .insert(diagnosticsFiles)
    .values({
      stationId: stationA.id,
      fileName: 'diag.zip',
      storedPath: '/nonexistent/diag.zip',
      sizeBytes: 1,
      receivedAt: t.clock.now(),
    })
    .returning({ id: diagnosticsFiles.id })
    .get();
  const accountA = await t.ok(admin, 'account-create', {
    siteId: siteA.id,
    lotNumber: '1',
    ownerNames: 'Owner A',
  });
  const residentA = await t.ok(admin, 'resident-create', {
    accountId: accountA.id,
    firstName: 'Ann',
    lastName: 'A',
  });
  const cardA = await t.ok(admin, 'card-issue', {
    siteId: siteA.id,
    accountId: accountA.id,
    number: '04A23B1C',
  });
  const alarmA = db
    .insert(alarms)
    .values({
      rule: 'connector-fault',
      severity: 'critical',
      foldKey: 'connector-fault:a',
      siteId: siteA.id,
      stationId: stationA.id,
      title: 'Site A fault',
      firstAt: t.clock.now(),
      lastAt: t.clock.now(),
      state: 'active',
    })
    .returning({ id: alarms.id })
    .get();
  const idsOfA: Record<SiteRef, number> = {
    alarm: alarmA.id,
    account: accountA.id,
    resident: residentA.id,
    card: cardA.id,
    site: siteA.id,
    floor: floorA.id,
    station: stationA.id,
    connector: stationA.connectors[0]?.id ?? 0,
    transaction: txA.id,
    diagnostics: fileA.id,
    tariff: (
      await t.ok(admin, 'tariff-create', {
        siteId: siteA.id,
        effectiveFrom: '2026-01-01',
        tariff: { name: 'A', pricesIncludeGst: true, components: [{ kind: 'free' }] },
      })
    ).id,
    invoice: anInvoice(t, siteA.id, accountA.id),
  };
  return { admin, adminB, siteA, siteB, stationA, stationB, idsOfA };
}

/** An invoice row of the site (the scope check needs only its site). */
function anInvoice(t: TestCore, siteId: number, accountId: number): number {
  const run = t.core.db
    .insert(invoiceRuns)
    .values({
      siteId,
      periodStart: '2026-01-01',
      periodEnd: '2026-01-31',
      periodStartMs: 0,
      periodEndMs: 1,
      held: 0,
      issuedAt: 1,
    })
    .returning({ id: invoiceRuns.id })
    .get();
  return t.core.db
    .insert(invoices)
    .values({
      runId: run.id,
      siteId,
      accountId,
      kind: 'invoice',
      issuerKey: 'site:1',
      seq: 1,
      number: 'EV-1',
      status: 'issued',
      issuedAt: 1,
      exGstCents: 0,
      gstCents: 0,
      incGstCents: 0,
      document: '{}',
    })
    .returning({ id: invoices.id })
    .get().id;
}

const CONVENTIONAL: Record<string, SiteRef> = {
  siteId: 'site',
  floorId: 'floor',
  stationId: 'station',
};

const inputFields = (method: MethodName): string[] => {
  const input = contract[method].input as z.ZodType;
  return 'shape' in input ? Object.keys(input.shape as object) : [];
};

/** Methods that name no site's records (their input is checked below to hold no record id). */
const UNSCOPED = [
  'setup-status',
  'setup-complete',
  'session-login',
  'session-resume',
  'session-logout',
  'session-current',
  'password-change',
  'organisation-get',
  'system-info',
  'charger-attempts-list',
  'commissioning-get',
  'ocpp-settings-get',
  'my-account-get',
  'residents-import-template',
  'alarm-rule-list',
  'download-ticket-create',
  'alarm-prefs-get',
  'alarm-prefs-set',
  'my-invoice-list',
  'dashboard-layout-get',
  'dashboard-layout-set',
  'site-map-settings-get',
];
/** Lists filtered to the caller's sites (each asserted in the second test). */
const FILTERED = [
  'tree-get',
  'site-list',
  'station-list',
  'transaction-list',
  'ocpp-log-list',
  'id-tag-list',
  'report-totals',
  // Scoped by role in the core (src-main/sessions/service.ts scopeOf; test/unit/sessions).
  'session-list',
  'alarm-list',
  'alarm-event-list',
  'alarm-summary',
  // Asserted in test/unit/dashboard/dashboard.test.ts.
  'dashboard-energy',
];

describe('site scoping', () => {
  it('refuses every method to the administrator of another site', async () => {
    const t = await makeCore();
    const { adminB, idsOfA } = await twoSites(t);
    const callerB = t.core.services.auth.resolveSession(adminB.token ?? '', t.clock.now());
    if (!callerB) throw new Error('not logged in');

    for (const method of Object.keys(contract) as MethodName[]) {
      const scope = methodScopes[method];
      const fields = inputFields(method);
      if (scope === 'org') {
        // Through the dispatcher: refused whatever the input.
        const e = await t.fail(adminB, method, {});
        expect([method, e.code]).toEqual([method, 'forbidden']);
      } else if (scope === 'none' || scope === 'visible') {
        expect([method, (scope === 'none' ? UNSCOPED : FILTERED).includes(method)]).toEqual([
          method,
          true,
        ]);
        // A record id in the input of an unscoped method would go unchecked.
        expect([method, fields.filter((f) => f === 'id')]).toEqual([method, []]);
      } else {
        const refs: Record<string, SiteRef> = {
          ...Object.fromEntries(
            fields.flatMap((f) => (CONVENTIONAL[f] ? [[f, CONVENTIONAL[f]] as const] : [])),
          ),
          ...(typeof scope === 'object' ? (scope.sites as Record<string, SiteRef>) : {}),
        };
        // Each field that names a record of site A is refused on its own...
        for (const [field, ref] of Object.entries(refs)) {
          expect(() =>
            enforceSiteScope(t.core.db, method, { [field]: idsOfA[ref] }, callerB),
          ).toThrow(
            expect.objectContaining({ error: expect.objectContaining({ code: 'forbidden' }) }),
          );
        }
        // ...and an input that names no site at all is refused too.
        let refusal: unknown = null;
        try {
          enforceSiteScope(t.core.db, method, {}, callerB);
        } catch (e) {
          refusal = e;
        }
        expect([method, refusal instanceof ApiFailure && refusal.error.code]).toEqual([
          method,
          'forbidden',
        ]);
      }
    }
  });

  it('keeps a site administrator to their site in what the issue found and in every list', async () => {
    const t = await makeCore();
    const { admin, adminB, siteA, siteB, stationA, stationB } = await twoSites(t);
    const { user: residentA } = await loginAs(t, admin, 'ev_user', [siteA.id]);
    const { user: residentB } = await loginAs(t, admin, 'ev_user', [siteB.id]);
    await t.ok(admin, 'id-tag-upsert', { idTag: 'CARD-A', label: 'Flat 1', userId: residentA.id });
    await t.ok(admin, 'id-tag-upsert', { idTag: 'CARD-B', label: 'Flat 2', userId: residentB.id });

    // Blocking site A's resident's card, opening commissioning, dismissing an attempt.
    expect(
      (await t.fail(adminB, 'id-tag-upsert', { idTag: 'CARD-A', status: 'Blocked' })).code,
    ).toBe('forbidden');
    expect((await t.ok(admin, 'id-tag-list', {})).find((c) => c.idTag === 'CARD-A')?.status).toBe(
      'Accepted',
    );
    expect((await t.fail(adminB, 'id-tag-delete', { idTag: 'CARD-A' })).code).toBe('forbidden');
    expect(
      (await t.fail(adminB, 'commissioning-set', { minutes: 30, siteId: siteA.id })).code,
    ).toBe('forbidden');
    expect((await t.ok(admin, 'commissioning-get', {})).open).toBe(false);
    // Their own site's window they open and close (the card names the window's site to close it).
    await t.ok(adminB, 'commissioning-set', { minutes: 30, siteId: siteB.id });
    expect((await t.fail(adminB, 'commissioning-set', { minutes: 0 })).code).toBe('forbidden');
    await t.ok(adminB, 'commissioning-set', { minutes: 0, siteId: siteB.id });
    expect((await t.ok(admin, 'commissioning-get', {})).open).toBe(false);
    expect((await t.fail(adminB, 'charger-attempt-dismiss', { identity: 'CP-X' })).code).toBe(
      'forbidden',
    );

    // Another site's station: "no access", not "no longer exists" (issue 8 #17).
    const other = await t.fail(adminB, 'station-get', { id: stationA.id });
    expect(other).toMatchObject({
      code: 'forbidden',
      message: "You do not have access to this station's site.",
    });
    expect((await t.fail(adminB, 'station-get', { id: 999_999 })).code).toBe('not-found');
    expect((await t.ok(adminB, 'station-get', { id: stationB.id })).id).toBe(stationB.id);

    // Filters and moves that name another site.
    expect((await t.fail(adminB, 'station-list', { siteId: siteA.id })).code).toBe('forbidden');
    expect((await t.fail(adminB, 'transaction-list', { stationId: stationA.id })).code).toBe(
      'forbidden',
    );
    expect((await t.fail(adminB, 'ocpp-log-list', { stationId: stationA.id })).code).toBe(
      'forbidden',
    );
    expect(
      (await t.fail(adminB, 'station-update', { id: stationB.id, siteId: siteA.id })).code,
    ).toBe('forbidden');
    expect((await t.ok(admin, 'station-get', { id: stationB.id })).siteId).toBe(siteB.id);

    // The lists show only site B.
    expect((await t.ok(adminB, 'site-list', {})).map((s) => s.id)).toEqual([siteB.id]);
    expect((await t.ok(adminB, 'tree-get', {})).sites.map((s) => s.id)).toEqual([siteB.id]);
    expect((await t.ok(adminB, 'station-list', {})).map((s) => s.id)).toEqual([stationB.id]);
    expect((await t.ok(adminB, 'transaction-list', {})).transactions).toEqual([]);
    expect((await t.ok(adminB, 'ocpp-log-list', {})).entries).toEqual([]);
    expect((await t.ok(adminB, 'id-tag-list', {})).map((c) => c.idTag)).toEqual(['CARD-B']);
    expect((await t.ok(adminB, 'alarm-list', { view: 'active' })).alarms).toEqual([]);
    expect((await t.ok(adminB, 'alarm-summary', {})).total).toBe(0);
    expect((await t.ok(admin, 'alarm-summary', {})).total).toBe(1);
  });
});
