// The BUILT service as a child process (test/e2e/support/server.ts starts it and parses the ready
// banner), plus what the reliability tests add: SIGKILL, and direct reads of its SQLite file.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { registerLocalMs } from '../../../src-main/reports/rollup';
import { startService, type RunningServer, type StartOptions } from '../../e2e/support/server';

export type { RunningServer } from '../../e2e/support/server';

/** Starts the built service; stopped (SIGTERM, data removed) when the test ends. */
export async function serviceFor(opts: StartOptions & { keepData?: boolean } = {}) {
  const svc = await startService({ timeoutMs: 60_000, ...opts });
  onTestFinished(async () => {
    await svc.stop({ removeData: opts.keepData !== true });
  });
  return svc;
}

/** kill -9: no shutdown code runs, like a power cut for the process (not for the disk). */
export async function killHard(svc: RunningServer): Promise<void> {
  const child = svc.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

export function isAlive(svc: RunningServer): boolean {
  return svc.process.exitCode === null && svc.process.signalCode === null;
}

/** The service's database, opened after the process has stopped (it recovers the WAL a kill left, as a restart would). */
export function openDatabase(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, 'stratacharge.db'), { fileMustExist: true });
  // The reports' rollup triggers call sc_local_ms on every write of a session: a test writing
  // sessions straight into the file registers it as the app's own connection does.
  registerLocalMs(db);
  return db;
}

export { startService };
