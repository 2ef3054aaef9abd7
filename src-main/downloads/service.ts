// Streamed downloads: large results (audit CSV, backup files; invoice PDFs and ZIPs later) go
// to the user as a stream, never whole in memory and never through the 4 MiB API socket.
//
// The API grants a download: `download-ticket-create` checks the caller's role and sites exactly
// like the data's own methods and returns a short-lived, single-use ticket. The headless service
// streams it over HTTP (`GET /download/t/<ticket>`, src-main/http/downloads.ts); the desktop app
// writes the same stream to a file the user picks (src-main/electron/downloads.ts). At redemption
// the session behind the ticket must still be live and the caller is checked again.
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ApiFailure } from '../../src-shared/api/result';
import type { DownloadRequest } from '../../src-shared/api/methods/downloads';
import type { Caller } from '../platform/caller';
import type { AuthService } from '../auth/service';
import type { Db } from '../db/open';
import { BackupFileError, resolveBackupName } from '../backup/files';
import { localDateStamp } from '../audit/query';
import type { Clock } from '../platform/clock';
import { streamAuditCsv } from './audit-csv';
import { streamOcppLogCsv } from './ocpp-log-csv';
import type { MessageLog } from '../ocpp/message-log';
import { sites, stations } from '../db/schema';
import { eq } from 'drizzle-orm';
import { streamAlarmsCsv } from '../alarms/csv';
import { STAFF_ROLES } from '../../src-shared/roles';
import type { BillingExports } from '../billing/exports/service';
import type { BillingReportCsv } from '../billing/reports/report-csv';

/** Sites a caller may see: administrators and support all (and organisation-wide rows). */
const visibleSites = (caller: Caller): number[] | 'all' =>
  caller.role === 'admin' || caller.role === 'support' ? 'all' : caller.siteIds;
import { importTemplate } from '../residents/csv-import';
import { streamResidentsCsv } from '../residents/export-csv';
import { streamSessionsCsv } from '../sessions/csv';
import type { SessionScope } from '../sessions/query';

export interface DownloadBody {
  fileName: string;
  contentType: string;
  /** Known for files (Content-Length), null for generated streams (chunked). */
  size: number | null;
  stream: Readable;
}

/** Why a download was refused: the HTTP route turns it into a status without details. */
export type DownloadRefusal = { status: 401 | 403 | 404; message: string };

/** A ticket lives this long: enough to start the download, short enough to be useless later. */
export const TICKET_MS = 60_000;

interface Ticket {
  token: string;
  request: DownloadRequest;
  expiresAt: number;
}

export type DownloadService = ReturnType<typeof createDownloadService>;

