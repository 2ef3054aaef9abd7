// Alarm email: immediate (per user: severities, sites, quiet hours on the site's clock) received
// by a real SMTP server, and the daily digest at its local time across a daylight-saving change,
// driven by the ManualClock through the scheduler.
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ocppCore, waitFor, type OcppTest } from '../../ocpp/helpers';
import { SMTP_PASSWORD, SMTP_USER, startSmtp, until, type TestSmtp } from '../../support/smtp';
import { ADMIN_EMAIL, ADMIN_PASSWORD, loginAs } from '../../support/factories';
import { ManualClock } from '../../../src-main/platform/clock';
import { mailOutbox } from '../../../src-main/db/schema';
import { DEFAULT_ALARM_PREFS } from '../../../src-shared/alarms';
import type { Connection } from '../../../src-main/api/context';

async function withMail(o: OcppTest): Promise<TestSmtp> {
  const smtp = await startSmtp();
  await o.t.ok(o.admin, 'mail-settings-update', {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    user: SMTP_USER,
    password: SMTP_PASSWORD,
    from: 'alarms@strata.example',
  });
  return smtp;
}

const prefs = (o: OcppTest, conn: Connection, p: Partial<typeof DEFAULT_ALARM_PREFS>) =>
  o.t.ok(conn, 'alarm-prefs-set', { ...DEFAULT_ALARM_PREFS, ...p });

const subjectOf = (raw: string) => /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';

