// makeCore(): a real core on a fresh temp data directory with a ManualClock, for any test that
// goes through the API like a client does. Cleaned up automatically when the test finishes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../src-main/core';
import { ManualClock } from '../../src-main/platform/clock';
import { createMemoryLogger } from '../../src-main/platform/logger';
import type { Connection } from '../../src-main/api/context';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/api/contract';
import type { ApiError, Result } from '../../src-shared/api/result';

/** 2026-03-02 09:00 UTC: a Monday, well clear of DST changes in Australia and Europe. */
export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

export interface TestCore {
  core: Core;
  clock: ManualClock;
  dataDir: string;
  logger: ReturnType<typeof createMemoryLogger>;
  /** A new API connection (like a browser tab). */
  conn(remote?: string): Connection;
  /** Calls a method and returns the raw Result. */
  call<M extends MethodName>(
    conn: Connection,
    method: M,
    input: MethodInput<M>,
  ): Promise<Result<MethodOutput<M>>>;
  /** Calls a method and returns its value, failing the test with the error otherwise. */
  ok<M extends MethodName>(
    conn: Connection,
    method: M,
    input: MethodInput<M>,
  ): Promise<MethodOutput<M>>;
  /** Calls a method expected to fail and returns the error. */
  fail<M extends MethodName>(conn: Connection, method: M, input: unknown): Promise<ApiError>;
  /** Closes the core and opens a new one on the same data directory (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface MakeCoreOptions extends Partial<Omit<CoreOptions, 'clock' | 'logger'>> {
  clock?: ManualClock;
  /** Keep the temp dir after the test (for debugging). */
  keep?: boolean;
}

export async function makeCore(opts: MakeCoreOptions = {}): Promise<TestCore> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'stratacharge-test-'));
  const clock = opts.clock ?? new ManualClock(T0);
  const logger = createMemoryLogger();
  const { keep, ...coreOpts } = opts;
  // No daily-backup job unless asked (backupTimer: true): a test advancing days would get a
  // backup each night. Tests call runScheduleIfDue(), or turn it on and advance the clock.
  const start = () => createCore({ backupTimer: false, ...coreOpts, dataDir, clock, logger });
  let core = await start();
  let closed = false;

  const handle: TestCore = {
    get core() {
      return core;
    },
    clock,
    dataDir,
    logger,
    conn: (remote = '127.0.0.1') => core.openConnection(remote),
    call: (conn, method, input) =>
      core.call(conn, method, input) as Promise<Result<MethodOutput<typeof method>>>,
    async ok(conn, method, input) {
      const r = await core.call(conn, method, input);
      if (!r.ok) {
        throw new Error(`${method} failed: ${r.error.code}: ${r.error.message}`);
      }
      return r.value as MethodOutput<typeof method>;
    },
    async fail(conn, method, input) {
      const r = await core.call(conn, method, input);
      if (r.ok) throw new Error(`${method} unexpectedly succeeded: ${JSON.stringify(r.value)}`);
      return r.error;
    },
    async restart() {
      await core.close();
      core = await start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await core.close();
      if (!keep && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    onTestFinished(() => handle.close());
  } catch {
    // Called outside a running test (e.g. beforeAll): the caller closes it.
  }
  return handle;
}
