// The OCPP message log's own file and writer thread (src-main/ocpp/message-log.ts): exchanges
// are searchable through the API, survive a restart, are pruned by retention, and a damaged log
// file is set aside without stopping the app or touching the main database.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ocppCore, waitFor } from './helpers';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/factories';
import { openMessageLog, type LogRow } from '../../src-main/ocpp/message-log';
import { createMemoryLogger } from '../../src-main/platform/logger';

const row = (at: number, messageId: string): LogRow => ({
  at,
  stationId: 7,
  identity: 'CP-7',
  direction: 'in',
  kind: 'result',
  action: 'Heartbeat',
  messageId,
  payload: `[2,"${messageId}","Heartbeat",{}]`,
  response: `[3,"${messageId}",{"currentTime":"2026-03-02T09:00:00.000Z"}]`,
  respondedAt: at + 3,
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'stratacharge-log-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('OCPP message log', () => {
  it('logs exchanges through a worker thread; they are searchable and survive a restart', async () => {
    const o = await ocppCore();
    // The writer must really be off the main thread (its source travels as text: a bundler
    // transform that broke that would silently put the writes back on the charger's thread).
    expect(o.t.core.services.messageLog.mode).toBe('worker');
    const { id: stationId, identity } = await o.station();
    const sim = o.sim(identity);
    expect(await sim.start()).toBe('Accepted');
    await sim.send('Heartbeat', {});
    const before = await o.t.ok(o.admin, 'ocpp-log-list', { stationId, action: 'Heartbeat' });
    expect(before.entries).toHaveLength(1);
    expect(before.entries[0]).toMatchObject({ direction: 'in', kind: 'result', payload: {} });
    await sim.close();
    await o.t.restart();
    const admin = o.t.conn();
    await o.t.ok(admin, 'session-login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    const after = await o.t.ok(admin, 'ocpp-log-list', { stationId, action: 'Heartbeat' });
    expect(after.entries).toEqual(before.entries);
  });

  it('writes, prunes and reopens the same way when the writer runs on the main thread', async () => {
    for (const inProcess of [false, true]) {
      const dir = tempDir();
      const file = join(dir, 'ocpp-log.db');
      const logger = createMemoryLogger();
      const log = await openMessageLog({ file, logger, inProcess });
      expect(log.mode).toBe(inProcess ? 'in-process' : 'worker');
      for (let i = 0; i < 60; i++) log.log(row(1_000 + i, `m${i}`)); // > one multi-row INSERT
      await log.flush();
      const count = () => log.db.$client.prepare('SELECT count(*) AS n FROM ocpp_log').get();
      expect(count()).toEqual({ n: 60 });
      expect(await log.prune(1_010)).toBe(10);
      expect(count()).toEqual({ n: 50 });
      await log.close();
      const again = await openMessageLog({ file, logger, inProcess });
      const first = again.db.$client.prepare('SELECT * FROM ocpp_log ORDER BY at LIMIT 1').get();
      expect(first).toMatchObject({ at: 1_010, message_id: 'm10', identity: 'CP-7' });
      await again.close();
      expect(logger.entries.filter((e) => e.level !== 'debug' && e.level !== 'info')).toEqual([]);
    }
  });

  it('sets a damaged log file aside and starts a new one, keeping the damaged file', async () => {
    const dir = tempDir();
    const file = join(dir, 'ocpp-log.db');
    writeFileSync(file, 'this is not a database, it is a disk that lost its mind'.repeat(200));
    const logger = createMemoryLogger();
    const log = await openMessageLog({ file, logger });
    log.log(row(5_000, 'x1'));
    await log.flush();
    expect(log.db.$client.prepare('SELECT message_id FROM ocpp_log').all()).toEqual([
      { message_id: 'x1' },
    ]);
    await log.close();
    const aside = readdirSync(dir).filter((f) => f.includes('set-aside'));
    expect(aside).toHaveLength(1);
    expect(existsSync(join(dir, aside[0] as string))).toBe(true);
    expect(logger.entries.some((e) => e.level === 'warn' && /set aside/.test(e.msg))).toBe(true);
  });

  it('starts the app with a damaged log file: chargers are served and logged afresh', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ocpp-log.db'), 'garbage'.repeat(1_000));
    const o = await ocppCore({ dataDir: dir });
    const { id: stationId, identity } = await o.station();
    const sim = o.sim(identity);
    expect(await sim.start()).toBe('Accepted');
    const log = await o.t.ok(o.admin, 'ocpp-log-list', { stationId });
    expect(log.entries.map((e) => e.action)).toContain('BootNotification');
  });

  it('keeps logging on the main thread when the writer thread dies or cannot start', async () => {
    const dir = tempDir();
    const logger = createMemoryLogger();
    let spawned: Worker | null = null;
    const log = await openMessageLog({
      file: join(dir, 'ocpp-log.db'),
      logger,
      spawnWorker: (code, o) => (spawned = new Worker(code, o)),
    });
    expect(log.mode).toBe('worker');
    log.log(row(1_000, 'before'));
    await log.flush();
    await (spawned as Worker | null)?.terminate(); // as a crash would
    await waitFor(() => log.mode === 'in-process', 'the main-thread writer');
    log.log(row(2_000, 'after'));
    await log.flush(); // must not wait for the dead thread
    const ids = log.db.$client.prepare('SELECT message_id FROM ocpp_log ORDER BY at').all();
    expect(ids).toEqual([{ message_id: 'before' }, { message_id: 'after' }]);
    expect(logger.entries.some((e) => e.level === 'error' && /writer stopped/.test(e.msg))).toBe(
      true,
    );
    await log.close();

    // A thread that cannot even start (a packaging problem): the same writer on the main thread.
    const broken = await openMessageLog({
      file: join(dir, 'ocpp-log.db'),
      logger,
      spawnWorker: (_code, o) => new Worker("throw new Error('cannot load the writer')", o),
    });
    expect(broken.mode).toBe('in-process');
    broken.log(row(3_000, 'fallback'));
    await broken.flush();
    expect(broken.db.$client.prepare('SELECT count(*) AS n FROM ocpp_log').get()).toEqual({ n: 3 });
    await broken.close();
  });

  it('drops rows, and never hangs, when no writer can open the log at all', async () => {
    const dir = tempDir();
    const file = join(dir, 'ocpp-log.db');
    const logger = createMemoryLogger();
    let spawned: Worker | null = null;
    const log = await openMessageLog({
      file,
      logger,
      spawnWorker: (code, o) => (spawned = new Worker(code, o)),
    });
    // The file is taken away under the running writer (a folder where it was), then the writer
    // dies: the main-thread writer cannot open it either.
    renameSync(file, `${file}.moved`);
    mkdirSync(file);
    await (spawned as Worker | null)?.terminate();
    await waitFor(() => log.mode === 'off', 'the log switched off');
    log.log(row(1_000, 'lost'));
    await log.flush();
    expect(await log.prune(5_000)).toBe(0);
    await log.close();
    expect(logger.entries.some((e) => e.level === 'error' && /unavailable/.test(e.msg))).toBe(true);
  });

  it('prunes a large backlog in chunks while new rows keep arriving', async () => {
    const dir = tempDir();
    const log = await openMessageLog({
      file: join(dir, 'ocpp-log.db'),
      logger: createMemoryLogger(),
    });
    for (let i = 0; i < 12_000; i++) log.log(row(i, `old${i}`));
    await log.flush();
    const pruning = log.prune(11_000);
    log.log(row(50_000, 'new'));
    expect(await pruning).toBe(11_000);
    await log.flush();
    const left = log.db.$client.prepare('SELECT count(*) AS n FROM ocpp_log').get();
    expect(left).toEqual({ n: 1_001 });
    await log.close();
  });

  it('shows a station only its own rows when a new station reuses an old id (after a restore)', async () => {
    const o = await ocppCore();
    const first = await o.station({ identity: 'OLD-CP' });
    const sim = o.sim('OLD-CP');
    expect(await sim.start()).toBe('Accepted');
    await sim.close();
    await waitFor(
      async () => !(await o.t.ok(o.admin, 'station-get', { id: first.id })).connected,
      'disconnected',
    );
    await o.t.ok(o.admin, 'station-delete', { id: first.id });
    // What restoring an older backup does to the id sequence: the next station gets the old id.
    o.t.core.db.$client
      .prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'stations'")
      .run(first.id - 1);
    const second = await o.station({ identity: 'NEW-CP' });
    expect(second.id).toBe(first.id);
    const log = await o.t.ok(o.admin, 'ocpp-log-list', { stationId: second.id });
    expect(log.entries).toEqual([]);
  });
});
