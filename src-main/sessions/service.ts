// The sessions domain: the list of charging sessions (every role, scoped in here by the caller's
// role: an EV user sees only their own account's sessions, a site administrator only their
// sites'), the review of flagged sessions, occupancy after charging, and the billable state
// billing reads (billable.ts). docs/sessions.md.
import type { Session, SessionFilter, SessionSort } from '../../src-shared/api/methods/sessions';
import { ApiFailure } from '../../src-shared/api/result';
import { performance } from 'node:perf_hooks';
import type { Caller } from '../platform/caller';
import type { Seams } from '../platform/seams';
import { createBillable } from './billable';
import { createOccupancy } from './occupancy';
import {
  countSql,
  selectSql,
  toSession,
  whereOf,
  type SessionRowRaw,
  type SessionScope,
} from './query';
import { createReview, type ResolveInput } from './review';
import { decodeCursor, encodeCursor } from './sort';

/**
 * The list's total counts matching rows up to COUNT_CAP, for at most COUNT_BUDGET_MS, then says
 * "more than" what it counted (`totalCapped`): an exact count over a million rows, or a filter
 * no index serves (a card number fragment), would cost more than the page itself.
 */
export const COUNT_CAP = 10_000;
export const COUNT_BUDGET_MS = 10;

export interface SessionsDeps {
  /** The accounts an EV user is a resident of on their login's sites (residents domain). */
  accountsOfUser: (userId: number, siteIds: readonly number[]) => number[];
}

export interface ListRequest {
  filter: SessionFilter;
  sort: SessionSort;
  dir: 'asc' | 'desc';
  limit: number;
  after?: string;
}

export function createSessionsService(
  seams: Pick<Seams, 'db' | 'domainEvents'>,
  deps: SessionsDeps,
) {
  const { db } = seams;
  const sqlite = db.$client;
  const occupancy = createOccupancy(db);
  occupancy.subscribe(seams.domainEvents);
  const review = createReview(db, seams.domainEvents);
  const billable = createBillable(db);

  /** Whose sessions the caller sees: decided here from the role, whatever the input says. */
  function scopeOf(caller: Caller): SessionScope {
    switch (caller.role) {
      case 'admin':
      case 'support':
        return { kind: 'all' };
      case 'site_admin':
        return { kind: 'sites', siteIds: caller.siteIds };
      case 'ev_user':
        return { kind: 'accounts', accountIds: deps.accountsOfUser(caller.userId, caller.siteIds) };
    }
  }

  function countUpTo(where: ReturnType<typeof whereOf>): { n: number; capped: boolean } {
    const q = countSql(where, COUNT_CAP);
    const deadline = performance.now() + COUNT_BUDGET_MS;
    let n = 0;
    for (const _ of sqlite
      .prepare(q.text)
      .raw()
      .iterate(...q.params)) {
      if (n === COUNT_CAP) return { n, capped: true };
      n++;
      // Leaving the loop resets the statement (better-sqlite3 closes the iterator).
      if ((n & 255) === 0 && performance.now() > deadline) return { n, capped: true };
    }
    return { n, capped: false };
  }

  function list(caller: Caller, req: ListRequest) {
    const where = whereOf(req.filter, scopeOf(caller), req.sort);
    const after = req.after ? decodeCursor(req.after, req.sort, req.dir) : null;
    const page = selectSql(where, req.sort, req.dir, after, req.limit + 1);
    const rows = sqlite.prepare(page.text).all(...page.params) as SessionRowRaw[];
    const more = rows.length > req.limit;
    const shown = more ? rows.slice(0, req.limit) : rows;
    const last = shown[shown.length - 1];
    // The count is not sorted: its WHERE keeps the start range indexable (whereOf's sort rule
    // is for the page's ORDER BY).
    const { n, capped } = countUpTo(whereOf(req.filter, scopeOf(caller)));
    return {
      total: n,
      totalCapped: capped,
      next:
        more && last
          ? encodeCursor(req.sort, req.dir, { key: Number(last.sortKey), id: last.id })
          : null,
      sessions: shown.map(toSession),
    };
  }

  /** One session the caller may see, or not-found (the same answer whether it exists or not). */
  function get(caller: Caller, id: number): Session {
    const where = whereOf({ transactionId: id }, scopeOf(caller));
    const q = selectSql(where, 'id', 'desc', null, 1);
    const row = sqlite.prepare(q.text).get(...q.params) as SessionRowRaw | undefined;
    if (!row) throw new ApiFailure('not-found', 'No such charging session.');
    return toSession(row);
  }

  return {
    scopeOf,
    list,
    get,
    /** A session for review: why, its raw readings, every decision so far. */
    reviewGet(caller: Caller, id: number) {
      const session = get(caller, id);
      return { session, ...review.samples(id), reviews: review.history(id) };
    },
    /** Records a decision (audited by the API), returns the session as it is now. */
    resolve(caller: Caller, input: ResolveInput, now: number): Session {
      const session = get(caller, input.id);
      review.resolve(session, input, caller.userId, now);
      return get(caller, input.id);
    },
    occupancy,
    /** How billing reads a session (docs/sessions.md). */
    billable,
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
