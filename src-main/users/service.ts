// Users and their site assignments. Password hashes never leave this file: every read selects
// the public columns only.
import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import type { User } from '../../src-shared/model';
import type { Role } from '../../src-shared/roles';
import type { Db } from '../db/open';
import { sites, userSites, users } from '../db/schema';
import type { AuthService } from '../auth/service';
import { generateOneTimePassword, hashPassword, verifyPassword } from '../auth/password';
import { isForeignKeyError, isUniqueError } from '../model/errors';

export type UserService = ReturnType<typeof createUserService>;

export interface UserCreate {
  email: string;
  name: string;
  role: Role;
  siteIds: number[];
  password: string;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  siteIds?: number[];
  disabled?: boolean;
  password?: string;
}

/** Site administrators and EV users belong to sites; administrators and support see all. */
const needsSites = (role: Role) => role === 'site_admin' || role === 'ev_user';

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabled: users.disabled,
  mustChangePassword: users.mustChangePassword,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
};

export function createUserService(deps: { db: Db; auth: AuthService }) {
  const { db, auth } = deps;

  function withSites(rows: Omit<User, 'siteIds'>[]): User[] {
    if (rows.length === 0) return [];
    const links = db
      .select()
      .from(userSites)
      .where(
        inArray(
          userSites.userId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(userSites.siteId))
      .all();
    return rows.map((r) => ({
      ...r,
      siteIds: links.filter((l) => l.userId === r.id).map((l) => l.siteId),
    }));
  }

  function list(): User[] {
    return withSites(db.select(publicColumns).from(users).orderBy(asc(users.name)).all());
  }

  function get(id: number): User {
    const row = db.select(publicColumns).from(users).where(eq(users.id, id)).get();
    if (!row) throw new ApiFailure('not-found', 'That user no longer exists.');
    const [user] = withSites([row]);
    if (!user) throw new ApiFailure('not-found', 'That user no longer exists.');
    return user;
  }

  function assertSites(role: Role, siteIds: number[]): number[] {
    if (!needsSites(role)) return [];
    const unique = [...new Set(siteIds)];
    if (unique.length === 0) {
      throw new ApiFailure('validation', 'Sites: choose at least one site for this role.', {
        field: 'siteIds',
      });
    }
    const found = db.select({ id: sites.id }).from(sites).where(inArray(sites.id, unique)).all();
    if (found.length !== unique.length) {
      throw new ApiFailure('validation', 'Sites: one of the chosen sites no longer exists.', {
        field: 'siteIds',
      });
    }
    return unique;
  }

  function assertEmailFree(email: string) {
    if (db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
      throw new ApiFailure('conflict', `There is already a user with the email ${email}.`, {
        field: 'email',
      });
    }
  }

  function activeAdminsOtherThan(id: number): number {
    return (
      db
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.disabled, false), ne(users.id, id)))
        .get()?.n ?? 0
    );
  }

  /** Inserts a user and their sites; call inside a transaction when part of a larger write. */
  function insert(input: Omit<UserCreate, 'password'> & { passwordHash: string }, now: number) {
    const row = db
      .insert(users)
      .values({
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash: input.passwordHash,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: users.id })
      .get();
    for (const siteId of input.siteIds)
      db.insert(userSites).values({ userId: row.id, siteId }).run();
    return row.id;
  }

  async function create(input: UserCreate, now: number): Promise<User> {
    assertEmailFree(input.email);
    const siteIds = assertSites(input.role, input.siteIds);
    const passwordHash = await hashPassword(input.password);
    try {
      const id = db.transaction(() => insert({ ...input, siteIds, passwordHash }, now));
      return get(id);
    } catch (cause) {
      // Two admins creating the same email at once: the unique index has the last word.
      if (isUniqueError(cause)) assertEmailFree(input.email);
      throw cause;
    }
  }

  async function update(id: number, patch: UserPatch, actorId: number, now: number): Promise<User> {
    // Hash first: the checks below and the write must run without an await between them, or two
    // administrators demoting each other at once could both pass the last-administrator check.
    const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
    const before = get(id);
    const role = patch.role ?? before.role;
    const disabled = patch.disabled ?? before.disabled;
    const losesAdmin =
      before.role === 'admin' && !before.disabled && (role !== 'admin' || disabled);
    if (id === actorId && losesAdmin) {
      throw new ApiFailure(
        'conflict',
        'You cannot disable yourself or take away your own administrator role.',
      );
    }
    if (losesAdmin && activeAdminsOtherThan(id) === 0) {
      throw new ApiFailure('conflict', 'This is the last active administrator; add another first.');
    }
    const siteIds =
      patch.siteIds !== undefined || patch.role !== undefined
        ? assertSites(role, patch.siteIds ?? before.siteIds)
        : before.siteIds;
    db.transaction(() => {
      db.update(users)
        .set({
          name: patch.name ?? before.name,
          role,
          disabled,
          ...(passwordHash ? { passwordHash } : {}),
          updatedAt: now,
        })
        .where(eq(users.id, id))
        .run();
      db.delete(userSites).where(eq(userSites.userId, id)).run();
      for (const siteId of siteIds) db.insert(userSites).values({ userId: id, siteId }).run();
      // A reset password or a disabled account must not leave sessions open elsewhere.
      if (passwordHash || (disabled && !before.disabled)) auth.endSessions(id);
    });
    return get(id);
  }

  function remove(id: number, actorId: number): User {
    const before = get(id);
    if (id === actorId) throw new ApiFailure('conflict', 'You cannot delete your own account.');
    if (before.role === 'admin' && !before.disabled && activeAdminsOtherThan(id) === 0) {
      throw new ApiFailure('conflict', 'This is the last active administrator; add another first.');
    }
    try {
      db.delete(users).where(eq(users.id, id)).run();
    } catch (cause) {
      if (isForeignKeyError(cause)) {
        throw new ApiFailure(
          'conflict',
          'Other records still refer to this user; disable the account instead.',
        );
      }
      throw cause;
    }
    return before;
  }

  async function changePassword(
    id: number,
    currentPassword: string,
    newPassword: string,
    keepSessionId: number,
    now: number,
  ): Promise<void> {
    const row = db
      .select({ hash: users.passwordHash, email: users.email })
      .from(users)
      .where(eq(users.id, id))
      .get();
    if (!row) throw new ApiFailure('not-found', 'That user no longer exists.');
    // A guess at the current password is a login attempt: the same per-account throttle, so a
    // borrowed session cannot be used to find the password by trying it here.
    const key = auth.throttle.keyOf(row.email, true);
    auth.throttle.reserve(key, now);
    if (!(await verifyPassword(currentPassword, row.hash))) {
      throw new ApiFailure('validation', 'That is not your current password.', {
        field: 'currentPassword',
      });
    }
    auth.throttle.succeeded(key);
    const passwordHash = await hashPassword(newPassword);
    db.transaction(() => {
      db.update(users)
        .set({ passwordHash, mustChangePassword: false, updatedAt: now })
        .where(eq(users.id, id))
        .run();
      auth.endSessions(id, keepSessionId);
    });
  }

  /**
   * Replaces a user's password with a one-time password, returned once (only its hash is
   * kept): it must be changed at the next login, and every session of the user ends.
   */
  async function resetPassword(id: number, now: number): Promise<{ user: User; password: string }> {
    get(id); // not-found before the hash is spent
    const password = generateOneTimePassword();
    const passwordHash = await hashPassword(password);
    db.transaction(() => {
      const changed = db
        .update(users)
        .set({ passwordHash, mustChangePassword: true, updatedAt: now })
        .where(eq(users.id, id))
        .run().changes;
      if (changed === 0) throw new ApiFailure('not-found', 'That user no longer exists.');
      auth.endSessions(id);
      // A locked-out user is who asks for a reset: their failed logins are forgiven.
      const email = db.select({ email: users.email }).from(users).where(eq(users.id, id)).get();
      if (email) auth.throttle.succeeded(auth.throttle.keyOf(email.email, true));
    });
    return { user: get(id), password };
  }

  /** The administrator to reset from the command line: the one with this email, or the only
   *  administrator when no email is given. Throws a message for the operator otherwise. */
  function adminForReset(email: string | null): User {
    const admins = list().filter((u) => u.role === 'admin');
    if (email !== null) {
      const wanted = email.trim().toLowerCase();
      const found = admins.find((u) => u.email === wanted);
      if (found) return found;
      throw new ApiFailure(
        'not-found',
        `There is no administrator with the email ${wanted}. Administrators: ${admins.map((u) => u.email).join(', ') || 'none'}.`,
      );
    }
    const [only, ...more] = admins;
    if (!only) throw new ApiFailure('not-found', 'There is no administrator yet: run the setup.');
    if (more.length > 0) {
      throw new ApiFailure(
        'validation',
        `There are ${admins.length} administrators; name one: --reset-admin-password <email> (${admins.map((u) => u.email).join(', ')}).`,
      );
    }
    return only;
  }

  return {
    list,
    get,
    insert,
    create,
    update,
    remove,
    changePassword,
    resetPassword,
    adminForReset,
    hasAdmin: () =>
      (db.select({ n: count() }).from(users).where(eq(users.role, 'admin')).get()?.n ?? 0) > 0,
  };
}
