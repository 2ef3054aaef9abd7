// "Answered" means "stored", even on power loss (issue 7 #2): the commit that precedes an
// OCPP answer must be durable. In WAL mode that needs synchronous = FULL (NORMAL may roll the
// last commits back after a power cut or an OS crash: SQLite's documentation, "PRAGMA
// synchronous"). A power cut cannot be simulated here; what is checked is the setting of the
// very connection the OCPP server commits through, after a restart too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, waitFor } from './helpers';
import { openDatabase } from '../../src-main/db/open';
import { createOcppStore, syncWalFile } from '../../src-main/ocpp/store';
import { createMemoryLogger } from '../../src-main/platform/logger';
import { T0 } from '../support/make-core';

describe('durability of what a charger was told is stored', () => {
  it('commits through a WAL connection with synchronous = FULL, also after a restart', async () => {
    const o = await ocppCore();
    const mode = () => ({
      journal: o.t.core.db.$client.pragma('journal_mode', { simple: true }),
      // 2 = FULL (0 OFF, 1 NORMAL, 3 EXTRA).
      synchronous: o.t.core.db.$client.pragma('synchronous', { simple: true }),
    });
    expect(mode()).toEqual({ journal: 'wal', synchronous: 2 });
    // "Last seen" times are written without the fsync (not durable data); the setting is
    // back to FULL for the next commit.
    const { identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    await sim.heartbeat();
    o.t.core.services.ocpp.flushLastSeen();
    expect(mode()).toEqual({ journal: 'wal', synchronous: 2 });
    await o.t.restart();
    expect(mode()).toEqual({ journal: 'wal', synchronous: 2 });
  });
});

describe('the group commit answers once the WAL is on disk', () => {
  it('holds every answer until the WAL sync after the commit completes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratacharge-durable-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase({ file: join(dir, 'stratacharge.db'), now: T0 });
    onTestFinished(() => {
      db.$client.close();
    });
    const syncs: { path: string; done: (e: Error | null) => void }[] = [];
    const store = createOcppStore(db, createMemoryLogger(), (path, done) =>
      syncs.push({ path, done }),
    );
    const answered: string[] = [];
    const write = (k: string) => () => store.putSetting(k, 1, T0);
    store.groupThen(write('a'), (failed) => answered.push(failed ? 'a failed' : 'a'));
    store.groupThen(write('b'), (failed) => answered.push(failed ? 'b failed' : 'b'));
    await waitFor(() => syncs.length === 1, 'the WAL sync');
    // Committed (another connection sees it), not yet answered.
    const reader = new Database(join(dir, 'stratacharge.db'), { readonly: true });
    onTestFinished(() => {
      reader.close();
    });
    expect(
      reader.prepare('SELECT count(*) AS n FROM settings WHERE key IN (?, ?)').get('a', 'b'),
    ).toEqual({ n: 2 });
    expect(syncs[0]?.path).toBe(join(dir, 'stratacharge.db-wal'));
    expect(answered).toEqual([]);
    // A group committed while the sync runs waits for the next sync.
    store.groupThen(write('c'), (failed) => answered.push(failed ? 'c failed' : 'c'));
    await new Promise((r) => setImmediate(r));
    expect(syncs).toHaveLength(1);
    syncs[0]?.done(null);
    expect(answered).toEqual(['a', 'b']);
    await waitFor(() => syncs.length === 2, 'the second WAL sync');
    syncs[1]?.done(new Error('EIO'));
    expect(answered).toEqual(['a', 'b', 'c failed']);
    // The commit never waited on the event loop with FULL's fsync: the setting is restored.
    expect(db.$client.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('syncs a real WAL file, and takes a missing one as checkpointed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratacharge-durable-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase({ file: join(dir, 'stratacharge.db'), now: T0 });
    onTestFinished(() => {
      db.$client.close();
    });
    const sync = (path: string) =>
      new Promise<Error | null>((resolve) => syncWalFile(path, resolve));
    expect(await sync(join(dir, 'stratacharge.db-wal'))).toBeNull();
    expect(await sync(join(dir, 'no-such.db-wal'))).toBeNull();
  });
});
