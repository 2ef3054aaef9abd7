// Site scoping for every API method, enforced by the dispatcher before the handler runs.
// roles.ts promises that a site administrator reaches nothing organisation-wide and nothing of
// another site; each method says here how that is checked, and `methodScopes` must name every
// method of the contract (a new method without a scope does not typecheck).
import { eq } from 'drizzle-orm';
import type { MethodName, MethodParsedInput } from '../../src-shared/api/contract';
import { ApiFailure } from '../../src-shared/api/result';
import type { Db } from '../db/open';
import {
  accounts,
  alarms,
  cards,
  connectors,
  diagnosticsFiles,
  floors,
  invoices,
  residents,
  sites,
  tariffs,
  stations,
  transactions,
} from '../db/schema';
import type { Caller } from './context';

/** A kind of record that belongs to a site. */
export type SiteRef =
  | 'site'
  | 'floor'
  | 'station'
  | 'connector'
  | 'transaction'
  | 'diagnostics'
  | 'account'
  | 'resident'
  | 'card'
  | 'alarm'
  | 'tariff'
  | 'invoice';

type RefFields<M extends MethodName> = Partial<
  Record<Extract<keyof MethodParsedInput<M>, string>, SiteRef>
>;

/**
 * - 'org': organisation-wide (users, organisation, backups, settings, id tags that work on every
 *   site): only roles that see every site (administrator, support).
 * - 'none': nothing of any site (setup, the caller's own session and password, shared settings).
 * - 'visible': a read the handler filters to `ctx.visibleSites()`.
 * - 'sites': acts within the site(s) its input names; a caller limited to some sites must name
 *   one of theirs, so a method that names none (yet) is refused to them.
 * - { sites: { field: ref } }: as 'sites', with more input fields naming records.
 * For every kind but 'org', the conventional fields siteId, floorId and stationId are checked
 * whenever present, so a filter or a move to another site cannot reach outside the caller's sites.
 */
export type Scope<M extends MethodName> =
  'org' | 'none' | 'visible' | 'sites' | { sites: RefFields<M> };

const CONVENTIONAL: Record<string, SiteRef> = {
  siteId: 'site',
  floorId: 'floor',
  stationId: 'station',
};

