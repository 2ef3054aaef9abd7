// The services the API handlers (and the OCPP server) are given. Each domain creates its own
// from the seams below; core.ts wires them. Add a domain's service here and in core.ts.
import type { Seams } from './platform/seams';
import type { AuthService } from './auth/service';
import type { AuditService } from './audit/service';
import type { ModelService } from './model/service';
import type { OcppService } from './ocpp/service';
import type { MessageLog } from './ocpp/message-log';
import type { UserService } from './users/service';
import type { SetupService } from './setup/service';
import type { BackupService } from './backup/service';
import type { MailService } from './mail/service';
import type { DownloadService } from './downloads/service';
import type { DemoData } from './sim/demo-data';
import type { ResidentsService } from './residents/service';
import type { FloorPlanService } from './floor-plans/service';
import type { ReportsService } from './reports/service';
import type { BalancingService } from './balancing/service';
import type { SessionsService } from './sessions/service';
import type { AlarmService } from './alarms/service';
import type { BillingService } from './billing/service';
import type { DashboardService } from './dashboard/service';
import type { BillingExports } from './billing/exports/service';

export type { CoreInfo, Seams } from './platform/seams';

export interface Services extends Seams {
  auth: AuthService;
  audit: AuditService;
  /** Organisation, sites, floors, stations, connectors, the navigator tree. */
  model: ModelService;
  users: UserService;
  setup: SetupService;
  /** Online backups, daily schedule, restore, integrity check. */
  backup: BackupService;
  /** OCPP 1.6J central system: listeners, sessions, charger operations, transactions. */
  ocpp: OcppService;
  /** SMTP settings, the persistent outbox (enqueue inside your transaction), test email. */
  mail: MailService;
  /** Streamed downloads: tickets granted by the API, redeemed by the HTTP route or Electron. */
  downloads: DownloadService;
  /** The --demo site: which one it is, and removing it with everything under it. */
  demo: DemoData;
  /** Floor-plan images (in the database) and where each station sits on its floor's plan. */
  floorPlans: FloorPlanService;
  /** Every OCPP exchange, in its own database file written by a worker thread. */
  messageLog: MessageLog;
  /** Accounts per lot, residents, bays and RFID cards (who may charge, who a session is for). */
  residents: ResidentsService;
  /** A charging session in detail (chart, samples, messages) and the totals for a period. */
  reports: ReportsService;
  /** Load balancing: each site's electrical model, the controller and its live allocation. */
  balancing: BalancingService;
  /** Charging sessions: the scoped list, review of flagged ones, billable state (docs/sessions.md). */
  sessions: SessionsService;
  /** Alarms raised by rules from domain events, their views, and who is emailed about them. */
  alarms: AlarmService;
  /** Tariffs, billing settings, invoice runs, invoices and their PDFs. */
  billing: BillingService;
  /** Each user's dashboard layout, the energy panel's figures, the site map's tile server. */
  dashboard: DashboardService;
  /** Accounting exports of issued runs (billing/exports/service.ts). */
  billingExports: BillingExports;
}
