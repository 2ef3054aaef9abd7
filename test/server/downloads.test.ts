// Streamed downloads over HTTP on the in-process service (port 0): a 1,000,000-row audit export
// with the process's memory measured while it streams, 401 without a valid session (nothing
// leaked), a site administrator refused what they cannot list, and a backup file streamed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { startInProcess, type TestService } from './support';
import { aSetup, aUser, USER_PASSWORD } from '../support/factories';
import type { Connection } from '../../src-main/api/context';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/api/contract';

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
  lines: number;
  text: string;
}

/** GET with a streaming reader: counts bytes and lines, keeps the text only if asked. */
function get(
  s: TestService,
  path: string,
  headers: Record<string, string> = {},
  keep = true,
): Promise<Got> {
  const base = new URL(s.service.httpUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, headers }, (res) => {
      let bytes = 0;
      let lines = 0;
      const kept: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        if (keep) kept.push(chunk);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          bytes,
          lines,
          text: Buffer.concat(kept).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function setUp() {
  const s = await startInProcess();
  const core = s.service.core;
  const call = async <M extends MethodName>(
    conn: Connection,
    method: M,
    input: MethodInput<M>,
  ): Promise<MethodOutput<M>> => {
    const r = await core.call(conn, method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as MethodOutput<M>;
  };
  const admin = core.openConnection('127.0.0.1');
  await call(admin, 'setup-complete', aSetup());
  return { s, core, admin, call };
}

describe('streamed downloads', () => {
  it(
    'streams 1,000,000 audit rows with the process memory staying flat',
    { timeout: 180_000 },
    async () => {
      const { s, core, admin, call } = await setUp();
      // A million entries of a realistic size, written straight into the table.
      const insert = core.db.$client.prepare(
        `INSERT INTO audit_log (at, user_id, user_email, method, entity, entity_id, site_id, input, before, after, outcome)
       VALUES (?, 1, 'admin@example.com', 'station-update', 'station', ?, 1, ?, ?, ?, 'ok')`,
      );
      const ROWS = 1_000_000;
      core.db.$client.transaction(() => {
        for (let i = 0; i < ROWS; i++) {
          insert.run(
            Date.UTC(2026, 0, 1) + i * 1000,
            String(i % 500),
            `{"id":${i % 500},"name":"Bay ${i % 500}, Level B2"}`,
            `{"maxCurrentA":32}`,
            `{"maxCurrentA":16}`,
          );
        }
      })();

      const ticket = await call(admin, 'download-ticket-create', { kind: 'audit-csv', filter: {} });
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const got = await get(s, ticket.url, {}, false).finally(() => clearInterval(sampler));
      peak = Math.max(peak, process.memoryUsage().rss);

      expect(got.status).toBe(200);
      expect(got.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(got.headers['content-disposition']).toMatch(
        /^attachment; filename="audit-\d{8}\.csv"/,
      );
      expect(got.headers['content-length']).toBeUndefined();
      // Header + every row (setup-complete's own entries and the download's are there too).
      expect(got.lines).toBeGreaterThan(ROWS);
      const growthMiB = (peak - before) / 2 ** 20;
      const sizeMiB = got.bytes / 2 ** 20;
      console.info(
        `audit export: ${got.lines - 1} rows, ${sizeMiB.toFixed(0)} MiB streamed, peak RSS growth ${growthMiB.toFixed(0)} MiB`,
      );
      expect(sizeMiB).toBeGreaterThan(150);
      // Holding the file (or the rows) would grow by more than its size; streaming stays flat.
      expect(growthMiB).toBeLessThan(80);
    },
  );

  it('answers 401 without a valid session, with nothing about the file', async () => {
    const { s, core, admin, call } = await setUp();
    const bogus = await get(s, '/download/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect([bogus.status, bogus.text]).toEqual([
      401,
      'This download link has expired. Start the download again.\n',
    ]);
    const noToken = await get(s, '/download/audit-csv');
    expect(noToken.status).toBe(401);
    const badToken = await get(s, '/download/backup?fileName=nothing.db', {
      Authorization: 'Bearer not-a-session',
    });
    // Not 404: a caller without a session learns nothing about which files exist.
    expect([badToken.status, badToken.text]).toEqual([401, 'Log in again to download this.\n']);

    // A ticket works once.
    const ticket = await call(admin, 'download-ticket-create', { kind: 'audit-csv', filter: {} });
    expect((await get(s, ticket.url)).status).toBe(200);
    expect((await get(s, ticket.url)).status).toBe(401);
    // Logging out voids the tickets of that session.
    const later = await call(admin, 'download-ticket-create', { kind: 'audit-csv', filter: {} });
    await call(admin, 'session-logout', {});
    expect((await get(s, later.url)).status).toBe(401);
    expect(core.services.auth).toBeDefined();
  });

  it('refuses a page of another site and a script without our origin', async () => {
    const { s, admin, call } = await setUp();
    const ticket = await call(admin, 'download-ticket-create', { kind: 'audit-csv', filter: {} });
    const foreign = await get(s, ticket.url, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const rebinding = await get(s, ticket.url, { Host: 'evil.example' });
    expect(rebinding.status).toBe(403);
  });

  it('lets a site administrator download nothing they cannot list; an administrator gets the backup', async () => {
    const { s, core, admin, call } = await setUp();
    const [site] = await call(admin, 'site-list', {});
    const input = aUser({ role: 'site_admin', siteIds: [site?.id ?? 0] });
    await call(admin, 'user-create', input);
    const siteAdmin = core.openConnection('127.0.0.1');
    const login = await call(siteAdmin, 'session-login', {
      email: input.email,
      password: USER_PASSWORD,
    });
    const backup = await call(admin, 'backup-create', {});

    for (const request of [
      { kind: 'audit-csv', filter: {} },
      { kind: 'backup', fileName: backup.fileName },
    ] as const) {
      const r = await core.call(siteAdmin, 'download-ticket-create', request);
      expect(r.ok ? 'granted' : r.error.code).toBe('forbidden');
    }
    const bearer = { Authorization: `Bearer ${login.token}` };
    expect((await get(s, `/download/audit-csv`, bearer)).status).toBe(403);
    expect((await get(s, `/download/backup?fileName=${backup.fileName}`, bearer)).status).toBe(403);

    // The administrator: the backup file byte for byte, with its length.
    const ticket = await call(admin, 'download-ticket-create', {
      kind: 'backup',
      fileName: backup.fileName,
    });
    const got = await get(s, ticket.url);
    const onDisk = readFileSync(join(s.dataDir, 'backups', backup.fileName));
    expect(got.status).toBe(200);
    expect(got.headers['content-length']).toBe(String(onDisk.length));
    expect(got.bytes).toBe(onDisk.length);
    const missing = await core.call(admin, 'download-ticket-create', {
      kind: 'backup',
      fileName: 'none.db',
    });
    expect(missing.ok ? 'granted' : missing.error.code).toBe('not-found');

    // The audit CSV through a script's session token parses back with the filter applied.
    const adminToken = admin.token ?? '';
    const csv = await get(s, '/download/audit-csv?method=backup-create', {
      Authorization: `Bearer ${adminToken}`,
    });
    const parsed = Papa.parse<Record<string, string>>(csv.text.replace(/^\ufeff/, ''), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.data.map((r) => r.method)).toEqual(['backup-create']);
  });
});