export const methodScopes: { [M in MethodName]: Scope<M> } = {
  'setup-status': 'none',
  'setup-complete': 'none',
  'session-login': 'none',
  'session-resume': 'none',
  'session-logout': 'none',
  'session-current': 'none',
  'password-change': 'none',
  'user-list': 'org',
  'user-create': 'org',
  'user-update': 'org',
  'user-password-reset': 'org',
  'user-delete': 'org',
  // The organisation's name and contact details, shown to everyone; changing them is org-wide.
  'organisation-get': 'none',
  'organisation-update': 'org',
  'tree-get': 'visible',
  'site-list': 'visible',
  'site-get': { sites: { id: 'site' } },
  'site-create': 'org',
  'site-update': { sites: { id: 'site' } },
  'site-delete': 'org',
  'floor-list': 'sites',
  'floor-create': 'sites',
  'floor-update': { sites: { id: 'floor' } },
  'floor-delete': { sites: { id: 'floor' } },
  'station-list': 'visible',
  'station-get': { sites: { id: 'station' } },
  'station-create': 'sites',
  'station-update': { sites: { id: 'station' } },
  'station-delete': { sites: { id: 'station' } },
  'connector-update': { sites: { id: 'connector' } },
  'audit-list': 'org',
  'backup-list': 'org',
  'backup-create': 'org',
  'backup-restore': 'org',
  'backup-settings-get': 'org',
  'backup-settings-update': 'org',
  // Mail: the organisation's mail server and every message sent.
  'mail-settings-get': 'org',
  'mail-settings-update': 'org',
  'mail-test-send': 'org',
  'mail-outbox-list': 'org',
  'mail-outbox-retry': 'org',
  // The downloads service checks each kind like the data's own list method (audit log and
  // backups: administrators; alarms: staff, filtered to their sites; sessions: everyone, scoped
  // by role), so a site administrator or EV user may ask for a site-scoped kind.
  'download-ticket-create': 'none',
  'system-integrity-check': 'org',
  'system-info': 'none',
  // Unknown chargers belong to no site yet: listing them is how any site is given a charger.
  'charger-attempts-list': 'none',
  'charger-adopt': 'sites',
  // Names no site (an unknown charger's identity): organisation-wide until an attempt carries
  // the site it is dismissed from (then add that field here).
  'charger-attempt-dismiss': 'sites',
  'commissioning-get': 'none',
  // Registers unknown chargers: a site administrator may open it only for a site they name.
  'commissioning-set': 'sites',
  'ocpp-settings-get': 'none',
  'ocpp-settings-update': 'org',
  'tls-certificate-import': 'org',
  'tls-certificate-generate': 'org',
  'station-config-get': 'sites',
  'station-config-set': 'sites',
  'station-reset': 'sites',
  'station-unlock': 'sites',
  'station-remote-start': 'sites',
  'station-remote-stop': 'sites',
  'station-availability-set': 'sites',
  'station-cache-clear': 'sites',
  'station-trigger': 'sites',
  'station-data-transfer': 'sites',
  'station-firmware-update': 'sites',
  'station-diagnostics-request': 'sites',
  'station-file-status-get': 'sites',
  // The demo building is the organisation's (administrators only).
  'demo-get': 'org',
  'demo-remove': 'org',
  'station-diagnostics-list': 'sites',
  'station-diagnostics-download': { sites: { id: 'diagnostics' } },
  'station-local-list-send': 'sites',
  'station-local-list-version': 'sites',
  'station-reservation-create': 'sites',
  'station-reservation-cancel': 'sites',
  'station-charging-profile-set': 'sites',
  'station-charging-profile-clear': 'sites',
  'station-composite-schedule-get': 'sites',
  'transaction-list': 'visible',
  'transaction-get': { sites: { id: 'transaction' } },
  'ocpp-log-list': 'visible',
  // Id tags (cards) have no site: a card works at every station of the organisation, so only
  // roles that see every site may change them; the list shows a site's residents' cards.
  'id-tag-list': 'visible',
  'id-tag-upsert': 'org',
  'id-tag-delete': 'org',
  // Residents: accounts, residents and cards belong to the site of their account.
  'account-list': 'sites',
  'account-get': { sites: { id: 'account' } },
  'account-create': 'sites',
  'account-update': { sites: { id: 'account' } },
  'account-close': { sites: { id: 'account' } },
  'account-change-owner': { sites: { id: 'account' } },
  'account-sessions': { sites: { id: 'account' } },
  'resident-create': { sites: { accountId: 'account' } },
  'resident-update': { sites: { id: 'resident' } },
  'resident-delete': { sites: { id: 'resident' } },
  'resident-login-set': { sites: { id: 'resident' } },
  'bay-list': 'sites',
  'bay-set': { sites: { connectorId: 'connector', accountId: 'account' } },
  'card-list': { sites: { accountId: 'account' } },
  'card-number-check': 'sites',
  'card-issue': { sites: { accountId: 'account', residentId: 'resident' } },
  'card-replace': { sites: { id: 'card' } },
  'card-update': { sites: { id: 'card', residentId: 'resident' } },
  'card-block': { sites: { id: 'card' } },
  'card-unblock': { sites: { id: 'card' } },
  'card-expire': { sites: { id: 'card' } },
  'card-delete': { sites: { id: 'card' } },
  'card-learn-start': 'sites',
  'card-learn-stop': 'sites',
  'card-learn-status': 'sites',
  'card-unknown-list': 'sites',
  'station-local-list-status': 'sites',
  'residents-import': 'sites',
  'residents-import-template': 'none',
  // The EV user's own account, found from their login (the input names nothing).
  'my-account-get': 'none',
  // Floor plans: the floor (or the station) named is one of the caller's sites'.
  'floor-plan-get': 'sites',
  'floor-plan-image': 'sites',
  'floor-plan-upload': 'sites',
  'floor-plan-delete': 'sites',
  'station-plan-place': 'sites',
  // Reports: a session names its site; an EV user is further held to their own account's
  // sessions by the handler. Totals cover the named site or every site the caller sees.
  'session-detail-get': { sites: { id: 'transaction' } },
  'session-detail-samples': { sites: { id: 'transaction' } },
  'session-detail-messages': { sites: { id: 'transaction' } },
  'report-totals': 'visible',
  // Load balancing: the site named; stations and accounts in a model are checked to be its own.
  'balancing-get': 'sites',
  'balancing-save': 'sites',
  'balancing-preview': 'sites',
  'balancing-live': 'sites',
  'balancing-log': 'sites',
  'balancing-history': 'sites',
  'balancing-meter-test': 'sites',
  // Sessions: the list is scoped in the core by role (an EV user: their own account's; a site
  // administrator: their sites'), so a filter naming another site simply finds nothing.
  'session-list': 'visible',
  'session-review-get': { sites: { id: 'transaction' } },
  'session-resolve': { sites: { id: 'transaction', accountId: 'account' } },
  // Alarms: lists and counts filtered to the caller's sites (org-wide alarms: those who see all);
  // acting on one needs its site (an org-wide alarm: 'alarm' resolves to null, refused).
  'alarm-list': 'visible',
  'alarm-event-list': 'visible',
  'alarm-summary': 'visible',
  'alarm-acknowledge': { sites: { id: 'alarm' } },
  'alarm-clear': { sites: { id: 'alarm' } },
  'alarm-rule-list': 'none',
  'alarm-rule-update': 'org',
  // The caller's own preferences; the handler checks the sites they name are theirs.
  'alarm-prefs-get': 'none',
  'alarm-prefs-set': 'none',
  'alarm-popup-check': { sites: { alarmId: 'alarm' } },
  // Billing: tariffs, settings, runs and invoices belong to their site; an EV user's own
  // invoices are found from their login (my-invoice-*: the handler checks the account).
  'tariff-list': 'sites',
  'tariff-create': 'sites',
  'tariff-version-add': { sites: { tariffId: 'tariff' } },
  'tariff-assign': 'sites',
  'holiday-set': 'sites',
  'billing-settings-get': 'sites',
  'billing-settings-update': 'sites',
  'billing-logo-set': 'sites',
  'billing-logo-get': 'sites',
  'invoice-sample-pdf': 'sites',
  'invoice-run-preview': 'sites',
  'billing-report': 'sites',
  'invoice-run-issue': 'sites',
  'invoice-run-list': 'sites',
  'invoice-run-email': 'sites',
  'invoice-run-email-status': 'sites',
  'invoice-run-email-retry': 'sites',
  'invoice-list': 'sites',
  'invoice-get': { sites: { id: 'invoice' } },
  'invoice-void': { sites: { id: 'invoice' } },
  'invoice-reissue': { sites: { id: 'invoice' } },
  'invoice-mark-paid': { sites: { id: 'invoice' } },
  'invoice-payments-import': 'sites',
  'my-invoice-list': 'none',
  // Dashboard: the layout is the caller's own (no user in the input); energy is filtered to the
  // caller's sites; the map's tile server is a shared setting, changed by administrators only.
  'dashboard-layout-get': 'none',
  'dashboard-layout-set': 'none',
  'dashboard-energy': 'visible',
  'site-map-settings-get': 'none',
  'site-map-settings-update': 'org',
  // Accounting exports: profiles and runs of the site named (the run is checked to be the site's).
  'accounting-export-profile-list': 'sites',
  'accounting-export-profile-save': 'sites',
  'accounting-export-profile-reset': 'sites',
  'accounting-export-check': 'sites',
};

