// createCore: the whole product minus its windows. The desktop app (src-main/electron) and the
// headless service (src-main/server.ts) both call it; tests call it with a temp dir and port 0.
import { mkdirSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Db } from './db/open';
import { systemClock, type Clock } from './platform/clock';
import { createConsoleLogger, type Logger } from './platform/logger';
import { EventBus } from './platform/events';
import { DomainEvents } from './platform/domain-events';
import { startUiProjection } from './platform/event-projector';
import { createScheduler } from './platform/scheduler';
import { RestoreHooks } from './platform/restore-hooks';
import { createMailService } from './mail/service';
import type { Mailer } from './mail/mailer';
import { createDownloadService } from './downloads/service';
import { createAuthService, DEFAULT_AUTH_CONFIG, type AuthConfig } from './auth/service';
import { createAuditService } from './audit/service';
import { createModelService } from './model/service';
import { createUserService } from './users/service';
import { createSetupService } from './setup/service';
import { createBackupService } from './backup/service';
import { removeScratchFiles } from './backup/files';
import { createOcppService, type OcppOptions } from './ocpp/service';
import { createDemoData } from './sim/demo-data';
import { createResidentsService } from './residents/service';
import { createSessionsService } from './sessions/service';
import { createFloorPlanService } from './floor-plans/service';
import { createReportsService } from './reports/service';
import { createDashboardService } from './dashboard/service';
import { createBalancingService } from './balancing/service';
import type { ControllerOptions } from './balancing/controller';
import { createAlarmService } from './alarms/service';
import { createBillingService } from './billing/service';
import { createBillingExports } from './billing/exports/service';
import { createBillingReportCsv } from './billing/reports/report-csv';
import { createLocalListSync } from './residents/local-list-sync';
import { createDispatcher } from './api/dispatcher';
import { handlers } from './api/handlers';
import type { Connection } from './api/context';
import { openMessageLog, type MessageLog } from './ocpp/message-log';
import type { CoreInfo, Services } from './services';
import type { Result } from '../src-shared/api/result';

// What the desktop app and the service need to explain a failed start (see StartupError).
export { DatabaseOpenError } from './db/open';
export { BackupFileError, newestBackup, restoreBackupFile } from './backup/files';

export const VERSION = '0.1.0';

export interface CoreOptions {
  dataDir: string;
  clock?: Clock;
  logger?: Logger;
  /** better-sqlite3 binary built for Electron's ABI (desktop app only). */
  nativeBinding?: string;
  auth?: Partial<AuthConfig>;
  /** Schedule the daily backup (default true; most tests switch it off and call
   *  runScheduleIfDue directly; schedule-job.test.ts drives it with the ManualClock). */
  backupTimer?: boolean;
  /** Write the OCPP message log on the main thread instead of a worker (for measurements). */
  messageLogOnMainThread?: boolean;
  /** OCPP listener(s): { host, port, tlsPort?, tls?, commissioningMinutes? }; port 0 = any free
   *  port. Without it no OCPP listener is started (API-only tests). */
  ocpp?: OcppOptions;
  /** Sends mail (default: nodemailer's SMTP transport with the saved settings). */
  mailer?: Mailer;
  /** Load-balancing controller timings (tests shorten the answer timeout and retries). */
  balancing?: Partial<ControllerOptions>;
}

export class StartupError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

export interface Core {
  services: Services;
  db: Db;
  events: EventBus;
  info: CoreInfo;
  /** A new API client (one per window / browser tab). */
  openConnection(remote: string): Connection;
  call(conn: Connection, method: string, input: unknown): Promise<Result<unknown>>;
  close(): Promise<void>;
}

