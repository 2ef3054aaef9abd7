// RFID cards as the source of truth at the charger: a card issued through the API is accepted
// and its sessions belong to its lot's account; a replaced card is refused at once; a lot that
// changes owner sends later sessions to the new owner; an unknown card is refused and listed;
// learn mode captures the tapped card; an EV user sees only their own account.
import { describe, expect, it } from 'vitest';
import { ocppCore, waitFor, type OcppTest } from './helpers';
import { ADMIN_EMAIL, ADMIN_PASSWORD, loginAs } from '../support/factories';

const DAY = 24 * 3600_000;

async function building(o: OcppTest) {
  const { identity } = await o.station();
  const sim = o.sim(identity);
  await sim.start();
  const lot5 = await o.t.ok(o.admin, 'account-create', {
    siteId: o.siteId,
    lotNumber: '5',
    unitNumber: '12',
    ownerNames: 'Jane Citizen',
    invoiceEmails: ['jane@example.com'],
  });
  return { sim, lot5 };
}

/** Charge once with a card: the transaction id and what the charger was told. */
async function charge(sim: Awaited<ReturnType<typeof building>>['sim'], idTag: string) {
  const tx = await sim.startTransaction(1, idTag);
  sim.advanceMeter(1, 600);
  await sim.stopTransaction(1);
  return { id: tx.transactionId ?? 0, status: tx.idTagStatus };
}

