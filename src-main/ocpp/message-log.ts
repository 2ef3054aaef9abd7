// The OCPP message log: every exchange with every charger, one row each, searchable, pruned by
// the retention setting (docs/ocpp.md "Message log").
//
// Rows are queued on the main thread and written by a worker thread to their own database file
// (src-main/db/log-schema.ts). Writing them on the main thread cost ~10 % of the OCPP server's
// CPU per message at full load (the inserts and their commits: docs/benchmarks.md round 6), time
// every charger waited behind; in the worker it runs on the other core. A separate file, because
// SQLite has one write lock per file: a worker writing the main database would make charger
// transactions wait for it.
//
// Loss window on a crash: rows queued in the last LOG_FLUSH_MS plus any batch the writer has not
// committed yet (normally none; docs/ocpp.md). A worker that cannot start (a packaging problem)
// or dies is logged and the same writer runs on the main thread instead: slower, never silent
// (`mode`); if even that cannot open the file, the log is 'off' and rows are dropped, counted.
import { existsSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MessageChannel, Worker, type MessagePort, type WorkerOptions } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as logSchema from '../db/log-schema';
import { LOG_COLUMNS, LOG_DB_SETUP, LOG_DB_VERSION } from '../db/log-schema';
import type { Logger } from '../platform/logger';

/**
 * One message-log row per exchange: the CALL (either direction) with its answer and the time
 * the answer came, written once the exchange completes (or is given up: timeout, disconnect).
 * Frames that belong to no exchange (a late answer, garbage) are rows of their own.
 */
export interface LogRow {
  /** When the CALL (or the stray frame) was sent / received. */
  at: number;
  stationId: number | null;
  identity: string;
  /** Who initiated: in = the charger's CALL, out = ours. */
  direction: 'in' | 'out';
  /** The outcome: result / error = answered so; call = never answered; or a stray frame's type. */
  kind: 'call' | 'result' | 'error';
  action: string | null;
  messageId: string | null;
  /** The CALL frame as sent / received (or the stray frame). */
  payload: string;
  /** The CALLRESULT / CALLERROR frame; null when unanswered. */
  response: string | null;
  respondedAt: number | null;
}

/** Rows queued this long at most before they go to the writer: the loss window on a crash. */
export const LOG_FLUSH_MS = 100;
/** A batch this large goes to the writer at once (a burst does not wait for the timer). */
const MAX_BATCH_ROWS = 5_000;
/** Rows per INSERT statement in the writer (one multi-row statement instead of one per row). */
const ROWS_PER_INSERT = 25;
/** Rows deleted per statement when pruning (batches are written between chunks). */
const PRUNE_CHUNK = 5_000;

export type LogDb = BetterSQLite3Database<typeof logSchema> & { $client: Database.Database };

interface WriterData {
  sqlitePath: string;
  file: string;
  nativeBinding: string | null;
  setup: string[];
  version: number;
  insertMany: string;
  insertOne: string;
  prune: string;
  pruneChunk: number;
  columns: number;
  rowsPerInsert: number;
}
type ToWriter =
  | { t: 'rows'; v: unknown[] }
  | { t: 'flush'; id: number }
  | { t: 'prune'; id: number; before: number }
  | { t: 'close'; id: number };
type FromWriter =
  | { t: 'ready' }
  | { t: 'failed'; message: string; setAside: boolean }
  | { t: 'done'; id: number; n?: number }
  | { t: 'error'; id?: number; message: string };

/**
 * The writer. In a worker its source travels as text (Function.prototype.toString), so the same
 * code runs from the TypeScript sources (tests) and from the bundle (the app) without a build
 * entry of its own; it must therefore use nothing from module scope, only its arguments (`load`
 * is `require`). test/ocpp/message-log.test.ts fails if it is not running in a worker.
 */
