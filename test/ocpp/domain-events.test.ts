// Domain events (platform/domain-events.ts): delivered only after the charger's messages are
// committed (a second database connection can read them), in order per station, and a
// subscriber that throws changes nothing for the charger.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, rawSocket, waitFor } from './helpers';
import type { DomainEvent } from '../../src-main/platform/domain-events';

const iso = (ms: number) => new Date(ms).toISOString();

/** The frames a charger sends for one charging session, with ids prefixed by `tag`. */
function session(tag: string, now: number): unknown[][] {
  return [
    [2, `${tag}-1`, 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }],
    [
      2,
      `${tag}-2`,
      'StatusNotification',
      { connectorId: 1, status: 'Preparing', errorCode: 'NoError', timestamp: iso(now) },
    ],
    [
      2,
      `${tag}-3`,
      'StartTransaction',
      { connectorId: 1, idTag: 'T1', meterStart: 1000, timestamp: iso(now) },
    ],
  ];
}

function meterFrame(tag: string, transactionId: number, at: number, wh: number) {
  return [
    2,
    tag,
    'MeterValues',
    {
      connectorId: 1,
      transactionId,
      meterValue: [
        {
          timestamp: iso(at),
          sampledValue: [
            { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
            { value: '7200', measurand: 'Power.Active.Import', unit: 'W' },
            { value: '10.5', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
            { value: '10.25', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
            { value: '9.75', measurand: 'Current.Import', phase: 'L3', unit: 'A' },
            { value: '55', measurand: 'SoC', unit: 'Percent' },
          ],
        },
      ],
    },
  ];
}

async function answerTo(messages: unknown[], id: string) {
  return waitFor(
    () => messages.find((m) => Array.isArray(m) && m[1] === id) as unknown[] | undefined,
    `answer to ${id}`,
  );
}

describe('domain events', () => {
  it('arrive after their data is committed (readable on another connection), in order per station', async () => {
    const o = await ocppCore();
    const a = await o.station();
    const b = await o.station();
    // Another connection sees committed data only: what a subscriber elsewhere would read.
    const reader = new Database(join(o.t.dataDir, 'stratacharge.db'), { readonly: true });
    onTestFinished(() => {
      reader.close();
    });
    const readable = (e: DomainEvent): boolean => {
      switch (e.type) {
        case 'station.booted':
          return (
            reader
              .prepare('SELECT 1 FROM stations WHERE id = ? AND vendor = ?')
              .get(e.stationId, e.vendor) !== undefined
          );
        case 'connector.status':
          return (
            reader
              .prepare(
                'SELECT 1 FROM connectors WHERE station_id = ? AND connector_number = ? AND status = ?',
              )
              .get(e.stationId, e.connectorNumber, e.status) !== undefined
          );
        case 'transaction.started':
          return (
            reader.prepare('SELECT 1 FROM transactions WHERE id = ?').get(e.transactionId) !==
            undefined
          );
        case 'transaction.meter':
          return (
            reader
              .prepare(
                'SELECT 1 FROM meter_values WHERE transaction_id = ? AND current_l3_a = 9.75 AND soc_percent = 55',
              )
              .get(e.transactionId) !== undefined
          );
        case 'transaction.stopped':
          return (
            reader
              .prepare(`SELECT 1 FROM transactions WHERE id = ? AND status = 'completed'`)
              .get(e.transactionId) !== undefined
          );
        default:
          return true;
      }
    };
    const seen: { type: string; stationId: number | null; readable: boolean }[] = [];
    let meter: DomainEvent | undefined;
    o.t.core.services.domainEvents.subscribeAll((e) => {
      if (!('stationId' in e) || (e.stationId !== a.id && e.stationId !== b.id)) return;
      // What the alarms make of these (the flag) is theirs, not the chargers' order.
      if (e.type.startsWith('alarm.')) return;
      seen.push({ type: e.type, stationId: e.stationId, readable: readable(e) });
      if (e.type === 'transaction.meter' && e.stationId === a.id) meter = e;
    });

    const now = o.t.clock.now();
    const sockets = await Promise.all([rawSocket(o.url, a.identity), rawSocket(o.url, b.identity)]);
    // Both chargers' sessions sent back to back, interleaved: they share group commits.
    for (let i = 0; i < 3; i++)
      for (const [k, s] of sockets.entries())
        s.ws.send(JSON.stringify(session(k ? 'b' : 'a', now)[i]));
    const txIds: number[] = [];
    for (const [k, s] of sockets.entries()) {
      const started = await answerTo(s.messages, `${k ? 'b' : 'a'}-3`);
      txIds.push((started[2] as { transactionId: number }).transactionId);
    }
    for (const [k, s] of sockets.entries()) {
      const tag = k ? 'b' : 'a';
      s.ws.send(JSON.stringify(meterFrame(`${tag}-4`, txIds[k] as number, now + 60_000, 1500)));
      s.ws.send(
        JSON.stringify([
          2,
          `${tag}-5`,
          'StopTransaction',
          {
            transactionId: txIds[k],
            meterStop: 1800,
            timestamp: iso(now + 120_000),
            reason: 'Local',
          },
        ]),
      );
    }
    for (const [k, s] of sockets.entries()) await answerTo(s.messages, `${k ? 'b' : 'a'}-5`);
    await waitFor(() => seen.filter((e) => e.type === 'transaction.stopped').length === 2, 'stops');

    const expected = [
      'station.connected',
      'station.booted',
      'connector.status',
      'transaction.started',
      // T1 is no known card: kept and flagged for review, after the start it belongs to.
      'transaction.flagged',
      'transaction.meter',
      'transaction.stopped',
    ];
    for (const st of [a, b])
      expect(seen.filter((e) => e.stationId === st.id).map((e) => e.type)).toEqual(expected);
    expect(seen.filter((e) => !e.readable)).toEqual([]);
    expect(meter).toMatchObject({
      energyWh: 500,
      powerW: 7200,
      currentA: { L1: 10.5, L2: 10.25, L3: 9.75 },
      socPercent: 55,
    });
  });

  it('a subscriber that throws is logged with the event type; the charger gets its answer and other subscribers their events', async () => {
    const o = await ocppCore();
    const st = await o.station();
    const domain = o.t.core.services.domainEvents;
    domain.subscribe('transaction.started', () => {
      throw new Error('subscriber bug');
    });
    const others: number[] = [];
    domain.subscribe('transaction.started', (e) => others.push(e.transactionId));
    const uiStarts: number[] = [];
    o.t.core.events.subscribe((e) => {
      if (e.type === 'transaction-started') uiStarts.push(e.transactionId);
    });
    const { ws, messages } = await rawSocket(o.url, st.identity);
    const now = o.t.clock.now();
    ws.send(
      JSON.stringify([
        2,
        's1',
        'StartTransaction',
        { connectorId: 1, idTag: 'T1', meterStart: 0, timestamp: iso(now) },
      ]),
    );
    const answer = await answerTo(messages, 's1');
    expect(answer[0]).toBe(3);
    const txId = (answer[2] as { transactionId: number }).transactionId;
    expect(txId).toBeGreaterThan(0);
    await waitFor(() => others.length && uiStarts.length, 'the other subscribers');
    expect(others).toEqual([txId]);
    expect(uiStarts).toEqual([txId]);
    expect(
      o.t.logger.entries.filter(
        (e) =>
          e.msg === 'domain event subscriber failed' && e.fields.type === 'transaction.started',
      ),
    ).toHaveLength(1);
  });

  it('events of a rolled back transaction are never delivered', async () => {
    const o = await ocppCore();
    const domain = o.t.core.services.domainEvents;
    const got: string[] = [];
    domain.subscribeAll((e) => got.push(e.type));
    const db = o.t.core.db;
    const card = {
      type: 'card.changed',
      cardId: 1,
      siteId: o.siteId,
      change: 'added',
      at: 0,
    } as const;
    expect(() =>
      domain.transaction(
        (fn) => db.transaction(() => fn()),
        () => {
          domain.publish(card);
          throw new Error('rolled back');
        },
      ),
    ).toThrow('rolled back');
    domain.transaction(
      (fn) => db.transaction(() => fn()),
      () => {
        domain.publish({ ...card, cardId: 2 });
        // Not delivered inside the transaction.
        expect(got).toEqual([]);
      },
    );
    expect(got).toEqual(['card.changed']);
  });
});
