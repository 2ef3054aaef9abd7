// The audit trail is a record of what people did, not data a restore rolls back: entries
// written since the backup survive a restore (live from the UI, and offline with --restore),
// the restore itself is audited (who, which backup, when), and nothing is listed twice.
import { describe, expect, it } from 'vitest';
import { restoreBackupFile } from '../../../src-main/backup/files';
import { makeCore } from '../../support/make-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, aSite, aStation, setupAdmin } from '../../support/factories';
import type { TestCore } from '../../support/make-core';
import type { Connection } from '../../../src-main/api/context';

async function auditOf(t: TestCore, admin: Connection) {
  const { total, entries } = await t.ok(admin, 'audit-list', { limit: 500 });
  expect(entries).toHaveLength(total);
  return entries;
}

describe('audit trail across a restore', () => {
  it('a live restore keeps the entries written since the backup and audits itself', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    await t.ok(admin, 'station-create', aStation(site.id, { identity: 'BEFORE-1' }));
    const { fileName } = await t.ok(admin, 'backup-create', {});
    const atBackup = await auditOf(t, admin);

    t.clock.advance(60_000);
    await t.ok(admin, 'station-create', aStation(site.id, { identity: 'AFTER-1' }));
    await t.ok(admin, 'site-create', aSite({ name: 'Added After' }));
    t.clock.advance(60_000);
    const restoreAt = t.clock.now();
    await t.ok(admin, 'backup-restore', { fileName });

    const entries = await auditOf(t, admin);
    // The data is the backup's, the record of what happened since is not rolled back.
    expect((await t.ok(admin, 'station-list', {})).map((s) => s.identity)).toEqual(['BEFORE-1']);
    expect(entries.filter((e) => e.method === 'station-create')).toHaveLength(2);
    expect(entries.filter((e) => e.method === 'site-create')).toHaveLength(1);
    // Who restored which backup, and when.
    const restores = entries.filter((e) => e.method === 'backup-restore');
    expect(restores).toHaveLength(1);
    expect(restores[0]).toMatchObject({
      userEmail: ADMIN_EMAIL,
      entityId: fileName,
      at: restoreAt,
      outcome: 'ok',
    });
    // Every entry from before the backup is there exactly once.
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of atBackup) expect(entries.find((x) => x.id === e.id)).toEqual(e);

    // Restoring the pre-restore backup (undo) keeps the trail whole too.
    const pre = (await t.ok(admin, 'backup-list', {})).find((b) => b.kind === 'pre-restore');
    await t.ok(admin, 'backup-restore', { fileName: pre?.fileName ?? '' });
    const again = await auditOf(t, admin);
    expect(again.filter((e) => e.method === 'backup-restore')).toHaveLength(2);
    expect(again.filter((e) => e.method === 'station-create')).toHaveLength(2);
    expect(new Set(again.map((e) => e.id)).size).toBe(again.length);
  });

  it('an offline --restore keeps the entries written since the backup and audits itself', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const { fileName } = await t.ok(admin, 'backup-create', {});
    t.clock.advance(60_000);
    const after = await t.ok(admin, 'station-create', aStation(site.id, { identity: 'AFTER-2' }));
    const before = await auditOf(t, admin);
    await t.core.close();

    t.clock.advance(60_000);
    const restoreAt = t.clock.now();
    await restoreBackupFile(t.dataDir, fileName, { now: restoreAt });
    await t.restart();
    const conn = t.conn();
    await t.ok(conn, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });

    const entries = await auditOf(t, conn);
    for (const e of before) expect(entries.find((x) => x.id === e.id)).toEqual(e);
    const restore = entries.find((e) => e.method === 'backup-restore');
    expect(restore).toMatchObject({ at: restoreAt, entityId: fileName, userEmail: null });
    expect(restore?.input).toMatchObject({ via: 'command line (--restore)' });
    expect(restore?.after).toMatchObject({ restored: fileName, previousAuditKept: true });
    // And the station added after the backup is gone, its id not handed out again.
    expect((await t.ok(conn, 'station-list', {})).map((s) => s.identity)).toEqual([]);
    const next = await t.ok(conn, 'station-create', aStation(site.id, { identity: 'NEXT-2' }));
    expect(next.id).not.toBe(after.id);
  });
});