function runLogWriter(port: MessagePort, data: WriterData, load: (id: string) => unknown): void {
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
  type Stmt = { run(...args: unknown[]): { changes: number } };
  type Conn = {
    exec(sql: string): void;
    prepare(sql: string): Stmt;
    pragma(sql: string, o?: { simple: boolean }): unknown;
    transaction<A>(fn: (a: A) => void): (a: A) => void;
    close(): void;
  };
  const Sqlite = load(data.sqlitePath) as new (file: string, o: object) => Conn;
  let db: Conn;
  try {
    db = new Sqlite(data.file, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
  } catch (e) {
    port.postMessage({ t: 'failed', message: message(e), setAside: false });
    return;
  }
  try {
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version > data.version)
      throw new Error(`written by a newer StrataCharge (log version ${version})`);
    if (db.pragma('quick_check', { simple: true }) !== 'ok') throw new Error('integrity check');
    for (const sql of data.setup) db.exec(sql);
    db.exec(`PRAGMA user_version = ${data.version}`);
  } catch (e) {
    db.close();
    port.postMessage({ t: 'failed', message: message(e), setAside: true });
    return;
  }
  const many = db.prepare(data.insertMany);
  const one = db.prepare(data.insertOne);
  const prune = db.prepare(data.prune);
  const perMany = data.columns * data.rowsPerInsert;
  const args: unknown[] = new Array<unknown>(perMany).fill(null);
  const write = db.transaction((v: unknown[]) => {
    let i = 0;
    for (; i + perMany <= v.length; i += perMany) {
      for (let k = 0; k < perMany; k++) args[k] = v[i + k];
      many.run(args);
    }
    for (; i < v.length; i += data.columns) one.run(v.slice(i, i + data.columns));
  });
  port.on('message', (m: ToWriter) => {
    try {
      if (m.t === 'rows') write(m.v);
      else if (m.t === 'flush') port.postMessage({ t: 'done', id: m.id });
      else if (m.t === 'prune') {
        // In chunks, one per turn of this thread's event loop: batches that arrive meanwhile
        // are written between chunks instead of queueing behind a months-old backlog.
        let n = 0;
        const step = () => {
          try {
            const removed = prune.run(m.before, data.pruneChunk).changes;
            n += removed;
            if (removed === data.pruneChunk) return void setImmediate(step);
            port.postMessage({ t: 'done', id: m.id, n });
          } catch (e) {
            port.postMessage({ t: 'error', id: m.id, message: message(e) });
          }
        };
        step();
      } else if (m.t === 'close') {
        try {
          db.close();
          port.postMessage({ t: 'done', id: m.id });
        } finally {
          port.close();
        }
      }
    } catch (e) {
      const id = m.t === 'rows' ? undefined : m.id;
      port.postMessage({ t: 'error', id, message: message(e) });
    }
  });
  port.postMessage({ t: 'ready' });
}

export interface MessageLogOptions {
  file: string;
  logger: Logger;
  /** Path to a better-sqlite3 binary built for Electron (the desktop app passes it). */
  nativeBinding?: string;
  /** Run the writer on the main thread, as the fallback does (tests, measurements). */
  inProcess?: boolean;
  /** Seam for tests: creates the writer thread (default `new Worker(code, options)`). */
  spawnWorker?: (code: string, options: WorkerOptions) => Worker;
}

