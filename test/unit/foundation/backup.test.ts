import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core';
import { DatabaseOpenError } from '../../../src-main/db/open';
import { DateTime } from 'luxon';
import { backupStamp, newestBackup, restoreBackupFile } from '../../../src-main/backup/files';
import { makeCore } from '../../support/make-core';
import { ManualClock } from '../../../src-main/platform/clock';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  aFloor,
  aSite,
  aStation,
  setupAdmin,
} from '../../support/factories';

/** A wall-clock time in the site's zone (setup creates the site in Australia/Sydney). */
const local = (y: number, mo: number, d: number, h: number, mi = 0) =>
  DateTime.fromObject(
    { year: y, month: mo, day: d, hour: h, minute: mi },
    { zone: 'Australia/Sydney' },
  ).toMillis();
/** A scheduled backup's file name: stamped in the machine's local time. */
const scheduledName = (t: number) => `stratacharge-${backupStamp(t)}-scheduled.db`;

describe('backups', () => {
  it('create, list and restore round trip: later data disappears, a pre-restore backup exists', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    await t.ok(admin, 'station-create', aStation(site.id, { identity: 'KEEP-1' }));
    const backup = await t.ok(admin, 'backup-create', {});
    expect(backup).toMatchObject({ kind: 'manual' });
    expect(backup.fileName).toMatch(/^stratacharge-\d{8}-\d{6}-manual\.db$/);
    expect(backup.sizeBytes).toBeGreaterThan(0);
    expect(existsSync(join(t.dataDir, 'backups', backup.fileName))).toBe(true);

    t.clock.advance(60_000);
    await t.ok(admin, 'station-create', aStation(site.id, { identity: 'LATER-1' }));
    const laterSite = await t.ok(admin, 'site-create', aSite({ name: 'Later Site' }));
    await t.ok(admin, 'floor-create', aFloor(laterSite.id));

    t.clock.advance(60_000);
    await t.ok(admin, 'backup-restore', { fileName: backup.fileName });

    // The restoring administrator's session survives (same account in the backup).
    const identities = (await t.ok(admin, 'station-list', {})).map((s) => s.identity);
    expect(identities).toEqual(['KEEP-1']);
    expect((await t.ok(admin, 'site-list', {})).map((s) => s.name)).toEqual(['Harbour View']);
    const list = await t.ok(admin, 'backup-list', {});
    expect(list.map((b) => b.kind)).toEqual(['pre-restore', 'manual']);
    // The pre-restore backup holds the data from just before the restore.
    await t.ok(admin, 'backup-restore', { fileName: list[0]?.fileName ?? '' });
    expect((await t.ok(admin, 'station-list', {})).map((s) => s.identity).sort()).toEqual([
      'KEEP-1',
      'LATER-1',
    ]);
    // The restore is in the (restored) audit log, and the data is intact.
    expect((await t.ok(admin, 'audit-list', { method: 'backup-restore' })).total).toBeGreaterThan(
      0,
    );
    expect(await t.ok(admin, 'system-integrity-check', {})).toEqual({ ok: true, messages: ['ok'] });
    // New rows still get fresh ids and foreign keys are enforced again.
    await t.ok(admin, 'station-create', aStation(site.id));
    expect(() =>
      t.core.db.$client
        .prepare(
          'INSERT INTO floors (site_id, name, level, created_at, updated_at) VALUES (999, ?, 0, 0, 0)',
        )
        .run('x'),
    ).toThrow(/FOREIGN KEY/);
  });

  it('refuses a file that is not a StrataCharge database, and leaves the data alone', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    await t.ok(admin, 'station-create', aStation(site.id, { identity: 'SAFE-1' }));
    const bogus = 'stratacharge-20260101-020000-manual.db';
    mkdirSync(join(t.dataDir, 'backups'), { recursive: true });
    writeFileSync(join(t.dataDir, 'backups', bogus), 'this is not a database '.repeat(100));
    const e = await t.fail(admin, 'backup-restore', { fileName: bogus });
    expect(e.code).toBe('validation');
    expect(e.message).toContain('not a StrataCharge database');
    expect((await t.ok(admin, 'station-list', {})).map((s) => s.identity)).toEqual(['SAFE-1']);
    expect((await t.ok(admin, 'backup-list', {})).map((b) => b.kind)).toEqual(['manual']); // no pre-restore
  });

  it('refuses paths outside the backups folder', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    for (const fileName of ['../stratacharge.db', '/etc/passwd', 'sub\\file.db']) {
      const e = await t.fail(admin, 'backup-restore', { fileName });
      expect(e).toMatchObject({ code: 'validation', field: 'fileName' });
    }
    expect((await t.fail(admin, 'backup-restore', { fileName: 'nope.db' })).code).toBe(
      'validation',
    );
  });

  it('a restore whose ATTACH fails leaves foreign keys enforced on the live connection', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const { fileName } = await t.ok(admin, 'backup-create', {});
    const sqlite = t.core.db.$client;
    // Fill SQLite's attached-database slots (10 unless compiled otherwise) so the restore's
    // ATTACH fails after it switched foreign keys off.
    const fillers: string[] = [];
    for (let i = 0; i < 200; i++) {
      try {
        sqlite.prepare(`ATTACH DATABASE ':memory:' AS filler${i}`).run();
        fillers.push(`filler${i}`);
      } catch {
        break;
      }
    }
    const e = await t.fail(admin, 'backup-restore', { fileName });
    for (const name of fillers) sqlite.prepare(`DETACH DATABASE ${name}`).run();
    expect(e.code).toBe('internal');
    expect(e.message).not.toMatch(/attached/i);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('a damaged backup schedule setting reads as the defaults', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    t.core.db.$client
      .prepare(
        "INSERT INTO settings (key, value, updated_at) VALUES ('backup.schedule', '{oops', 0)",
      )
      .run();
    expect(await t.ok(admin, 'backup-settings-get', {})).toEqual({
      enabled: true,
      hour: 2,
      keep: 14,
      timeZone: 'Australia/Sydney',
    });
  });

  it('takes one scheduled backup a day at the configured hour and keeps the newest N', async () => {
    const t = await makeCore({ clock: new ManualClock(local(2026, 3, 31, 12)) });
    const { admin } = await setupAdmin(t);
    expect(await t.ok(admin, 'backup-settings-get', {})).toEqual({
      enabled: true,
      hour: 2,
      keep: 14,
      timeZone: 'Australia/Sydney',
    });
    await t.ok(admin, 'backup-settings-update', { enabled: true, hour: 3, keep: 3 });
    await t.ok(admin, 'backup-create', {}); // manual ones are never pruned

    const backup = t.core.services.backup;
    // Today's 03:00 has passed: caught up at once.
    expect((await backup.runScheduleIfDue())?.kind).toBe('scheduled');
    for (let day = 1; day <= 5; day++) {
      t.clock.set(local(2026, 4, day, 2, 59));
      expect(await backup.runScheduleIfDue(), `day ${day} before the hour`).toBeNull();
      t.clock.set(local(2026, 4, day, 3, 0));
      expect((await backup.runScheduleIfDue())?.kind).toBe('scheduled');
      t.clock.set(local(2026, 4, day, 3, 1));
      expect(await backup.runScheduleIfDue(), 'once a day').toBeNull();
    }
    // Days have passed: the old session expired.
    await t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const list = await t.ok(admin, 'backup-list', {});
    const scheduled = list.filter((b) => b.kind === 'scheduled').map((b) => b.fileName);
    // Across the end of daylight saving (5 April): still 03:00 in Sydney.
    expect(scheduled).toEqual([5, 4, 3].map((day) => scheduledName(local(2026, 4, day, 3, 0))));
    expect(list.filter((b) => b.kind === 'manual')).toHaveLength(1);

    // A machine that was off at 03:00 catches up when it comes back later that day.
    t.clock.set(local(2026, 4, 6, 17, 30));
    expect((await backup.runScheduleIfDue())?.fileName).toBe(
      scheduledName(local(2026, 4, 6, 17, 30)),
    );
    backup.updateSettings({ enabled: false, hour: 3, keep: 3 });
    t.clock.set(local(2026, 4, 7, 12, 0));
    expect(await backup.runScheduleIfDue()).toBeNull();
  });
});