/** Administrators and support see every site; everyone else only the sites assigned to them. */
export const seesEverySite = (caller: Caller) =>
  caller.role === 'admin' || caller.role === 'support';

const NAMES: Record<SiteRef, string> = {
  site: 'site',
  floor: 'floor',
  station: 'station',
  connector: 'connector',
  transaction: 'charging session',
  diagnostics: 'diagnostics file',
  account: 'account',
  resident: 'resident',
  card: 'card',
  alarm: 'alarm',
  tariff: 'tariff',
  invoice: 'invoice',
};

/** The site a record belongs to: a site id, null when it belongs to none, undefined if gone. */
function siteOf(db: Db, ref: SiteRef, id: number): number | null | undefined {
  switch (ref) {
    case 'site':
      return db.select({ s: sites.id }).from(sites).where(eq(sites.id, id)).get()?.s;
    case 'floor':
      return db.select({ s: floors.siteId }).from(floors).where(eq(floors.id, id)).get()?.s;
    case 'station':
      return db.select({ s: stations.siteId }).from(stations).where(eq(stations.id, id)).get()?.s;
    case 'connector':
      return db
        .select({ s: stations.siteId })
        .from(connectors)
        .innerJoin(stations, eq(stations.id, connectors.stationId))
        .where(eq(connectors.id, id))
        .get()?.s;
    case 'transaction': {
      const row = db
        .select({ s: stations.siteId })
        .from(transactions)
        .leftJoin(stations, eq(stations.id, transactions.stationId))
        .where(eq(transactions.id, id))
        .get();
      return row === undefined ? undefined : row.s;
    }
    case 'diagnostics':
      return db
        .select({ s: stations.siteId })
        .from(diagnosticsFiles)
        .innerJoin(stations, eq(stations.id, diagnosticsFiles.stationId))
        .where(eq(diagnosticsFiles.id, id))
        .get()?.s;
    case 'account':
      return db.select({ s: accounts.siteId }).from(accounts).where(eq(accounts.id, id)).get()?.s;
    case 'resident':
      return db
        .select({ s: accounts.siteId })
        .from(residents)
        .innerJoin(accounts, eq(accounts.id, residents.accountId))
        .where(eq(residents.id, id))
        .get()?.s;
    case 'card':
      return db.select({ s: cards.siteId }).from(cards).where(eq(cards.id, id)).get()?.s;
    case 'alarm': {
      const row = db.select({ s: alarms.siteId }).from(alarms).where(eq(alarms.id, id)).get();
      return row === undefined ? undefined : row.s;
    }
    case 'tariff':
      return db.select({ s: tariffs.siteId }).from(tariffs).where(eq(tariffs.id, id)).get()?.s;
    case 'invoice':
      return db.select({ s: invoices.siteId }).from(invoices).where(eq(invoices.id, id)).get()?.s;
  }
}