export async function openMessageLog(opts: MessageLogOptions) {
  const logger = opts.logger.child({ module: 'ocpp-log' });
  const load = createRequire(import.meta.url);
  const placeholders = `(${LOG_COLUMNS.map(() => '?').join(', ')})`;
  const insert = `INSERT INTO ocpp_log (${LOG_COLUMNS.join(', ')}) VALUES `;
  const data: WriterData = {
    sqlitePath: load.resolve('better-sqlite3'),
    file: opts.file,
    nativeBinding: opts.nativeBinding ?? null,
    setup: LOG_DB_SETUP,
    version: LOG_DB_VERSION,
    insertMany: insert + Array.from({ length: ROWS_PER_INSERT }, () => placeholders).join(', '),
    insertOne: insert + placeholders,
    prune:
      'DELETE FROM ocpp_log WHERE id IN (SELECT id FROM ocpp_log WHERE at < ? ORDER BY at LIMIT ?)',
    pruneChunk: PRUNE_CHUNK,
    columns: LOG_COLUMNS.length,
    rowsPerInsert: ROWS_PER_INSERT,
  };

  // 'off': neither a worker nor the main thread could open the log; rows are dropped (counted,
  // logged) and the app goes on serving chargers.
  let mode: 'worker' | 'in-process' | 'off' = 'worker';
  let dropped = 0;
  let port: MessagePort | Worker | null = null;
  let worker: Worker | null = null;
  let closing = false;
  let closed: Promise<void> | null = null;
  let nextId = 1;
  const waiting = new Map<number, (n: number) => void>();

  function onMessage(m: FromWriter) {
    if (m.t === 'done') {
      const done = waiting.get(m.id);
      waiting.delete(m.id);
      done?.(m.n ?? 0);
      if (waiting.size === 0) hold(false);
    } else if (m.t === 'error') {
      logger.error('message log write failed', { error: m.message });
      if (m.id !== undefined) onMessage({ t: 'done', id: m.id });
    }
  }

  /** Starts the writer; resolves once its schema is in place. */
  function startWriter(inWorker: boolean): Promise<FromWriter> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (m: FromWriter) => {
        settled = true;
        resolve(m);
      };
      const first = (m: FromWriter) => {
        if (m.t !== 'ready' && m.t !== 'failed') return onMessage(m);
        p.off('message', first);
        if (m.t === 'failed') {
          if (worker === p) worker = null; // it exits by itself; not a crash to recover from
          return settle(m);
        }
        p.on('message', onMessage);
        hold(false);
        settle(m);
      };
      let p: MessagePort | Worker;
      if (inWorker) {
        const w = (opts.spawnWorker ?? ((code, o) => new Worker(code, o)))(
          `const { parentPort, workerData } = require('node:worker_threads');\n(${runLogWriter.toString()})(parentPort, workerData, require);`,
          { eval: true, workerData: data },
        );
        // Before 'ready': the worker could not start (start() falls back). After: it crashed,
        // and the writer restarts on the main thread so logging goes on.
        const lost = (message: string) => {
          if (!settled) {
            worker = null;
            return settle({ t: 'failed', message, setAside: false });
          }
          if (worker !== w) return;
          worker = null;
          if (closing) return releaseAll();
          logger.error('message log writer stopped; writing on the main thread', {
            error: message,
          });
          void fallBack();
        };
        w.once('error', (e) => lost(e.message));
        w.once('exit', (code) => lost(`the writer thread exited (${code})`));
        worker = w;
        p = w;
      } else {
        const channel = new MessageChannel();
        runLogWriter(channel.port2, data, load);
        channel.port2.unref(); // the writer's end must not keep the process alive by itself
        p = channel.port1;
      }
      p.on('message', first);
      port = p;
    });
  }
  /** Settles every request still waiting (their writer is gone). */
  function releaseAll() {
    for (const done of waiting.values()) done(0);
    waiting.clear();
  }
  async function fallBack() {
    worker = null;
    mode = 'in-process';
    // Batches the dead worker had not committed are lost (logged above); waiting flushes end.
    releaseAll();
    const r = await startWriter(false);
    if (r.t === 'failed') {
      mode = 'off';
      port = null;
      logger.error('message log unavailable: exchanges are no longer logged until a restart', {
        error: r.message,
      });
    }
  }
  async function start() {
    let result = await startWriter(mode === 'worker');
    if (result.t === 'failed' && !result.setAside && mode === 'worker') {
      logger.warn('message log worker unavailable; writing on the main thread', {
        error: result.message,
      });
      mode = 'in-process';
      result = await startWriter(false);
    }
    if (result.t === 'failed' && result.setAside) {
      // A damaged (or newer) log file: kept for inspection, a fresh log started. The log is
      // diagnostic; refusing to start over it would stop the chargers being served.
      const aside = opts.file.replace(/\.db$/, '') + `.set-aside-${Date.now()}.db`;
      for (const suffix of ['', '-wal', '-shm'])
        if (existsSync(opts.file + suffix)) renameSync(opts.file + suffix, aside + suffix);
      logger.warn('message log file unreadable: set aside, starting a new one', {
        error: result.message,
        setAsideAs: aside,
      });
      result = await startWriter(mode === 'worker');
    }
    if (result.t === 'failed')
      throw new Error(`Cannot open the OCPP message log: ${result.message}`);
  }
  if (opts.inProcess) mode = 'in-process';
  await start();

  const reader = new Database(
    opts.file,
    opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {},
  );
  reader.pragma('query_only = 1');
  const db = drizzle({ client: reader, schema: logSchema, casing: 'snake_case' });

  let pending: unknown[] = [];
  let pendingRows = 0;
  let timer: NodeJS.Timeout | null = null;

  /** Keeps the process alive while an answer from the writer is awaited, not otherwise. */
  function hold(on: boolean) {
    const p = port as { ref?(): void; unref?(): void } | null;
    if (on) p?.ref?.();
    else p?.unref?.();
  }
  function send(m: ToWriter) {
    (port as MessagePort).postMessage(m);
  }
  function drop(rows: number) {
    if (dropped === 0) logger.error('message log unavailable: rows dropped', { rows });
    dropped += rows;
  }
  function sendRows() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pendingRows === 0) return;
    if (mode === 'off') drop(pendingRows);
    else send({ t: 'rows', v: pending });
    pending = [];
    pendingRows = 0;
  }
  function request(m: { t: 'flush' | 'close' } | { t: 'prune'; before: number }): Promise<number> {
    sendRows();
    if (mode === 'off') return Promise.resolve(0);
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      hold(true);
      send({ ...m, id });
    });
  }

  return {
    /** The log's own database, read-only (the API's log search). Call flush() first. */
    db: db as LogDb,
    get mode() {
      return mode;
    },
    /** Queues a row; it reaches the writer within LOG_FLUSH_MS. */
    log(r: LogRow): void {
      if (closing) return; // after shutdown began: nowhere to write it
      pending.push(
        r.at,
        r.stationId,
        r.identity,
        r.direction,
        r.kind,
        r.action,
        r.messageId,
        r.payload,
        r.response,
        r.respondedAt,
      );
      if (++pendingRows >= MAX_BATCH_ROWS) sendRows();
      else if (!timer) timer = setTimeout(sendRows, LOG_FLUSH_MS);
    },
    /** Resolves once every row queued so far is committed. */
    flush: (): Promise<void> => request({ t: 'flush' }).then(() => undefined),
    /** Deletes rows older than `before`; resolves with how many. */
    prune: (before: number): Promise<number> => request({ t: 'prune', before }),
    close(): Promise<void> {
      closed ??= (async () => {
        closing = true;
        const w = worker;
        // Listening before asking: the worker may exit before the answer is read here.
        const exited = w ? new Promise((r) => w.once('exit', r)) : null;
        await request({ t: 'close' });
        reader.close();
        if (exited && worker === w) {
          // Referenced until it has exited: an unreferenced worker is no reason for the event
          // loop to wait, and a process whose last await is this one would end mid-shutdown
          // (exit code 13, an unsettled top-level await; seen in service.spec.ts).
          w?.ref();
          // A writer that answered but does not exit (it should) is stopped after 5 s.
          const stuck = setTimeout(() => void w?.terminate(), 5_000);
          stuck.unref();
          await exited;
          clearTimeout(stuck);
        }
        releaseAll();
      })();
      return closed;
    },
  };
}

export type MessageLog = Awaited<ReturnType<typeof openMessageLog>>;
