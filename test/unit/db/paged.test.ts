// The shared paged query (src-main/db/paged.ts) on a real SQLite file: keyset pages across rows
// with the same time, filters applied to rows and total alike, and rows added while paging.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eq, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromTable, pagedQuery, type PageRequest } from '../../../src-main/db/paged';
import { ApiFailure } from '../../../src-shared/api/result';

const items = sqliteTable('items', {
  id: integer('id').primaryKey(),
  at: integer('at').notNull(),
  kind: text('kind').notNull(),
});

let dir: string;
let sqlite: Database.Database;
let db: ReturnType<typeof drizzle>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paged-'));
  sqlite = new Database(join(dir, 'paged.db'));
  sqlite.exec(
    'CREATE TABLE items (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL)',
  );
  db = drizzle(sqlite);
});
afterEach(() => {
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const page = (page: PageRequest, filter: (SQL | undefined)[] = []) =>
  pagedQuery({
    filter,
    order: { key: items.at, tie: items.id },
    page,
    ...fromTable(db, items),
    keyOf: (r) => [r.at, r.id],
  });

/** Every page from the first, following `next`. */
function walk(limit: number, filter: (SQL | undefined)[] = []) {
  const pages = [];
  let after: string | undefined;
  for (;;) {
    const p = page({ limit, after }, filter);
    pages.push(p);
    if (p.next === null) return pages;
    after = p.next;
  }
}

describe('pagedQuery', () => {
  it('walks rows sharing a time exactly once each, newest first then highest id', () => {
    // 10 rows, only three distinct times: pages of 3 must cut through runs of equal `at`.
    const rows = Array.from({ length: 10 }, (_, i) => ({
      id: i + 1,
      at: [100, 200, 300][i % 3] ?? 0,
      kind: i % 2 ? 'odd' : 'even',
    }));
    db.insert(items).values(rows).run();
    const pages = walk(3);
    expect(pages.map((p) => p.rows.length)).toEqual([3, 3, 3, 1]);
    expect(pages.every((p) => p.total === 10)).toBe(true);
    const seen = pages.flatMap((p) => p.rows.map((r) => r.id));
    const expected = [...rows].sort((a, b) => b.at - a.at || b.id - a.id).map((r) => r.id);
    expect(seen).toEqual(expected);
  });

  it('filters the rows and the total alike', () => {
    db.insert(items)
      .values(Array.from({ length: 7 }, (_, i) => ({ id: i + 1, at: 50, kind: i < 4 ? 'a' : 'b' })))
      .run();
    const pages = walk(2, [eq(items.kind, 'b')]);
    expect(pages.map((p) => p.total)).toEqual([3, 3]);
    expect(pages.flatMap((p) => p.rows.map((r) => r.id))).toEqual([7, 6, 5]);
  });

  it('neither repeats nor skips a row when newer rows arrive between pages', () => {
    db.insert(items)
      .values(Array.from({ length: 6 }, (_, i) => ({ id: i + 1, at: 10 * (i + 1), kind: 'a' })))
      .run();
    const first = page({ limit: 3 });
    expect(first.rows.map((r) => r.id)).toEqual([6, 5, 4]);
    db.insert(items).values({ id: 7, at: 999, kind: 'a' }).run();
    const second = page({ limit: 3, after: first.next ?? undefined });
    expect(second.rows.map((r) => r.id)).toEqual([3, 2, 1]);
    expect(second.total).toBe(7);
    expect(second.next).toBeNull();
  });

  it('keeps offset paging for jumping to a page', () => {
    db.insert(items)
      .values(Array.from({ length: 5 }, (_, i) => ({ id: i + 1, at: 1, kind: 'a' })))
      .run();
    expect(page({ limit: 2, offset: 2 }).rows.map((r) => r.id)).toEqual([3, 2]);
    expect(page({ limit: 2, offset: 4 })).toMatchObject({ total: 5, next: null });
  });

  it('refuses a page position it did not give out, naming the field', () => {
    let failure: unknown;
    try {
      page({ limit: 2, after: '1; DROP TABLE items' });
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).error).toMatchObject({ code: 'validation', field: 'after' });
  });
});