/** Refuses an organisation-wide method to a caller limited to some sites (before the input is
 *  even read: whatever it says, the answer is the same). */
export function enforceOrgScope(method: MethodName, caller: Caller | null): void {
  if (methodScopes[method] !== 'org' || caller === null || seesEverySite(caller)) return;
  throw new ApiFailure(
    'forbidden',
    'This concerns the whole organisation; your role covers only the sites assigned to you.',
  );
}

/** Throws `forbidden` (or `not-found`) unless every site the input names is one of the
 *  caller's. Callers who see every site are not checked (the handler finds what is missing). */
export function enforceSiteScope(
  db: Db,
  method: MethodName,
  input: unknown,
  caller: Caller | null,
): void {
  const scope = methodScopes[method] as Scope<MethodName>;
  if (caller === null || seesEverySite(caller) || scope === 'org') return;
  const fields: Record<string, SiteRef> = {
    ...CONVENTIONAL,
    ...(typeof scope === 'object' ? (scope.sites as Record<string, SiteRef>) : {}),
  };
  const values = (input ?? {}) as Record<string, unknown>;
  let named = false;
  for (const [field, ref] of Object.entries(fields)) {
    const id = values[field];
    if (typeof id !== 'number') continue;
    const siteId = siteOf(db, ref, id);
    if (siteId === undefined) {
      throw new ApiFailure('not-found', `That ${NAMES[ref]} no longer exists.`, { field });
    }
    if (siteId === null || !caller.siteIds.includes(siteId)) {
      throw new ApiFailure(
        'forbidden',
        ref === 'site'
          ? 'You do not have access to this site.'
          : `You do not have access to this ${NAMES[ref]}'s site.`,
      );
    }
    named = true;
  }
  if (!named && (scope === 'sites' || typeof scope === 'object')) {
    throw new ApiFailure(
      'forbidden',
      'This acts beyond a single site; your role covers only the sites assigned to you.',
    );
  }
}
