// Handlers for the foundation methods: setup, sessions, users, the organisation tree, audit,
// backups and system checks. The dispatcher has already validated the input and checked the
// method's role list; these add site scoping (site administrators) and audit detail.
import type { foundationMethods } from '../../../src-shared/api/methods/foundation';
import { ApiFailure } from '../../../src-shared/api/result';
import type { HandlerMap } from '../context';
import { listAudit } from '../../audit/query';

type FoundationMethod = keyof typeof foundationMethods;

const machineTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export const foundationHandlers = {
  // ── Setup ───────────────────────────────────────────────────────────────────────────────
  'setup-status': (_input, ctx) => ({
    needsSetup: ctx.services.setup.needsSetup(),
    defaultTimeZone: machineTimeZone(),
  }),

  'setup-complete': async (input, ctx) => {
    const { adminId, site } = await ctx.services.setup.complete(
      {
        admin: input.admin,
        organisation: organisationFields(input.organisation),
        site: siteFields(input.site),
      },
      ctx.now,
    );
    ctx.audit({
      entity: 'setup',
      siteId: site.id,
      after: { adminId, adminEmail: input.admin.email, organisation: input.organisation, site },
    });
    const session = ctx.services.auth.createSession(adminId, ctx.now);
    ctx.conn.token = session.token;
    return session;
  },

  // ── Sessions ────────────────────────────────────────────────────────────────────────────
  'session-login': async (input, ctx) => {
    const session = await ctx.services.auth.login(input.email, input.password, ctx.now);
    ctx.conn.token = session.token;
    return session;
  },

  'session-resume': (input, ctx) => {
    const caller = ctx.services.auth.resolveSession(input.token, ctx.now);
    if (!caller) {
      throw new ApiFailure('unauthenticated', 'Your session has ended. Log in again.');
    }
    ctx.conn.token = input.token;
    return { expiresAt: caller.expiresAt };
  },

  'session-logout': (_input, ctx) => {
    const caller = ctx.requireCaller();
    ctx.services.auth.logout(caller.sessionId);
    ctx.conn.token = null;
    return { ok: true as const };
  },

  'session-current': (_input, ctx) =>
    ctx.caller
      ? { user: ctx.services.users.get(ctx.caller.userId), expiresAt: ctx.caller.expiresAt }
      : { user: null, expiresAt: null },

  'password-change': async (input, ctx) => {
    const caller = ctx.requireCaller();
    await ctx.services.users.changePassword(
      caller.userId,
      input.currentPassword,
      input.newPassword,
      caller.sessionId,
      ctx.now,
    );
    ctx.audit({ entity: 'user', entityId: caller.userId, after: { passwordChanged: true } });
    return { ok: true as const };
  },

  // ── Users ───────────────────────────────────────────────────────────────────────────────
  'user-list': (_input, ctx) => ctx.services.users.list(),

  'user-create': async (input, ctx) => {
    const user = await ctx.services.users.create(input, ctx.now);
    ctx.audit({ entity: 'user', entityId: user.id, after: user });
    return user;
  },

  'user-update': async (input, ctx) => {
    const caller = ctx.requireCaller();
    const before = ctx.services.users.get(input.id);
    const { id, ...patch } = input;
    const after = await ctx.services.users.update(id, patch, caller.userId, ctx.now);
    ctx.audit({
      entity: 'user',
      entityId: id,
      before,
      after: input.password ? { ...after, passwordReset: true } : after,
    });
    return after;
  },

  'user-password-reset': async (input, ctx) => {
    const { user, password } = await ctx.services.users.resetPassword(input.id, ctx.now);
    // The one-time password goes to the administrator once and is never recorded.
    ctx.audit({ entity: 'user', entityId: user.id, after: { passwordReset: 'one-time' } });
    return { user, oneTimePassword: password };
  },

  'user-delete': (input, ctx) => {
    const caller = ctx.requireCaller();
    const before = ctx.services.users.remove(input.id, caller.userId);
    ctx.audit({ entity: 'user', entityId: input.id, before });
    return { ok: true as const };
  },

  // ── Organisation and sites ──────────────────────────────────────────────────────────────
  'organisation-get': (_input, ctx) => ctx.services.model.getOrganisation(),

  'organisation-update': (input, ctx) => {
    const before = ctx.services.model.getOrganisation();
    const after = ctx.services.model.upsertOrganisation(organisationFields(input), ctx.now);
    ctx.services.model.notifyChanged(null);
    ctx.audit({ entity: 'organisation', entityId: 1, before, after });
    return after;
  },

  'tree-get': (_input, ctx) => ctx.services.model.getTree(ctx.visibleSites()),

  'site-list': (_input, ctx) => ctx.services.model.listSites(ctx.visibleSites()),

  'site-get': (input, ctx) => {
    ctx.assertSite(input.id);
    return ctx.services.model.getSite(input.id);
  },

  'site-create': (input, ctx) => {
    const site = ctx.services.model.createSite(siteFields(input), ctx.now);
    ctx.audit({ entity: 'site', entityId: site.id, siteId: site.id, after: site });
    return site;
  },

  'site-update': (input, ctx) => {
    ctx.assertSite(input.id);
    const before = ctx.services.model.getSite(input.id);
    const after = ctx.services.model.updateSite(input.id, siteFields(input), ctx.now);
    ctx.audit({ entity: 'site', entityId: input.id, siteId: input.id, before, after });
    return after;
  },

  'site-delete': (input, ctx) => {
    const before = ctx.services.model.getSite(input.id);
    ctx.services.model.deleteSite(input.id, ctx.now);
    ctx.audit({ entity: 'site', entityId: input.id, siteId: input.id, before });
    return { ok: true as const };
  },

  // ── Floors ──────────────────────────────────────────────────────────────────────────────
  'floor-list': (input, ctx) => {
    ctx.assertSite(input.siteId);
    ctx.services.model.getSite(input.siteId);
    return ctx.services.model.listFloors(input.siteId);
  },

  'floor-create': (input, ctx) => {
    ctx.assertSite(input.siteId);
    const floor = ctx.services.model.createFloor(input, ctx.now);
    ctx.audit({ entity: 'floor', entityId: floor.id, siteId: floor.siteId, after: floor });
    return floor;
  },

  'floor-update': (input, ctx) => {
    const before = ctx.services.model.getFloor(input.id);
    ctx.assertSite(before.siteId);
    const after = ctx.services.model.updateFloor(
      input.id,
      { name: input.name, level: input.level },
      ctx.now,
    );
    ctx.audit({ entity: 'floor', entityId: input.id, siteId: before.siteId, before, after });
    return after;
  },

  'floor-delete': (input, ctx) => {
    const before = ctx.services.model.getFloor(input.id);
    ctx.assertSite(before.siteId);
    ctx.services.model.deleteFloor(input.id, ctx.now);
    ctx.audit({ entity: 'floor', entityId: input.id, siteId: before.siteId, before });
    return { ok: true as const };
  },

  // ── Stations and connectors ─────────────────────────────────────────────────────────────
  'station-list': (input, ctx) => {
    if (input.siteId !== undefined) ctx.assertSite(input.siteId);
    if (input.floorId !== undefined)
      ctx.assertSite(ctx.services.model.getFloor(input.floorId).siteId);
    return ctx.services.model.listStations({ ...input, visible: ctx.visibleSites() });
  },

  'station-get': (input, ctx) => {
    const station = ctx.services.model.getStation(input.id);
    // "Forbidden", not "no longer exists": the site administrator of another site was told the
    // station was gone (issue 8 #17). Only its existence is revealed, nothing of it.
    ctx.assertSite(station.siteId);
    return station;
  },

  'station-create': async (input, ctx) => {
    ctx.assertSite(input.siteId);
    const station = await ctx.services.model.createStation(input, ctx.now);
    ctx.audit({ entity: 'station', entityId: station.id, siteId: station.siteId, after: station });
    return station;
  },

  'station-update': async (input, ctx) => {
    const before = ctx.services.model.getStation(input.id);
    ctx.assertSite(before.siteId);
    if (input.siteId !== undefined) ctx.assertSite(input.siteId);
    const { id, ...patch } = input;
    const after = await ctx.services.model.updateStation(id, patch, ctx.now);
    ctx.audit({ entity: 'station', entityId: id, siteId: after.siteId, before, after });
    return after;
  },

  'station-delete': (input, ctx) => {
    const before = ctx.services.model.getStation(input.id);
    ctx.assertSite(before.siteId);
    ctx.services.model.deleteStation(input.id, ctx.now);
    ctx.audit({ entity: 'station', entityId: input.id, siteId: before.siteId, before });
    return { ok: true as const };
  },

  'connector-update': (input, ctx) => {
    const before = ctx.services.model.getConnectorStation(input.id);
    ctx.assertSite(before.siteId);
    const { id, ...fields } = input;
    const after = ctx.services.model.updateConnector(id, fields, ctx.now);
    ctx.audit({
      entity: 'connector',
      entityId: id,
      siteId: before.siteId,
      before: before.connectors.find((c) => c.id === id),
      after: after.connectors.find((c) => c.id === id),
    });
    return after;
  },

  // ── Audit ───────────────────────────────────────────────────────────────────────────────
  'audit-list': (input, ctx) => listAudit(ctx.services.db, input),

  // ── Backups and system ──────────────────────────────────────────────────────────────────
  'backup-list': (_input, ctx) => ctx.services.backup.list(),

  'backup-create': async (_input, ctx) => {
    const backup = await ctx.services.backup.create('manual');
    ctx.audit({ entity: 'backup', entityId: backup.fileName, after: backup });
    return backup;
  },

  'backup-restore': async (input, ctx) => {
    const { preRestore } = await ctx.services.backup.restore(input.fileName);
    ctx.audit({
      entity: 'backup',
      entityId: input.fileName,
      after: { restored: input.fileName, preRestoreBackup: preRestore.fileName },
    });
    ctx.services.model.notifyChanged(null);
    return { ok: true as const };
  },

  'backup-settings-get': (_input, ctx) => ({
    ...ctx.services.backup.getSettings(),
    timeZone: ctx.services.backup.timeZone(),
  }),

  'backup-settings-update': (input, ctx) => {
    const before = ctx.services.backup.getSettings();
    const after = ctx.services.backup.updateSettings(input);
    ctx.audit({ entity: 'settings', entityId: 'backup.schedule', before, after });
    return { ...after, timeZone: ctx.services.backup.timeZone() };
  },

  'system-integrity-check': (_input, ctx) => ctx.services.backup.integrityCheck(),

  'system-info': (_input, ctx) => ({
    ...ctx.services.info,
    chargerUrls: ctx.services.ocpp.chargerAddresses(),
  }),
} satisfies HandlerMap<FoundationMethod>;

function organisationFields(input: {
  name: string;
  abn?: string | null;
  email?: string | null;
  phone: string | null;
  address: string | null;
}) {
  return {
    name: input.name,
    abn: input.abn ?? null,
    email: input.email ?? null,
    phone: input.phone,
    address: input.address,
  };
}

function siteFields(input: {
  name: string;
  strataPlan: string | null;
  address: string | null;
  timeZone: string;
  latitude?: number | null;
  longitude?: number | null;
}) {
  return {
    name: input.name,
    strataPlan: input.strataPlan,
    address: input.address,
    timeZone: input.timeZone,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
  };
}
