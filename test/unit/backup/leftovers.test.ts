// A backup or restore killed half-way (SIGKILL, power cut) leaves scratch files in backups/:
// the next start removes them, and leaves real backups alone.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { setupAdmin } from '../../support/factories';

describe('unfinished backup files', () => {
  it('are removed at start-up; real backups and other files stay', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const real = await t.ok(admin, 'backup-create', {});
    const dir = join(t.dataDir, 'backups');
    // What a kill during backup-create (and during a restore) leaves: the scratch database and
    // its SQLite side files.
    const leftovers = [
      '.partial-0123456789ab.db',
      '.partial-0123456789ab.db-journal',
      '.partial-0123456789ab.db-wal',
      '.restore-ba9876543210.db',
      '.restore-ba9876543210.db-shm',
    ];
    for (const name of leftovers) writeFileSync(join(dir, name), 'half written');
    writeFileSync(join(dir, 'notes.txt'), 'the operator’s own file');

    await t.restart();

    expect(readdirSync(dir).sort()).toEqual([real.fileName, 'notes.txt'].sort());
    const again = t.conn();
    await t.ok(again, 'session-resume', { token: admin.token ?? '' });
    expect((await t.ok(again, 'backup-list', {})).map((b) => b.fileName)).toEqual([real.fileName]);
    expect(existsSync(join(dir, real.fileName))).toBe(true);
    expect(t.logger.entries.some((e) => e.msg === 'unfinished backup files removed')).toBe(true);
  });
});
