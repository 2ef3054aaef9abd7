// One way to read a long list page by page: a filter, a total for that filter, and keyset
// pagination (newest first by a key, ties broken by a unique column). A page continues from the
// last row the client saw (`after`), so rows arriving meanwhile neither repeat nor skip a row the
// way an OFFSET would; `offset` is still accepted for jumping to a page number.
// The caller supplies the two queries (they may join), this supplies the WHERE, ORDER and LIMIT.
import { and, count, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase, SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { ApiFailure } from '../../src-shared/api/result';

export interface PageRequest {
  limit: number;
  /** Rows to skip (after `after`, if given). */
  offset?: number;
  /** The `next` of the previous page: continue after that row. */
  after?: string;
}

export interface Page<Row> {
  /** Rows matching the filter, on every page alike. */
  total: number;
  rows: Row[];
  /** Give as `after` for the next page; null on the last one. */
  next: string | null;
}

/** Newest first by `key`; `tie` (unique, e.g. the id, or `rowid` as SQL) orders rows with the
 *  same key. Both must be integers: a page position is two numbers. */
export interface KeysetOrder {
  key: SQLiteColumn | SQL;
  tie: SQLiteColumn | SQL;
}

export interface PagedQuery<Row> {
  filter: (SQL | undefined)[];
  order: KeysetOrder;
  page: PageRequest;
  /** How many rows match `where`. */
  count: (where: SQL | undefined) => number;
  /** The rows matching `where`, ordered by `orderBy`, `limit` of them from `offset`. */
  select: (where: SQL | undefined, orderBy: SQL[], limit: number, offset: number) => Row[];
  /** The row's `key` and `tie` values. */
  keyOf: (row: Row) => readonly [number, number];
}

const CURSOR = /^(-?\d{1,16}):(-?\d{1,16})$/;

export const encodeCursor = ([key, tie]: readonly [number, number]) => `${key}:${tie}`;

function decodeCursor(after: string): [number, number] {
  const m = CURSOR.exec(after);
  if (!m) {
    throw new ApiFailure(
      'validation',
      'The page position is not one this list gave out: start again from the first page.',
      { field: 'after' },
    );
  }
  return [Number(m[1]), Number(m[2])];
}

export function pagedQuery<Row>(q: PagedQuery<Row>): Page<Row> {
  const where = and(...q.filter);
  // As SQL either way (a column or an expression such as rowid): one overload of lt/eq/desc.
  const key = sql`${q.order.key}`;
  const tie = sql`${q.order.tie}`;
  const total = q.count(where);
  let from: SQL | undefined;
  if (q.page.after !== undefined) {
    const [k, t] = decodeCursor(q.page.after);
    from = or(lt(key, k), and(eq(key, k), lt(tie, t)));
  }
  // One row more than asked tells whether there is a next page without a second count.
  const rows = q.select(
    and(where, from),
    [desc(key), desc(tie)],
    q.page.limit + 1,
    q.page.offset ?? 0,
  );
  const more = rows.length > q.page.limit;
  const page = more ? rows.slice(0, q.page.limit) : rows;
  const last = page[page.length - 1];
  return { total, rows: page, next: more && last ? encodeCursor(q.keyOf(last)) : null };
}

/** A LIKE pattern matching the user's text anywhere, taken literally (% and _ escaped with \). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The `count` and `select` of a PagedQuery over one table (no join), on either database file. */
export function fromTable<T extends SQLiteTable>(
  db: BaseSQLiteDatabase<'sync', unknown, Record<string, unknown>>,
  table: T,
): Pick<PagedQuery<T['$inferSelect']>, 'count' | 'select'> {
  return {
    count: (where) => db.select({ n: count() }).from(table).where(where).get()?.n ?? 0,
    select: (where, orderBy, limit, offset) =>
      // drizzle cannot infer a generic table's row type; it is the table's own select model.
      db
        .select()
        .from(table as SQLiteTable)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit)
        .offset(offset)
        .all() as T['$inferSelect'][],
  };
}