describe('restart and damaged data', () => {
  it('keeps every record across a restart', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const floor = await t.ok(admin, 'floor-create', aFloor(site.id));
    const st = await t.ok(
      admin,
      'station-create',
      aStation(site.id, { floorId: floor.id, connectorCount: 2 }),
    );
    await t.ok(admin, 'backup-settings-update', { enabled: true, hour: 4, keep: 7 });
    const tree = await t.ok(admin, 'tree-get', {});
    const audit = await t.ok(admin, 'audit-list', {});

    await t.restart();
    const again = t.conn();
    // Sessions survive a restart too (the service restarting must not log everyone out).
    await t.ok(again, 'session-resume', { token: admin.token ?? '' });
    expect(await t.ok(again, 'tree-get', {})).toEqual(tree);
    expect(await t.ok(again, 'station-get', { id: st.id })).toEqual(st);
    expect(await t.ok(again, 'audit-list', {})).toEqual(audit);
    expect(await t.ok(again, 'backup-settings-get', {})).toEqual({
      enabled: true,
      hour: 4,
      keep: 7,
      timeZone: 'Australia/Sydney',
    });
    await t.ok(t.conn(), 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  });

  it('a corrupt database file refuses to start; the CLI restore of the newest backup fixes it', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    await t.ok(admin, 'station-create', aStation(site.id, { identity: 'BACKED-UP' }));
    const backup = await t.ok(admin, 'backup-create', {});
    await t.core.close(); // nothing holds the file open (t.close() would also delete the dir)
    const dbFile = join(t.dataDir, 'stratacharge.db');
    const bytes = readFileSync(dbFile);
    // Garbage over the whole file after the header page.
    writeFileSync(
      dbFile,
      Buffer.concat([bytes.subarray(0, 100), Buffer.alloc(bytes.length - 100, 0x5a)]),
    );

    const opts = { dataDir: t.dataDir, clock: t.clock, backupTimer: false };
    const e = await createCore(opts).then(
      () => null,
      (cause: unknown) => cause,
    );
    expect(e).toBeInstanceOf(DatabaseOpenError);
    expect((e as DatabaseOpenError).kind).toBe('corrupt');

    expect(newestBackup(t.dataDir)?.fileName).toBe(backup.fileName);
    const r = await restoreBackupFile(t.dataDir, backup.fileName, { now: t.clock.now() });
    expect(r.preRestoreBackup).toBeNull();
    expect(r.movedAside && existsSync(r.movedAside)).toBe(true);
    const t2 = await makeCore({ dataDir: t.dataDir, clock: t.clock });
    const c = t2.conn();
    await t2.ok(c, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect((await t2.ok(c, 'station-list', {})).map((s) => s.identity)).toEqual(['BACKED-UP']);
  });

  it('a garbage file as the database is reported as corrupt', async () => {
    const t = await makeCore();
    await t.core.close();
    writeFileSync(join(t.dataDir, 'stratacharge.db'), 'garbage '.repeat(1000));
    for (const suffix of ['-wal', '-shm'])
      writeFileSync(join(t.dataDir, `stratacharge.db${suffix}`), '');
    const e = await createCore({ dataDir: t.dataDir, clock: t.clock, backupTimer: false }).catch(
      (cause: unknown) => cause,
    );
    expect(e).toBeInstanceOf(DatabaseOpenError);
    expect((e as DatabaseOpenError).kind).toBe('corrupt');
  });
});