/** The message as the recipient reads it (quoted-printable undone). */
const bodyOf = (raw: string) =>
  Buffer.from(
    raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

const alarmMails = (o: OcppTest, kind: string) =>
  o.t.core.db.select().from(mailOutbox).where(eq(mailOutbox.kind, kind)).all();

/** Makes the next backup fail (a file where the folder should be): an organisation-wide alarm. */
async function failBackup(o: OcppTest) {
  writeFileSync(join(o.t.dataDir, 'backups'), 'not a folder');
  await expect(o.t.core.services.backup.create()).rejects.toThrow();
  rmSync(join(o.t.dataDir, 'backups'));
}

describe('alarm notifications', () => {
  it('email a new critical alarm at once to those who asked, once (repeats fold), on a real SMTP server', async () => {
    const o = await ocppCore();
    const smtp = await withMail(o);
    await prefs(o, o.admin, { emailSeverities: ['critical', 'warning'] });
    const { conn: quietUser, user: warningOnly } = await loginAs(o.t, o.admin, 'support');
    await prefs(o, quietUser, { emailSeverities: ['warning'] });
    const st = await o.station({ name: 'Bay 12' });
    const sim = o.sim(st.identity);
    await sim.start();

    await sim.statusNotification(1, 'Faulted', 'GroundFailure', { info: 'RCD tripped' });
    const mail = await until(() => smtp.received[0], 'the alarm email');
    expect(mail.to).toEqual([ADMIN_EMAIL]);
    expect(subjectOf(mail.raw)).toBe(
      `[StrataCharge] Critical: Bay 12 (${st.identity}) outlet 1: ground failure`,
    );
    const body = bodyOf(mail.raw);
    expect(body).toContain('Detail: RCD tripped');
    expect(body).toContain('Site: Harbour View');
    // 09:00 UTC is 8:00 pm in Sydney (daylight time).
    expect(body).toContain('Since: 2 Mar 2026, 8:00 pm AEDT');

    // The same fault again folds into the alarm: no second email.
    await sim.statusNotification(1, 'Faulted', 'GroundFailure');
    await waitFor(async () => {
      const [a] = (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms;
      return a?.count === 2;
    }, 'the repeat');
    // A warning goes to both (the support user asked for warnings only).
    await sim.statusNotification(1, 'Available', 'OtherError', { vendorErrorCode: 'E7' });
    await until(() => smtp.received.length === 3, 'the warning emails');
    expect(smtp.received.filter((m) => m.to.includes(warningOnly.email))).toHaveLength(1);
    expect(alarmMails(o, 'alarm')).toHaveLength(3);
  });

  it('keep quiet hours on the site’s clock, and only sites the user chose', async () => {
    const o = await ocppCore();
    const smtp = await withMail(o);
    // 09:00 UTC = 20:00 in Sydney: inside 19:00–07:00.
    await prefs(o, o.admin, {
      emailSeverities: ['critical'],
      quietFrom: '19:00',
      quietTo: '07:00',
    });
    const { conn: other, user: awake } = await loginAs(o.t, o.admin, 'support');
    await prefs(o, other, { emailSeverities: ['critical'] });
    const { conn: elsewhere } = await loginAs(o.t, o.admin, 'support');
    const otherSite = await o.t.ok(o.admin, 'site-create', {
      name: 'Other building',
      timeZone: 'Australia/Perth',
    });
    await prefs(o, elsewhere, { emailSeverities: ['critical'], siteIds: [otherSite.id] });
    const st = await o.station();
    const sim = o.sim(st.identity);
    await sim.start();

    await sim.statusNotification(1, 'Faulted', 'OverCurrentFailure');
    await until(() => smtp.received.length === 1, 'the awake user’s email');
    // Queued in the same transaction: had the others been due, they would be in the outbox.
    expect(alarmMails(o, 'alarm').map((m) => JSON.parse(m.recipients) as string[])).toEqual([
      [awake.email],
    ]);

    // Next morning 09:00 in Sydney: outside quiet hours.
    o.t.clock.set(Date.UTC(2026, 2, 2, 22, 0));
    await sim.statusNotification(1, 'Faulted', 'HighTemperature');
    await until(() => smtp.received.length === 3, 'both emails');
    expect(
      smtp.received
        .slice(1)
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual([ADMIN_EMAIL, awake.email].sort());
  });

  it('refuse preferences that name another site or half of the quiet hours', async () => {
    const o = await ocppCore();
    const otherSite = await o.t.ok(o.admin, 'site-create', {
      name: 'Elsewhere',
      timeZone: 'Australia/Sydney',
    });
    const { conn } = await loginAs(o.t, o.admin, 'site_admin', [o.siteId]);
    const foreign = await o.t.fail(conn, 'alarm-prefs-set', {
      ...DEFAULT_ALARM_PREFS,
      siteIds: [otherSite.id],
    });
    expect(foreign).toMatchObject({ code: 'forbidden', field: 'siteIds' });
    const half = await o.t.fail(conn, 'alarm-prefs-set', {
      ...DEFAULT_ALARM_PREFS,
      quietFrom: '22:00',
    });
    expect(half).toMatchObject({ code: 'validation', field: 'quietTo' });
    const badTime = await o.t.fail(conn, 'alarm-prefs-set', {
      ...DEFAULT_ALARM_PREFS,
      digestAt: '7am',
    });
    expect(badTime).toMatchObject({ code: 'validation', field: 'digestAt' });
    expect(await o.t.ok(conn, 'alarm-prefs-get', {})).toMatchObject({ quietFrom: null });
  });

  it('send the daily digest at 07:00 in the site’s zone, before and after daylight saving ends', async () => {
    // Sydney: daylight time (UTC+11) ends at 03:00 on Sunday 5 April 2026 (back to UTC+10).
    const o = await ocppCore({
      clock: new ManualClock(Date.UTC(2026, 3, 3, 12, 0)), // Fri 23:00 AEDT
      // The balancing review (every 30 s) would make the clock stop 5,000 times on the way.
      balancing: { reviewMs: 6 * 3_600_000 },
    });
    const smtp = await withMail(o);
    const saved = await prefs(o, o.admin, { digest: true, digestAt: '07:00' });
    expect(saved.digestJobs).toBe(1);
    await failBackup(o);

    await o.t.clock.advance(Date.UTC(2026, 3, 4, 21, 30) - o.t.clock.now());
    const digests = alarmMails(o, 'alarm-digest');
    expect(digests.map((m) => new Date(m.createdAt).toISOString())).toEqual([
      '2026-04-03T20:00:00.000Z', // Sat 07:00 AEDT
      '2026-04-04T21:00:00.000Z', // Sun 07:00 AEST
    ]);
    await until(() => smtp.received.length === 2, 'both digests delivered');
    expect(subjectOf(smtp.received[0]?.raw ?? '')).toBe(
      '[StrataCharge] Daily alarm digest: 1 active alarm',
    );
    expect(bodyOf(smtp.received[1]?.raw ?? '')).toContain(
      'Critical: A backup could not be written',
    );

    // Nothing active: no digest on Monday.
    await o.t.core.services.backup.create();
    await o.t.clock.advance(24 * 3_600_000);
    expect(alarmMails(o, 'alarm-digest')).toHaveLength(2);

    // Turned off: the job goes (logged in again: days have passed).
    const again = o.t.conn();
    await o.t.ok(again, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect((await prefs(o, again, { digest: false })).digestJobs).toBe(0);
  });

  it('do not email the "could not be delivered" alarm through a mail server that is failing', async () => {
    const o = await ocppCore();
    const smtp = await startSmtp({ refuse: ['nobody@example.com'] });
    const settings = {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none' as const,
      user: SMTP_USER,
      from: 'alarms@strata.example',
    };
    await o.t.ok(o.admin, 'mail-settings-update', { ...settings, password: 'not the password' });
    await prefs(o, o.admin, { emailSeverities: ['critical', 'warning'] });
    const outbox = o.t.core.services.mail.outbox;
    const send = (to: string, subject: string) =>
      o.t.core.db.transaction((tx) =>
        outbox.enqueue(tx, { kind: 'invoice', to: [to], subject, text: 'x' }),
      );
    const activeAlarms = async () =>
      (await o.t.ok(o.admin, 'alarm-list', { view: 'active' })).alarms;

    // A wrong password: the invoice fails, the alarm is raised (in the app), and no alarm email
    // is queued to fail the same way (it would be queued in the raise's own transaction).
    send('owner@example.com', 'Invoice 1');
    const [alarm] = await waitFor(async () => {
      const l = await activeAlarms();
      return l.length ? l : null;
    }, 'the email alarm');
    expect(alarm).toMatchObject({ rule: 'email-failed', title: 'An email could not be delivered' });
    expect(alarm?.detail).toContain('refused the user name or password');
    const rows = o.t.core.db.select().from(mailOutbox).all();
    expect(rows.map((r) => [r.kind, r.state])).toEqual([['invoice', 'failed']]);

    // A refused recipient is not the server failing: that alarm is emailed (and delivered).
    await o.t.ok(o.admin, 'alarm-clear', { id: alarm?.id ?? 0, reason: 'password fixed' });
    await o.t.ok(o.admin, 'mail-settings-update', { ...settings, password: SMTP_PASSWORD });
    send('nobody@example.com', 'Invoice 2');
    await until(() => smtp.received.length === 1, 'the alarm email');
    expect(subjectOf(smtp.received[0]?.raw ?? '')).toContain('An email could not be delivered');
    expect(alarmMails(o, 'alarm')).toHaveLength(1);
  });
});
