// The three alarm views as streamed CSV: the same filter as the page, the caller's sites only,
// times in UTC and on the site's clock; and an email that cannot be delivered raises an alarm.
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import { download } from '../../support/download';
import { aSite, aStation, loginAs } from '../../support/factories';
import { startSmtp, SMTP_PASSWORD, SMTP_USER } from '../../support/smtp';
import type { MethodInput } from '../../../src-shared/api/contract';
import type { Connection } from '../../../src-main/api/context';

type AlarmsCsv = Extract<MethodInput<'download-ticket-create'>, { kind: 'alarms-csv' }>;

async function csv(o: OcppTest, conn: Connection, req: Omit<AlarmsCsv, 'kind'>) {
  const { fileName, body } = await download(o.t, conn, { kind: 'alarms-csv', ...req });
  const text = body.toString('utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  const rows = Papa.parse<Record<string, string>>(text.slice(1), {
    header: true,
    skipEmptyLines: true,
  }).data;
  return { fileName, rows };
}

describe('alarm exports', () => {
  it('stream active alarms, history and the event log as CSV, filtered and scoped like the pages', async () => {
    const o = await ocppCore();
    const a = await o.station({ name: 'Bay A' });
    const other = await o.t.ok(o.admin, 'site-create', aSite({ timeZone: 'Australia/Perth' }));
    const b = await o.t.ok(o.admin, 'station-create', aStation(other.id, { name: 'Bay B' }));
    const simA = o.sim(a.identity);
    const simB = o.sim(b.identity);
    await simA.start();
    await simB.start();
    await simA.statusNotification(1, 'Faulted', 'GroundFailure', { info: 'RCD, "tripped"' });
    await simB.statusNotification(1, 'Faulted', 'WeakSignal');
    await waitFor(
      async () => (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).total === 2,
      'two alarms',
    );

    const all = await csv(o, o.admin, { view: 'active', filter: {} });
    expect(all.fileName).toMatch(/^alarms-active-\d{8}\.csv$/);
    expect(all.rows.map((r) => r.charger).sort()).toEqual(['Bay A', 'Bay B']);
    const rowA = all.rows.find((r) => r.charger === 'Bay A');
    expect(rowA).toMatchObject({
      severity: 'critical',
      rule: 'connector-fault',
      detail: 'RCD, "tripped"',
      count: '1',
      state: 'active',
      first_utc: '2026-03-02T09:00:00.000Z',
      first_local: '2026-03-02 20:00:00 AEDT',
    });
    expect(all.rows.find((r) => r.charger === 'Bay B')?.first_local).toBe(
      '2026-03-02 17:00:00 AWST',
    );

    const filtered = await csv(o, o.admin, { view: 'active', filter: { text: 'weak' } });
    expect(filtered.rows.map((r) => r.charger)).toEqual(['Bay B']);

    // A site administrator gets their site's rows only, and may not name another site.
    const { conn: siteAdmin } = await loginAs(o.t, o.admin, 'site_admin', [other.id]);
    expect(
      (await csv(o, siteAdmin, { view: 'active', filter: {} })).rows.map((r) => r.charger),
    ).toEqual(['Bay B']);
    const refused = await o.t.fail(siteAdmin, 'download-ticket-create', {
      kind: 'alarms-csv',
      view: 'active',
      filter: { siteId: o.siteId },
    });
    expect(refused.code).toBe('forbidden');
    expect(
      (await o.t.fail(siteAdmin, 'download-ticket-create', { kind: 'audit-csv', filter: {} })).code,
    ).toBe('forbidden');

    await simA.statusNotification(1, 'Available');
    await waitFor(
      async () => (await o.t.ok(o.admin, 'alarm-list', { view: 'history' })).total === 1,
      'one cleared',
    );
    const hist = await csv(o, o.admin, { view: 'history', filter: {} });
    expect(hist.rows).toHaveLength(1);
    expect(hist.rows[0]).toMatchObject({ charger: 'Bay A', cleared_by: 'cleared itself' });
    const events = await csv(o, o.admin, { view: 'events', filter: { kind: 'raised' } });
    expect(events.rows.map((r) => r.event)).toEqual(['raised', 'raised']);
  });

  it('raise an alarm when an email cannot be delivered, and close it when one goes out', async () => {
    const o = await ocppCore();
    const smtp = await startSmtp({ refuse: ['nobody@example.com'] });
    await o.t.ok(o.admin, 'mail-settings-update', {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: SMTP_USER,
      password: SMTP_PASSWORD,
      from: 'alarms@strata.example',
    });
    const mail = o.t.core.services.mail.outbox;
    o.t.core.db.transaction((tx) =>
      mail.enqueue(tx, {
        kind: 'invoice',
        to: ['nobody@example.com'],
        subject: 'Invoice 7',
        text: 'x',
      }),
    );
    const [a] = await waitFor(async () => {
      const l = (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms;
      return l.length ? l : null;
    }, 'the email alarm');
    expect(a).toMatchObject({ rule: 'email-failed', siteId: null, severity: 'warning' });
    expect(a?.detail).toContain('“Invoice 7”');
    o.t.core.db.transaction((tx) =>
      mail.enqueue(tx, {
        kind: 'invoice',
        to: ['someone@example.com'],
        subject: 'Invoice 8',
        text: 'x',
      }),
    );
    await waitFor(
      async () => (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).total === 0,
      'the alarm to close',
    );
  });
});
