// The station's OCPP message log exported as a streamed download (ocpp-log-csv): exactly the
// messages its log tab lists for the same filter, every one of them rather than a page, with the
// payload and the charger's answer; nothing of a site the caller may not see.
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import type { Readable } from 'node:stream';
import { ocppCore } from '../../ocpp/helpers';
import { aSite, loginAs } from '../../support/factories';
import { isRefusal } from '../../../src-main/downloads/service';

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('OCPP message log CSV (streamed download)', () => {
  it('holds every message the log lists for the filter, oldest first, with payload and answer', async () => {
    const o = await ocppCore();
    const a = await o.station();
    const b = await o.station();
    const simA = o.sim(a.identity);
    await simA.start();
    await o.sim(b.identity).start();
    for (let i = 0; i < 60; i++) await simA.statusNotification(1, i % 2 ? 'Charging' : 'Available');
    const filter = { stationId: a.id, action: 'StatusNotification' };
    const listed = await o.t.ok(o.admin, 'ocpp-log-list', { ...filter, limit: 1000 });
    expect(listed.total).toBeGreaterThan(60);

    const ticket = await o.t.ok(o.admin, 'download-ticket-create', {
      kind: 'ocpp-log-csv',
      filter,
    });
    expect(ticket.fileName).toMatch(new RegExp(`^${a.identity}-ocpp-log-\\d{8}\\.csv$`));
    const body = o.t.core.services.downloads.redeem(ticket.url.split('/').pop() ?? '');
    if (isRefusal(body)) throw new Error(body.message);
    expect(body.contentType).toBe('text/csv; charset=utf-8');
    const csv = Papa.parse<Record<string, string>>(
      (await text(body.stream)).replace(/^\ufeff/, ''),
      {
        header: true,
        skipEmptyLines: true,
      },
    );
    expect(csv.errors).toEqual([]);
    // The list is newest first, the file oldest first: the same messages.
    expect(csv.data.map((r) => r.message_id)).toEqual(
      listed.entries.map((e) => e.messageId).reverse(),
    );
    expect(new Set(csv.data.map((r) => r.identity))).toEqual(new Set([a.identity]));
    const last = csv.data[csv.data.length - 1];
    expect(JSON.parse(last?.payload ?? '')).toMatchObject({ connectorId: 1, status: 'Charging' });
    expect(last?.answer).toBe('{}');
    expect(last?.direction).toBe('in');
  });

  it('refuses a station of another site, and lists only the caller’s sites without one', async () => {
    const o = await ocppCore();
    const mine = await o.station();
    await o.sim(mine.identity).start();
    const other = await o.t.ok(o.admin, 'site-create', aSite());
    const theirs = await o.t.ok(o.admin, 'station-create', {
      siteId: other.id,
      identity: 'OTHER-SITE-1',
      name: 'Bay 1',
      connectorCount: 1,
    });
    await o.sim(theirs.identity).start();
    const { conn } = await loginAs(o.t, o.admin, 'site_admin', [other.id]);
    const refused = await o.t.fail(conn, 'download-ticket-create', {
      kind: 'ocpp-log-csv',
      filter: { stationId: mine.id },
    });
    expect(refused.code).toBe('forbidden');
    const ticket = await o.t.ok(conn, 'download-ticket-create', {
      kind: 'ocpp-log-csv',
      filter: {},
    });
    const body = o.t.core.services.downloads.redeem(ticket.url.split('/').pop() ?? '');
    if (isRefusal(body)) throw new Error(body.message);
    const rows = Papa.parse<Record<string, string>>(
      (await text(body.stream)).replace(/^\ufeff/, ''),
      {
        header: true,
        skipEmptyLines: true,
      },
    ).data;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.identity))).toEqual(new Set(['OTHER-SITE-1']));
  });
});