export function createDownloadService(deps: {
  db: Db;
  auth: AuthService;
  clock: Clock;
  dataDir: string;
  nativeBinding?: string;
  /** Whose sessions a caller sees (sessions/service.ts): the export applies the same scope. */
  sessionScope: (caller: Caller) => SessionScope;
  messageLog: Pick<MessageLog, 'db' | 'flush'>;
  /** Invoice PDFs (billing/service.ts): whose it is, and the file as issued. */
  invoices?: {
    ownerOf(invoiceId: number): { siteId: number; accountId: number; fileName: string } | null;
    accountsOfUser(userId: number, siteIds: readonly number[]): number[];
    render(invoiceId: number): Promise<Buffer>;
  };
  billingExports: BillingExports;
  /** Billing → Reports as CSV (billing/reports/report-csv.ts). */
  billingReportCsv?: BillingReportCsv;
}) {
  /** A station's site and its zone (null: no such station). */
  const stationSite = (stationId: number) =>
    deps.db
      .select({ siteId: stations.siteId, timeZone: sites.timeZone })
      .from(stations)
      .innerJoin(sites, eq(sites.id, stations.siteId))
      .where(eq(stations.id, stationId))
      .get() ?? null;
  const stationName = (stationId: number) =>
    deps.db
      .select({ identity: stations.identity })
      .from(stations)
      .where(eq(stations.id, stationId))
      .get()?.identity ?? null;
  const tickets = new Map<string, Ticket>();

  /** Throws ApiFailure unless the caller may have this; the same rules as the data's methods. */
  function authorize(caller: Caller, request: DownloadRequest): void {
    switch (request.kind) {
      case 'audit-csv':
      case 'backup':
        // audit-list / backup-list are for administrators only.
        if (caller.role !== 'admin') {
          throw new ApiFailure('forbidden', 'Only administrators may download this.');
        }
        if (request.kind === 'backup') backupPath(request.fileName);
        return;
      case 'ocpp-log-csv': {
        // Like ocpp-log-list: staff; a station named must be on one of the caller's sites (the
        // rows are limited to the caller's sites in any case, see open()).
        if (!(STAFF_ROLES as readonly string[]).includes(caller.role)) {
          throw new ApiFailure('forbidden', 'Only staff may download the OCPP message log.');
        }
        const { stationId } = request.filter;
        const visible = visibleSites(caller);
        if (stationId !== undefined && visible !== 'all') {
          const site = stationSite(stationId);
          if (!site || !visible.includes(site.siteId)) {
            throw new ApiFailure('forbidden', 'You do not have access to this station.');
          }
        }
        return;
      }
      case 'alarms-csv': {
        // Like alarm-list: staff, and a site filter must name one of the caller's sites.
        if (!(STAFF_ROLES as readonly string[]).includes(caller.role)) {
          throw new ApiFailure('forbidden', 'Only staff may download alarms.');
        }
        const visible = visibleSites(caller);
        if (request.filter.siteId !== undefined && visible !== 'all') {
          if (!visible.includes(request.filter.siteId)) {
            throw new ApiFailure('forbidden', 'You do not have access to this site.');
          }
        }
        return;
      }
      case 'residents-csv':
      case 'residents-template':
        // Billing data: administrators and the site's administrators (account-list's rule).
        if (caller.role !== 'admin' && caller.role !== 'site_admin') {
          throw new ApiFailure(
            'forbidden',
            'Only administrators and site administrators may download residents and cards.',
          );
        }
        if (request.kind === 'residents-csv') {
          siteOf(request.siteId);
          if (caller.role === 'site_admin' && !caller.siteIds.includes(request.siteId)) {
            throw new ApiFailure('forbidden', 'You have no access to that site.');
          }
        }
        return;
      case 'invoice-pdf': {
        // Like invoice-pdf (managers of the invoice's site) and my-invoice-pdf (an EV user's own
        // account's): anyone else gets the same 'not found' as for an invoice that does not exist.
        const inv = invoiceOf(request.invoiceId);
        const mine =
          caller.role === 'ev_user'
            ? (deps.invoices?.accountsOfUser(caller.userId, caller.siteIds) ?? []).includes(
                inv.accountId,
              )
            : caller.role === 'admin' ||
              (caller.role === 'site_admin' && caller.siteIds.includes(inv.siteId));
        if (!mine) throw new ApiFailure('not-found', 'That invoice no longer exists.');
        return;
      }
      case 'billing-export': {
        // Like invoice-list: the site's managers. The check runs here too, so a ticket is
        // refused in words when the rows would not add up to the run's totals.
        if (caller.role !== 'admin' && caller.role !== 'site_admin') {
          throw new ApiFailure('forbidden', 'Only administrators may export invoices.');
        }
        if (caller.role === 'site_admin' && !caller.siteIds.includes(request.siteId)) {
          throw new ApiFailure('forbidden', 'You have no access to that site.');
        }
        const check = deps.billingExports.check(request.siteId, request.runId, request.key);
        if (!check.ok) throw new ApiFailure('conflict', check.message);
        return;
      }
      case 'billing-report-csv':
        // Like billing-report: the site's managers; the report's own refusals (a range the wrong
        // way round, too many periods, another site's cost tariff) in words, before the ticket.
        if (caller.role !== 'admin' && caller.role !== 'site_admin') {
          throw new ApiFailure(
            'forbidden',
            'Only administrators and site administrators may export billing reports.',
          );
        }
        if (caller.role === 'site_admin' && !caller.siteIds.includes(request.siteId)) {
          throw new ApiFailure('forbidden', 'You have no access to that site.');
        }
        siteOf(request.siteId);
        reportCsv().check(request);
        return;
      case 'sessions-csv':
        // Like session-list: everyone, the rows scoped by role when the file is made; a site
        // named in the filter must still be one of the caller's.
        if (
          request.filter.siteId !== undefined &&
          caller.role !== 'admin' &&
          caller.role !== 'support' &&
          !caller.siteIds.includes(request.filter.siteId)
        ) {
          throw new ApiFailure('forbidden', 'You do not have access to this site’s sessions.');
        }
        return;
    }
  }

  function invoiceOf(invoiceId: number) {
    const inv = deps.invoices?.ownerOf(invoiceId);
    if (!inv) throw new ApiFailure('not-found', 'That invoice no longer exists.');
    return inv;
  }

  function reportCsv(): BillingReportCsv {
    if (!deps.billingReportCsv)
      throw new ApiFailure('not-found', 'Reports are not available here.');
    return deps.billingReportCsv;
  }

  function siteOf(siteId: number) {
    const site = deps.db.select().from(sites).where(eq(sites.id, siteId)).get();
    if (!site) throw new ApiFailure('not-found', 'That site no longer exists.');
    return site;
  }

  function backupPath(fileName: string): string {
    try {
      return resolveBackupName(deps.dataDir, fileName);
    } catch (cause) {
      if (cause instanceof BackupFileError) throw new ApiFailure('not-found', cause.message);
      throw cause;
    }
  }

  function fileNameOf(request: DownloadRequest): string {
    switch (request.kind) {
      case 'audit-csv':
        return `audit-${localDateStamp(deps.clock.now())}.csv`;
      case 'backup':
        return request.fileName;
      case 'alarms-csv':
        return `alarms-${request.view}-${localDateStamp(deps.clock.now())}.csv`;
      case 'residents-csv':
        return `residents-${localDateStamp(deps.clock.now())}.csv`;
      case 'residents-template':
        return 'residents-template.csv';
      case 'invoice-pdf':
        return invoiceOf(request.invoiceId).fileName;
      case 'billing-export':
        return deps.billingExports.fileName(request.siteId, request.runId, request.key);
      case 'sessions-csv':
        return `sessions-${localDateStamp(deps.clock.now())}.csv`;
      case 'billing-report-csv':
        return reportCsv().fileName(request);
      case 'ocpp-log-csv': {
        const { stationId } = request.filter;
        const identity = stationId === undefined ? null : stationName(stationId);
        // A charge box id may hold characters a file name cannot (: * / on Windows).
        const name = (identity ?? 'chargers').replace(/[^A-Za-z0-9._-]/g, '-');
        return `${name}-ocpp-log-${localDateStamp(deps.clock.now())}.csv`;
      }
    }
  }

  function open(request: DownloadRequest, caller: Caller): DownloadBody {
    switch (request.kind) {
      case 'alarms-csv':
        return {
          fileName: fileNameOf(request),
          contentType: 'text/csv; charset=utf-8',
          size: null,
          stream: streamAlarmsCsv({
            db: deps.db,
            nativeBinding: deps.nativeBinding,
            view: request.view,
            filter: request.filter,
            visible: visibleSites(caller),
          }),
        };
      case 'ocpp-log-csv': {
        const { stationId } = request.filter;
        return {
          fileName: fileNameOf(request),
          contentType: 'text/csv; charset=utf-8',
          size: null,
          stream: streamOcppLogCsv({
            db: deps.db,
            messageLog: deps.messageLog,
            nativeBinding: deps.nativeBinding,
            filter: request.filter,
            visible: visibleSites(caller),
            timeZone: stationId === undefined ? undefined : stationSite(stationId)?.timeZone,
          }),
        };
      }
      case 'audit-csv':
        return {
          fileName: fileNameOf(request),
          contentType: 'text/csv; charset=utf-8',
          size: null,
          stream: streamAuditCsv({
            db: deps.db,
            nativeBinding: deps.nativeBinding,
            filter: request.filter,
          }),
        };
      case 'sessions-csv':
        return {
          fileName: fileNameOf(request),
          contentType: 'text/csv; charset=utf-8',
          size: null,
          stream: streamSessionsCsv({
            file: deps.db.$client.name,
            nativeBinding: deps.nativeBinding,
            filter: request.filter,
            scope: deps.sessionScope(caller),
            sort: request.sort,
            dir: request.dir,
          }),
        };
      case 'backup': {
        const path = backupPath(request.fileName);
        return {
          fileName: request.fileName,
          contentType: 'application/vnd.sqlite3',
          size: statSync(path).size,
          stream: createReadStream(path),
        };
      }
      case 'residents-csv':
        return {
          fileName: fileNameOf(request),
          contentType: 'text/csv; charset=utf-8',
          size: null,
          stream: streamResidentsCsv({
            file: deps.db.$client.name,
            nativeBinding: deps.nativeBinding,
            siteId: request.siteId,
            timeZone: siteOf(request.siteId).timeZone,
            now: deps.clock.now(),
          }),
        };
      case 'invoice-pdf': {
        const render = deps.invoices?.render;
        if (!render) throw new ApiFailure('not-found', 'Invoices are not available here.');
        // Rendered on demand when the stream is read (a PDF is tens of KB, made in ~100 ms).
        const id = request.invoiceId;
        return {
          fileName: fileNameOf(request),
          contentType: 'application/pdf',
          size: null,
          stream: Readable.from(
            (async function* () {
              yield await render(id);
            })(),
          ),
        };
      }
      case 'billing-export': {
        const file = deps.billingExports.stream(request.siteId, request.runId, request.key);
        return {
          fileName: file.fileName,
          contentType: 'text/csv; charset=utf-8',
          size: null,
          stream: file.stream,
        };
      }
      case 'billing-report-csv':
        return {
          fileName: fileNameOf(request),
          contentType: 'text/csv; charset=utf-8',
          size: null,
          stream: reportCsv().stream(request),
        };
      case 'residents-template': {
        const body = Buffer.from('\ufeff' + importTemplate(), 'utf8');
        return {
          fileName: fileNameOf(request),
          contentType: 'text/csv; charset=utf-8',
          size: body.length,
          stream: Readable.from([body]),
        };
      }
    }
  }

  function sweep(now: number) {
    for (const [id, t] of tickets) if (t.expiresAt <= now) tickets.delete(id);
  }

  /** The caller behind a session token, checked for this request: the body, or why not. */
  function openFor(token: string | null, request: DownloadRequest): DownloadBody | DownloadRefusal {
    const caller = token ? deps.auth.resolveSession(token, deps.clock.now()) : null;
    if (!caller) return { status: 401, message: 'Log in again to download this.' };
    try {
      authorize(caller, request);
      return open(request, caller);
    } catch (cause) {
      if (cause instanceof ApiFailure) {
        return cause.error.code === 'not-found'
          ? { status: 404, message: cause.error.message }
          : { status: 403, message: 'You may not download this.' };
      }
      throw cause;
    }
  }

  return {
    authorize,
    /** For the API: a ticket for a request the caller may have (authorize() first). */
    createTicket(caller: Caller, token: string, request: DownloadRequest) {
      authorize(caller, request);
      const now = deps.clock.now();
      sweep(now);
      const id = randomBytes(24).toString('base64url');
      const expiresAt = now + TICKET_MS;
      tickets.set(id, { token, request, expiresAt });
      return { url: `/download/t/${id}`, fileName: fileNameOf(request), expiresAt };
    },
    /** Redeems a ticket once: the stream, or why not (unknown, used, expired → 401). */
    redeem(ticketId: string): DownloadBody | DownloadRefusal {
      const now = deps.clock.now();
      const ticket = tickets.get(ticketId);
      tickets.delete(ticketId);
      if (!ticket || ticket.expiresAt <= now) {
        return {
          status: 401,
          message: 'This download link has expired. Start the download again.',
        };
      }
      return openFor(ticket.token, ticket.request);
    },
    /** For scripts: the session token in a header instead of a ticket. */
    openWithSession: openFor,
  };
}

export const isRefusal = (r: DownloadBody | DownloadRefusal): r is DownloadRefusal => 'status' in r;
