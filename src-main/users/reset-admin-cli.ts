// `--reset-admin-password [email]`: the way back when the last administrator has forgotten their
// password. Whoever can run the service on this machine already holds its data folder, so this
// gives nothing away; it prints a one-time password that must be changed at the next login,
// ends the administrator's sessions, records the reset in the audit log, and exits.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiFailure } from '../../src-shared/api/result';
import { createAuditService } from '../audit/service';
import { createAuthService, DEFAULT_AUTH_CONFIG } from '../auth/service';
import { DB_FILE_NAME } from '../backup/files';
import { DatabaseOpenError, openDatabase } from '../db/open';
import type { Clock } from '../platform/clock';
import { createUserService } from './service';

interface Output {
  write(text: string): unknown;
}

/** Resets and returns the exit code: 0 done, 1 nothing to reset or the database unusable. */
export async function resetAdminPasswordFromCli(
  dataDir: string,
  /** The administrator's email, or null for "the only administrator". */
  email: string | null,
  io: { stdout: Output; stderr: Output; clock: Clock },
): Promise<number> {
  const file = join(dataDir, DB_FILE_NAME);
  if (!existsSync(file)) {
    io.stderr.write(
      `There is no StrataCharge database in ${dataDir}. Give the data folder with --data-dir <path>.\n`,
    );
    return 1;
  }
  const now = io.clock.now();
  let db;
  try {
    db = openDatabase({ file, now });
  } catch (cause) {
    if (cause instanceof DatabaseOpenError) {
      io.stderr.write(`${cause.message}\n`);
      return 1;
    }
    throw cause;
  }
  try {
    const auth = createAuthService(db, DEFAULT_AUTH_CONFIG);
    const users = createUserService({ db, auth });
    const admin = users.adminForReset(email);
    const { password } = await users.resetPassword(admin.id, now);
    createAuditService(db).record({
      at: now,
      caller: null,
      method: 'command-line --reset-admin-password',
      input: { email: admin.email },
      outcome: 'ok',
      entity: 'user',
      entityId: admin.id,
      after: { passwordReset: 'one-time' },
    });
    io.stdout.write(
      [
        `The password of ${admin.name} <${admin.email}> was reset.`,
        `  One-time password: ${password}`,
        'Log in with it; you will be asked to choose a new password straight away.',
        'It is shown only this once. Their other sessions have been ended.',
        ...(admin.disabled
          ? ['Note: this administrator is disabled; another administrator must enable them.']
          : []),
        '',
      ].join('\n'),
    );
    return 0;
  } catch (cause) {
    if (cause instanceof ApiFailure) {
      io.stderr.write(`${cause.message}\n`);
      return 1;
    }
    throw cause;
  } finally {
    db.$client.close();
  }
}
