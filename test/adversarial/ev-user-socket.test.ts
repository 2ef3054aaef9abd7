// Issue 10/13 "an EV user sees only their own sessions (and invoices) even when calling the API
// directly", checked the way an outside reviewer would: the real service on port 0, its API
// socket, a simulated charger over OCPP, and an EV user (and a manager of another site) calling
// every method, guessing ids, and fetching the streamed downloads over HTTP.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { contract } from '../../src-shared/api/contract';
import { meterValues, sessionAccounts, transactions } from '../../src-main/db/schema';
import { SimCharger } from '../../src-main/sim/charger';
import { openApi, startInProcess, type ApiClient } from '../server/support';
import { aSetup, ADMIN_EMAIL, ADMIN_PASSWORD, USER_PASSWORD } from '../support/factories';
import { settingsInput } from '../support/billing';

async function ok<T = unknown>(api: ApiClient, method: string, input: unknown = {}): Promise<T> {
  const r = await api.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function loggedIn(service: Parameters<typeof openApi>[0], email: string, password: string) {
  const api = await openApi(service);
  await ok(api, 'session-login', { email, password });
  return api;
}

/** What the EV user's login may call at all (everything else must be refused). */
const EV_METHODS = new Set([
  'setup-status',
  'session-login',
  'session-resume',
  'session-logout',
  'session-current',
  'password-change',
  'organisation-get',
  'site-list',
  'system-info',
  'download-ticket-create',
  'my-account-get',
  'my-invoice-list',
  'session-list',
  'session-detail-get',
  'session-detail-samples',
  'alarm-prefs-get',
  'alarm-prefs-set',
  'dashboard-layout-get',
  'dashboard-layout-set',
  'site-map-settings-get',
  'alarm-rule-list',
  'commissioning-get',
  'ocpp-settings-get',
  'charger-attempts-list',
]);

async function download(service: { httpUrl: string }, url: string): Promise<string> {
  const res = await fetch(new URL(url, service.httpUrl));
  if (!res.ok) throw new Error(`download ${res.status}`);
  return res.text();
}

describe('an EV user and a manager of another site, over the API socket', () => {
  it('see nothing of other accounts or sites, whatever they call or guess', async () => {
    const { service } = await startInProcess();
    const admin = await openApi(service);
    await ok(admin, 'setup-complete', aSetup());
    await ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const [siteA] = await ok<{ id: number }[]>(admin, 'site-list');
    const A = siteA?.id ?? 0;
    const B = (
      await ok<{ id: number }>(admin, 'site-create', {
        name: 'Other Tower',
        timeZone: 'Australia/Sydney',
      })
    ).id;

    // Two lots at A, each with a resident and a card; Ann has an EV-user login.
    const lots = [];
    for (const [lot, first, card] of [
      ['1', 'Ann', 'AA000001'],
      ['2', 'Bob', 'BB000002'],
    ] as const) {
      const account = await ok<{ id: number }>(admin, 'account-create', {
        siteId: A,
        lotNumber: lot,
        ownerNames: `${first} Owner`,
        invoiceEmails: [`${first.toLowerCase()}@example.com`],
        openedAt: Date.UTC(2025, 0, 1),
      });
      const resident = await ok<{ id: number }>(admin, 'resident-create', {
        accountId: account.id,
        firstName: first,
        lastName: 'Owner',
        email: `${first.toLowerCase()}@example.com`,
      });
      await ok(admin, 'card-issue', { siteId: A, accountId: account.id, number: card });
      lots.push({ account, resident, card });
    }
    const [ann, bob] = lots;
    if (!ann || !bob) throw new Error('no lots');
    const annUser = await ok<{ id: number }>(admin, 'user-create', {
      email: 'ann@example.com',
      name: 'Ann Owner',
      role: 'ev_user',
      siteIds: [A],
      password: USER_PASSWORD,
    });
    await ok(admin, 'resident-login-set', { id: ann.resident.id, userId: annUser.id });
    await ok(admin, 'user-create', {
      email: 'bmanager@example.com',
      name: 'B Manager',
      role: 'site_admin',
      siteIds: [B],
      password: USER_PASSWORD,
    });

    // Sessions now from a simulated charger, and last month's billed and issued.
    const station = await ok<{ id: number; identity: string }>(admin, 'station-create', {
      siteId: A,
      identity: 'ADV-1',
      name: 'Bay 1',
      connectorCount: 2,
    });
    const sim = new SimCharger({
      url: service.core.info.ocppUrl,
      identity: 'ADV-1',
      connectors: 2,
    });
    try {
      await sim.start();
      await sim.startTransaction(1, ann.card);
      await sim.startTransaction(2, bob.card);
      sim.advanceMeter(1, 600);
      sim.advanceMeter(2, 600);
      await sim.stopTransaction(1);
      await sim.stopTransaction(2);
    } finally {
      sim.close();
    }
    const lastMonth = DateTime.now()
      .setZone('Australia/Sydney')
      .minus({ months: 1 })
      .set({ day: 10, hour: 12 });
    const db = service.core.db;
    for (const lot of lots) {
      const start = lastMonth.toMillis();
      const tx = db
        .insert(transactions)
        .values({
          stationId: station.id,
          identity: station.identity,
          connectorNumber: 1,
          idTag: lot.card,
          status: 'completed',
          startedAt: start,
          stoppedAt: start + 3_600_000,
          meterStartWh: 10_000,
          meterStopWh: 15_000,
          lastMessageAt: start + 3_600_000,
        })
        .returning({ id: transactions.id })
        .get();
      db.insert(sessionAccounts)
        .values({ transactionId: tx.id, accountId: lot.account.id, via: 'card' })
        .run();
      db.insert(meterValues)
        .values({
          stationId: station.id,
          transactionId: tx.id,
          connectorNumber: 1,
          timestamp: start + 1_800_000,
          sampledValues: '[]',
          energyWh: 12_500,
          dedupeKey: `adv${tx.id}`,
        })
        .run();
    }
    await ok(admin, 'billing-settings-update', settingsInput(A));
    const tariff = await ok<{ id: number }>(admin, 'tariff-create', {
      siteId: A,
      effectiveFrom: '2025-01-01',
      tariff: {
        name: 'Energy',
        pricesIncludeGst: false,
        components: [{ kind: 'perKwh', millicentsPerKwh: 30_000 }],
      },
    });
    await ok(admin, 'tariff-assign', {
      siteId: A,
      target: 'site',
      targetId: A,
      tariffId: tariff.id,
    });
    await ok(admin, 'invoice-run-issue', { siteId: A, date: lastMonth.toISODate() });
    const invoices = await ok<
      { id: number; accountId: number; number: string; totals: { incGstCents: number } }[]
    >(admin, 'invoice-list', { siteId: A });
    expect(invoices).toHaveLength(2);
    const allTx = (
      await ok<{ sessions: { id: number; accountId: number | null }[] }>(admin, 'session-list', {
        limit: 500,
      })
    ).sessions;
    const annTx = allTx
      .filter((r) => r.accountId === ann.account.id)
      .map((r) => r.id)
      .sort();
    expect(annTx).toHaveLength(2);
    const maxTx = Math.max(...allTx.map((r) => r.id));
    const maxInv = Math.max(...invoices.map((i) => i.id));

    const ev = await loggedIn(service, 'ann@example.com', USER_PASSWORD);
    // Every method outside an EV user's few is refused, whatever the input.
    for (const method of Object.keys(contract)) {
      if (EV_METHODS.has(method)) continue;
      const r = await ev.call(method, { siteId: A, id: 1, accountId: bob.account.id });
      expect([method, r.ok]).toEqual([method, false]);
    }
    // Own sessions only, in the list, by a filter naming Bob's account, and by guessing ids.
    const list = await ok<{ sessions: { id: number }[] }>(ev, 'session-list', { limit: 500 });
    expect(list.sessions.map((r) => r.id).sort()).toEqual(annTx);
    const named = await ok<{ sessions: unknown[] }>(ev, 'session-list', {
      filter: { accountId: bob.account.id },
    });
    expect(named.sessions).toEqual([]);
    for (let id = 1; id <= maxTx + 2; id++) {
      for (const m of ['session-detail-get', 'session-detail-samples']) {
        const r = await ev.call(m, { id });
        expect([m, id, r.ok]).toEqual([m, id, annTx.includes(id)]);
      }
    }
    // Own invoices only; a PDF ticket for anyone else's invoice is refused like a missing one.
    const mine = await ok<{ accountId: number }[]>(ev, 'my-invoice-list');
    expect(mine.map((i) => i.accountId)).toEqual([ann.account.id]);
    const refusals = new Set<string>();
    for (let id = 1; id <= maxInv + 2; id++) {
      const r = await ev.call('download-ticket-create', { kind: 'invoice-pdf', invoiceId: id });
      const own = invoices.find((i) => i.id === id)?.accountId === ann.account.id;
      expect([id, r.ok]).toEqual([id, own]);
      if (!r.ok) refusals.add(`${r.error.code}: ${r.error.message}`);
    }
    expect([...refusals]).toEqual(['not-found: That invoice no longer exists.']);
    // The sessions CSV holds her rows only, even when it names the site.
    const ticket = await ok<{ url: string }>(ev, 'download-ticket-create', {
      kind: 'sessions-csv',
      filter: { siteId: A },
    });
    const csv = await download(service, ticket.url);
    expect(csv.trim().split('\n')).toHaveLength(1 + annTx.length);
    for (const other of ['BB000002', 'Bob']) expect(csv).not.toContain(other);

    // A manager of site B reaches nothing of site A, by id or by invoice number.
    const bm = await loggedIn(service, 'bmanager@example.com', USER_PASSWORD);
    const bob1 = invoices.find((i) => i.accountId === bob.account.id);
    for (const [m, input] of [
      ['account-get', { id: bob.account.id }],
      ['card-list', { accountId: bob.account.id }],
      ['invoice-get', { id: bob1?.id }],
      ['invoice-void', { id: bob1?.id, reason: 'probe' }],
      ['invoice-mark-paid', { id: bob1?.id, paidAt: Date.now(), reference: null }],
      ['session-detail-get', { id: annTx[0] }],
      ['invoice-list', { siteId: A }],
      ['tariff-assign', { siteId: B, target: 'account', targetId: bob.account.id, tariffId: null }],
      ['download-ticket-create', { kind: 'invoice-pdf', invoiceId: bob1?.id }],
      ['download-ticket-create', { kind: 'sessions-csv', filter: { siteId: A } }],
      ['download-ticket-create', { kind: 'residents-csv', siteId: A }],
    ] as const) {
      const r = await bm.call(m, input);
      expect([m, r.ok]).toEqual([m, false]);
    }
    await ok(bm, 'billing-settings-update', {
      ...settingsInput(B),
      issuerAbn: null,
      gstRegistered: false,
    });
    const pay = await ok<{ problems: { row: number; reason: string }[]; paid: number | null }>(
      bm,
      'invoice-payments-import',
      {
        siteId: B,
        csv: `invoice,amount,date\n${bob1?.number},${((bob1?.totals.incGstCents ?? 0) / 100).toFixed(2)},2026-01-01\n`,
        mode: 'import',
      },
    );
    expect(pay.paid).toBeNull();
    expect(pay.problems[0]?.row).toBe(2);
    expect(
      (await ok<{ summary: { status: string } }>(admin, 'invoice-get', { id: bob1?.id })).summary
        .status,
    ).toBe('issued');

    // Ann's site is taken from her login (she moved to B's building): her old account's
    // sessions and invoices go with it, everywhere (my-account-get already dropped it).
    await ok(admin, 'user-update', { id: annUser.id, siteIds: [B] });
    const moved = await loggedIn(service, 'ann@example.com', USER_PASSWORD);
    expect((await ok<{ accounts: unknown[] }>(moved, 'my-account-get')).accounts).toEqual([]);
    expect(await ok(moved, 'my-invoice-list')).toEqual([]);
    expect((await ok<{ sessions: unknown[] }>(moved, 'session-list', {})).sessions).toEqual([]);
    const annInvoice = invoices.find((i) => i.accountId === ann.account.id);
    expect(
      (
        await moved.call('download-ticket-create', {
          kind: 'invoice-pdf',
          invoiceId: annInvoice?.id,
        })
      ).ok,
    ).toBe(false);
    const t2 = await ok<{ url: string }>(moved, 'download-ticket-create', {
      kind: 'sessions-csv',
      filter: {},
    });
    expect((await download(service, t2.url)).trim().split('\n')).toHaveLength(1);
  });
});