describe('RFID cards at the charger', () => {
  it('accepts a card issued through the API and gives its session to the lot’s account', async () => {
    const o = await ocppCore();
    const { sim, lot5 } = await building(o);
    // Printed with separators; stored as the site sends it.
    const card = await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: '04:a2:3b:1c',
      label: 'Jane’s card',
    });
    expect(card.idTag).toBe('04A23B1C');
    expect(await sim.authorize('04A23B1C')).toBe('Accepted');
    const s = await charge(sim, '04A23B1C');
    expect(s.status).toBe('Accepted');
    const sessions = await o.t.ok(o.admin, 'account-sessions', { id: lot5.id });
    expect(sessions.map((x) => [x.id, x.cardId])).toEqual([[s.id, card.id]]);
    expect(sessions[0]?.energyWh).toBeGreaterThan(0);
  });

  it('refuses a replaced card at once and accepts its replacement', async () => {
    const o = await ocppCore();
    const { sim, lot5 } = await building(o);
    const old = await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: '11223344',
    });
    expect(await sim.authorize('11223344')).toBe('Accepted');
    const fresh = await o.t.ok(o.admin, 'card-replace', { id: old.id, number: 'AABBCCDD' });
    expect(await sim.authorize('11223344')).toBe('Blocked');
    expect(await sim.authorize('AABBCCDD')).toBe('Accepted');
    const cards = await o.t.ok(o.admin, 'card-list', { siteId: o.siteId });
    expect(cards.find((c) => c.id === old.id)).toMatchObject({
      status: 'replaced',
      replacedById: fresh.id,
    });
    const audit = await o.t.ok(o.admin, 'audit-list', { method: 'card-replace' });
    expect(audit.entries.length).toBe(1);
  });

  it('sends sessions to whoever owned the lot at the time when it changes hands mid-quarter', async () => {
    const o = await ocppCore();
    const { sim, lot5 } = await building(o);
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: 'A1A1A1A1',
    });
    const before = await charge(sim, 'A1A1A1A1');

    const settlement = o.t.clock.now() + 40 * DAY;
    const { opened } = await o.t.ok(o.admin, 'account-change-owner', {
      id: lot5.id,
      at: settlement,
      ownerNames: 'Sam Buyer',
    });
    expect(opened).toMatchObject({ lotNumber: '5', openedAt: settlement, open: false });
    // Still Jane's until settlement.
    const stillJane = await charge(sim, 'A1A1A1A1');
    // 41 days on, the server has dropped the (silent) charger: it comes back, as one would.
    await sim.goOffline();
    await o.t.clock.advance(41 * DAY);
    await sim.reconnect({ boot: true });
    await o.t.ok(o.admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    // Jane's card stops with her account; Sam's works and his sessions are his.
    expect(await sim.authorize('A1A1A1A1')).toBe('Expired');
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: opened.id,
      number: 'B2B2B2B2',
    });
    const after = await charge(sim, 'B2B2B2B2');

    const jane = await o.t.ok(o.admin, 'account-sessions', { id: lot5.id });
    const sam = await o.t.ok(o.admin, 'account-sessions', { id: opened.id });
    expect(jane.map((s) => s.id).sort()).toEqual([before.id, stillJane.id].sort());
    expect(sam.map((s) => s.id)).toEqual([after.id]);
    // A second account cannot be opened on the lot while one is open.
    const clash = await o.t.fail(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '5',
      ownerNames: 'Someone Else',
    });
    expect(clash).toMatchObject({ code: 'conflict', field: 'lotNumber' });
  });

  it('refuses an unknown card, lists it as recently seen, and issues it in one call', async () => {
    const o = await ocppCore();
    const { sim, lot5 } = await building(o);
    expect(await sim.authorize('DEADBEEF')).toBe('Invalid');
    const unknown = await o.t.ok(o.admin, 'card-unknown-list', { siteId: o.siteId });
    expect(unknown.map((u) => u.idTag)).toEqual(['DEADBEEF']);
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: unknown[0]?.idTag ?? '',
    });
    expect(await o.t.ok(o.admin, 'card-unknown-list', { siteId: o.siteId })).toEqual([]);
    expect(await sim.authorize('DEADBEEF')).toBe('Accepted');
  });

  it('learns the site’s card form from a tapped card, then reads printed numbers in it', async () => {
    const o = await ocppCore();
    const { sim, lot5 } = await building(o);
    // The card says 04 A2 3B 1C; this site's readers send the bytes reversed, in lower case.
    await o.t.ok(o.admin, 'card-learn-start', { siteId: o.siteId, printed: '04 A2 3B 1C' });
    expect(await sim.authorize('1c3ba204')).toBe('Invalid');
    const learnt = await waitFor(async () => {
      const s = await o.t.ok(o.admin, 'card-learn-status', { siteId: o.siteId });
      return s.idTag ? s : null;
    }, 'the learnt card');
    expect(learnt).toMatchObject({
      learning: false,
      idTag: '1c3ba204',
      form: { encoding: 'hex', reversed: true, lowercase: true },
    });
    // The next card, typed as printed, is stored as these chargers send it.
    const card = await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: '0x11223344',
    });
    expect(card.idTag).toBe('44332211');
    expect(await sim.authorize('44332211')).toBe('Accepted');
  });

  it('names a bad or duplicate card number', async () => {
    const o = await ocppCore();
    const { lot5 } = await building(o);
    const bad = await o.t.fail(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: 'CARD-ZZ',
    });
    expect(bad).toMatchObject({ code: 'validation', field: 'number' });
    expect(bad.message).toContain('CARD-ZZ');
    const long = await o.t.fail(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: '0123456789ABCDEF0123456789',
    });
    expect(long.message).toContain('at most 20');
    await o.t.ok(o.admin, 'card-issue', { siteId: o.siteId, accountId: lot5.id, number: 'ABCD' });
    const dup = await o.t.fail(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: 'ab:cd',
    });
    expect(dup).toMatchObject({ code: 'conflict', field: 'number' });
  });

  it('shows an EV user only their own account, even calling the API directly', async () => {
    const o = await ocppCore();
    const { sim, lot5 } = await building(o);
    const lot6 = await o.t.ok(o.admin, 'account-create', {
      siteId: o.siteId,
      lotNumber: '6',
      ownerNames: 'Other Owner',
    });
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot5.id,
      number: '55555555',
    });
    await o.t.ok(o.admin, 'card-issue', {
      siteId: o.siteId,
      accountId: lot6.id,
      number: '66666666',
    });
    await charge(sim, '55555555');
    await charge(sim, '66666666');
    const jane = await o.t.ok(o.admin, 'resident-create', {
      accountId: lot5.id,
      firstName: 'Jane',
      lastName: 'Citizen',
      email: 'jane@example.com',
    });
    const { conn, user } = await loginAs(o.t, o.admin, 'ev_user', [o.siteId]);
    await o.t.ok(o.admin, 'resident-login-set', { id: jane.id, userId: user.id });

    const mine = await o.t.ok(conn, 'my-account-get', {});
    expect(mine.accounts.map((a) => a.lotNumber)).toEqual(['5']);
    expect(mine.cards.map((c) => c.idTag)).toEqual(['55555555']);
    expect(mine.sessions.map((s) => s.idTag)).toEqual(['55555555']);
    // Another account's data, named directly: refused.
    for (const [method, input] of [
      ['account-get', { id: lot6.id }],
      ['account-sessions', { id: lot6.id }],
      ['card-list', { siteId: o.siteId, accountId: lot6.id }],
      ['account-list', { siteId: o.siteId }],
      ['transaction-list', {}],
    ] as const) {
      const e = await o.t.fail(conn, method, input);
      expect([method, e.code]).toEqual([method, 'forbidden']);
    }
  });
});