export function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    throw new StartupError(
      `The data directory ${dir} is not writable (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}).`,
      'Choose another with --data-dir <path> (or STRATACHARGE_DATA_DIR), or fix its permissions.',
    );
  }
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createConsoleLogger();
  ensureWritableDir(opts.dataDir);
  // A backup or restore cut short by a kill or power cut leaves its scratch files behind; no
  // other process writes into this data directory (single instance), so they are garbage now.
  const leftovers = removeScratchFiles(opts.dataDir);
  if (leftovers.length > 0) logger.warn('unfinished backup files removed', { files: leftovers });
  const db = openDatabase({
    file: join(opts.dataDir, 'stratacharge.db'),
    now: clock.now(),
    nativeBinding: opts.nativeBinding,
  });
  let messageLog: MessageLog;
  try {
    messageLog = await openMessageLog({
      file: join(opts.dataDir, 'ocpp-log.db'),
      logger,
      nativeBinding: opts.nativeBinding,
      inProcess: opts.messageLogOnMainThread,
    });
  } catch (cause) {
    db.$client.close();
    throw cause;
  }
  const events = new EventBus();
  const domainEvents = new DomainEvents(logger);
  // CoreEvents for the UI are projected from domain events in this one place.
  startUiProjection(domainEvents, events);
  const info: CoreInfo = {
    version: VERSION,
    dataDir: opts.dataDir,
    startedAt: clock.now(),
    ocppUrl: '',
    ocppTlsUrl: null,
    httpUrl: null,
  };
  // Jobs are registered as the domains are created; nothing runs before start() below.
  const scheduler = createScheduler({ db, clock, logger });
  const restoreHooks = new RestoreHooks(logger);
  const seams = {
    db,
    clock,
    logger,
    events,
    domainEvents,
    scheduler,
    dataDir: opts.dataDir,
    info,
    restoreHooks,
  };
  const auth = createAuthService(db, { ...DEFAULT_AUTH_CONFIG, ...opts.auth });
  const model = createModelService({ db, events, domainEvents });
  const users = createUserService({ db, auth });
  const residents = createResidentsService(db, domainEvents);
  const ocpp = createOcppService(seams, opts.ocpp, {
    createStation: model.createStation,
    messageLog,
    cards: residents.authority,
    localListSync: (stationId, updateType) => localList.sync(stationId, updateType),
  });
  const localList = createLocalListSync({
    db,
    clock,
    logger,
    gateway: ocpp.gateway,
    events: domainEvents,
    scheduler,
    cards: residents.cards,
    accounts: residents.accounts,
  });
  residents.localList = localList;
  localList.start();
  const mail = createMailService({
    db,
    clock,
    logger,
    scheduler,
    mailer: opts.mailer,
    domainEvents,
  });
  const sessions = createSessionsService(seams, {
    accountsOfUser: (userId, siteIds) => residents.accounts.accountsOfUser(userId, siteIds),
  });
  const reports = createReportsService({ db, messageLog });
  const billing = createBillingService({
    db,
    outbox: mail.outbox,
    events: domainEvents,
    scheduler,
    logger,
    clock,
  });
  const billingExports = createBillingExports(db);
  const services: Services = {
    ...seams,
    auth,
    audit: createAuditService(db),
    model,
    users,
    setup: createSetupService({ model, users }),
    backup: createBackupService({
      db,
      clock,
      logger,
      dataDir: opts.dataDir,
      nativeBinding: opts.nativeBinding,
      hooks: restoreHooks,
      scheduler,
      domainEvents,
    }),
    ocpp,
    demo: createDemoData({
      db,
      events,
      logger,
      dropStations: ocpp.dropStations,
      flushPending: ocpp.flushPending,
    }),
    messageLog,
    residents,
    sessions,
    floorPlans: createFloorPlanService({ db, events }),
    reports,
    dashboard: createDashboardService({ db, totals: reports }),
    balancing: createBalancingService(seams, { gateway: ocpp.gateway, options: opts.balancing }),
    mail,
    alarms: createAlarmService(seams, { outbox: mail.outbox }),
    billing,
    billingExports,
    downloads: createDownloadService({
      db,
      auth,
      messageLog,
      clock,
      dataDir: opts.dataDir,
      nativeBinding: opts.nativeBinding,
      sessionScope: (caller) => sessions.scopeOf(caller),
      invoices: {
        ownerOf: (id) => billing.invoiceOwner(id),
        accountsOfUser: (userId, siteIds) => residents.accounts.accountsOfUser(userId, siteIds),
        render: async (id) => (await billing.pdf(id)).content,
      },
      billingExports,
      billingReportCsv: createBillingReportCsv({
        reports: billing.reports,
        settingsOf: (siteId) => billing.settings.get(siteId)?.settings ?? null,
      }),
    }),
  };
  // Everything with state derived from the data, brought to the restored state in one place
  // (platform/restore-hooks.ts; docs/ARCHITECTURE.md "Live restore").
  restoreHooks.register({
    name: 'ocpp',
    beforeSwap: () => services.ocpp.flushPending(),
    afterSwap: () => services.ocpp.resetAfterRestore(),
  });
  restoreHooks.register({
    name: 'billing',
    afterSwap: () => services.billing.periodEnd.afterRestore(),
  });
  restoreHooks.register({
    name: 'balancing',
    afterSwap: () => {
      services.balancing.controller.reset();
      services.balancing.meters.reset();
    },
  });
  model.provideHooks({
    isConnected: (identity) => services.ocpp.isConnected(identity),
    hasTransactions: (stationId) => services.ocpp.hasTransactions(stationId),
  });
  // Subscribed before the chargers can connect; it reads the state, so nothing before matters.
  services.balancing.controller.start();
  services.balancing.meters.start();
  try {
    await services.ocpp.start();
  } catch (cause) {
    await services.ocpp.stop();
    await messageLog.close();
    db.$client.close();
    const e = cause as Error & { code?: string; port?: number; flag?: string; env?: string };
    if (e.code === 'EADDRINUSE') {
      // Same wording as the service's own port check (http/service.ts portInUseMessage).
      throw new StartupError(
        `Port ${e.port ?? opts.ocpp?.port} is already in use. Choose another with ${e.flag ?? '--ocpp-port'} <port> (or ${e.env ?? 'STRATACHARGE_OCPP_PORT'}).`,
      );
    }
    if (e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
      throw new StartupError(
        `Cannot listen for chargers on port ${e.port ?? opts.ocpp?.port}: ${e.code}.`,
        `Choose another with ${e.flag ?? '--ocpp-port'} <port>, or stop the program using it.`,
      );
    }
    throw cause;
  }
  if (opts.backupTimer !== false) services.backup.start();
  // Before the scheduler starts: its digest jobs and offline wake-ups are registered first.
  services.alarms.start();
  services.billing.start();
  scheduler.start();
  services.mail.start();
  const dispatcher = createDispatcher({
    services,
    handlers,
    logger,
    clock,
  });

  let closed = false;
  return {
    services,
    db,
    events,
    info,
    openConnection: (remote) => ({ id: randomUUID(), remote, token: null }),
    call: (conn, method, input) => dispatcher.dispatch(conn, method, input),
    async close() {
      if (closed) return;
      closed = true;
      // First, before any await: no new send starts (a kick may already be pending).
      const mailStopped = services.mail.stop();
      services.balancing.controller.stop();
      services.balancing.meters.stop();
      services.alarms.stop();
      services.billing.stop();
      // A running job may still write to the database.
      await scheduler.stop();
      await mailStopped;
      // Waits for a running backup/restore: closing under it would leave a partial file.
      await services.backup.stop();
      await services.ocpp.stop();
      await services.billing.close();
      await messageLog.close();
      db.$client.close();
    },
  };
}
