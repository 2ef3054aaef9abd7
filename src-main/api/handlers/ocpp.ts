// Handlers for the OCPP methods (src-shared/api/methods/ocpp.ts). The dispatcher has validated
// input and roles; these add site scoping and audit detail and translate API conventions
// (epoch ms) to OCPP (ISO 8601). Charger errors surface as charger-offline / timeout /
// charger-rejected (see src-main/ocpp/service.ts callOn).
import { readFileSync } from 'node:fs';
import { eq, inArray } from 'drizzle-orm';
import type { ocppMethods } from '../../../src-shared/api/methods/ocpp';
import { ApiFailure } from '../../../src-shared/api/result';
import { shownConfigValue } from '../../../src-shared/ocpp/config-keys';
import { userSites, users } from '../../db/schema';
import { ocppLog } from '../../db/log-schema';
import { framePayload, messageLogWhere } from '../../ocpp/message-log-query';
import type { CallContext, HandlerMap } from '../context';
import { fromTable, pagedQuery } from '../../db/paged';
import { profileToOcpp } from '../../ocpp/charging-profile';
import type { ChargingProfile } from '../../../src-shared/ocpp/types';

type OcppMethod = keyof typeof ocppMethods;

const iso = (ms: number) => new Date(ms).toISOString();

/** The station, after checking the caller may act on its site. */
function station(ctx: CallContext, stationId: number) {
  const s = ctx.services.ocpp.stationById(stationId);
  if (!s) throw new ApiFailure('not-found', 'No such station.');
  ctx.assertSite(s.siteId);
  ctx.audit({ entity: 'station', entityId: s.id, siteId: s.siteId });
  return s;
}

async function op(
  ctx: CallContext,
  stationId: number,
  action: Parameters<CallContext['services']['ocpp']['call']>[1],
  payload: Record<string, unknown>,
) {
  station(ctx, stationId);
  const conf = await ctx.services.ocpp.call(stationId, action, payload);
  ctx.audit({ after: conf });
  return conf;
}

/** An operation whose answer is just its status (Accepted / Rejected / ...). */
async function statusOf(...args: Parameters<typeof op>): Promise<{ status: string }> {
  return { status: String((await op(...args)).status) };
}

/** The window, without the names of a site the caller may not see. */
function visibleCommissioning(ctx: CallContext) {
  const state = ctx.services.ocpp.commissioning();
  const visible = ctx.visibleSites();
  if (visible === 'all' || state.siteId === null || visible.includes(state.siteId)) return state;
  return { ...state, siteName: null, floorId: null, floorName: null };
}

export const ocppHandlers = {
  // ── Adoption / commissioning ──
  'charger-attempts-list': (i, ctx) => {
    const { total, next, rows } = ctx.services.ocpp.attempts.list(i);
    return { total, next, attempts: rows };
  },
  'charger-adopt': async (input, ctx) => {
    ctx.assertSite(input.siteId);
    const r = await ctx.services.ocpp.adopt({
      identity: input.identity,
      siteId: input.siteId,
      floorId: input.floorId ?? null,
      name: input.name ?? input.identity,
      connectorCount: input.connectorCount,
      securityProfile: input.securityProfile,
      password: input.password ?? null,
    });
    ctx.audit({ entity: 'station', entityId: r.stationId, siteId: input.siteId, after: r });
    return r;
  },
  'charger-attempt-dismiss': (input, ctx) => {
    ctx.services.ocpp.attempts.remove(input.identity);
    ctx.audit({ entity: 'charger-attempt', entityId: input.identity });
    return { ok: true as const };
  },
  'commissioning-get': (_i, ctx) => visibleCommissioning(ctx),
  'commissioning-set': (input, ctx) => {
    // A site administrator opens the window onto their own sites only, and cannot close (or
    // move) a window another site's administrator opened.
    const current = ctx.services.ocpp.commissioning();
    if (current.open && current.siteId !== null) ctx.assertSite(current.siteId);
    if (input.minutes > 0 && input.siteId != null) ctx.assertSite(input.siteId);
    const r = ctx.services.ocpp.setCommissioning(input.minutes, {
      siteId: input.siteId ?? null,
      floorId: input.floorId ?? null,
    });
    ctx.audit({ entity: 'commissioning', siteId: r.siteId, before: current, after: r });
    return r;
  },

  // ── Settings / TLS ──
  'ocpp-settings-get': (_i, ctx) => ctx.services.ocpp.settings(),
  'ocpp-settings-update': (input, ctx) => {
    const before = ctx.services.ocpp.settings();
    const after = ctx.services.ocpp.updateSettings(input);
    ctx.audit({ entity: 'ocpp-settings', before, after });
    return after;
  },
  'tls-certificate-import': (input, ctx) =>
    ctx.services.ocpp.importTls(input.certPem, input.keyPem),
  'tls-certificate-generate': (input, ctx) => ctx.services.ocpp.generateTls(input.commonName),

  // ── Configuration ──
  'station-config-get': (input, ctx) => {
    station(ctx, input.stationId);
    return ctx.services.ocpp.configGet(input.stationId, input.refresh);
  },
  'station-config-set': async (input, ctx) => {
    station(ctx, input.stationId);
    const { status, value } = await ctx.services.ocpp.configSet(
      input.stationId,
      input.key,
      input.value,
    );
    const applied = status === 'Accepted' || status === 'RebootRequired';
    // The charger's Basic-auth password, set on the charger: the station's stored credential
    // follows (hashed), as when it is set in the station dialog, or the charger's next
    // connection would be refused.
    const credentialUpdated = applied && input.key === 'AuthorizationKey';
    if (credentialUpdated)
      await ctx.services.model.updateStation(input.stationId, { password: value }, ctx.now);
    ctx.audit({
      after: {
        key: input.key,
        value: shownConfigValue(input.key, value),
        status,
        ...(credentialUpdated ? { credentialUpdated } : {}),
      },
    });
    return { status };
  },

  // ── Core operations ──
  'station-reset': (i, ctx) => statusOf(ctx, i.stationId, 'Reset', { type: i.type }),
  'station-unlock': (i, ctx) =>
    statusOf(ctx, i.stationId, 'UnlockConnector', { connectorId: i.connectorNumber }),
  'station-remote-start': (i, ctx) =>
    statusOf(ctx, i.stationId, 'RemoteStartTransaction', {
      idTag: i.idTag,
      ...(i.connectorNumber !== undefined ? { connectorId: i.connectorNumber } : {}),
      ...(i.chargingProfile ? { chargingProfile: profileToOcpp(i.chargingProfile) } : {}),
    }),
  'station-remote-stop': (i, ctx) =>
    statusOf(ctx, i.stationId, 'RemoteStopTransaction', { transactionId: i.transactionId }),
  'station-availability-set': (i, ctx) =>
    statusOf(ctx, i.stationId, 'ChangeAvailability', {
      connectorId: i.connectorNumber,
      type: i.type,
    }),
  'station-cache-clear': (i, ctx) => statusOf(ctx, i.stationId, 'ClearCache', {}),
  'station-trigger': (i, ctx) =>
    statusOf(ctx, i.stationId, 'TriggerMessage', {
      requestedMessage: i.message,
      ...(i.connectorNumber !== undefined ? { connectorId: i.connectorNumber } : {}),
    }),
  'station-data-transfer': async (i, ctx) => {
    const conf = await op(ctx, i.stationId, 'DataTransfer', {
      vendorId: i.vendorId,
      ...(i.messageId !== undefined ? { messageId: i.messageId } : {}),
      ...(i.data !== undefined ? { data: i.data } : {}),
    });
    return { status: String(conf.status), data: typeof conf.data === 'string' ? conf.data : null };
  },

  // ── Firmware / diagnostics ──
  'station-firmware-update': async (i, ctx) => {
    station(ctx, i.stationId);
    const content = Buffer.from(i.contentBase64, 'base64');
    if (content.length === 0)
      throw new ApiFailure('validation', 'The firmware file is empty.', { field: 'contentBase64' });
    const r = await ctx.services.ocpp.firmwareUpdate(i.stationId, {
      fileName: i.fileName,
      content,
      retrieveDate: i.retrieveDate,
      retries: i.retries,
      retryIntervalSeconds: i.retryIntervalSeconds,
    });
    ctx.audit({ after: { fileName: i.fileName, bytes: content.length, location: r.location } });
    return r;
  },
  'station-diagnostics-request': async (i, ctx) => {
    station(ctx, i.stationId);
    return ctx.services.ocpp.diagnosticsRequest(i.stationId, i);
  },
  'station-file-status-get': (i, ctx) => {
    station(ctx, i.stationId);
    const row = ctx.services.ocpp.stationOcppState(i.stationId);
    const at = (status: string | null | undefined, time: number | null | undefined) =>
      status && time != null ? { status, at: time } : null;
    return {
      firmware: at(row?.firmwareStatus, row?.firmwareStatusAt),
      diagnostics: at(row?.diagnosticsStatus, row?.diagnosticsStatusAt),
    };
  },
  'station-diagnostics-list': (i, ctx) => {
    station(ctx, i.stationId);
    return ctx.services.ocpp.diagnosticsList(i.stationId);
  },
  'station-diagnostics-download': (i, ctx) => {
    const f = ctx.services.ocpp.diagnosticsFile(i.id);
    if (!f) throw new ApiFailure('not-found', 'No such diagnostics file.');
    station(ctx, f.stationId);
    let content: Buffer;
    try {
      content = readFileSync(f.storedPath);
    } catch {
      throw new ApiFailure('not-found', 'The diagnostics file is missing from the data directory.');
    }
    return { fileName: f.fileName, contentBase64: content.toString('base64') };
  },

  // ── Local list ──
  'station-local-list-send': async (i, ctx) => {
    station(ctx, i.stationId);
    return ctx.services.ocpp.localListSend(i.stationId, i.updateType);
  },
  'station-local-list-version': async (i, ctx) => {
    const conf = await op(ctx, i.stationId, 'GetLocalListVersion', {});
    return { status: 'Accepted', listVersion: Number(conf.listVersion) };
  },

  // ── Reservation ──
  'station-reservation-create': async (i, ctx) => {
    // ReservationId is ours to choose (§5.13): a database sequence, unique for good.
    station(ctx, i.stationId);
    const ocpp = ctx.services.ocpp;
    ocpp.sessionFor(i.stationId); // offline: fail before a reservation id is used up
    const reservationId = ocpp.reservations.create(
      {
        stationId: i.stationId,
        connectorNumber: i.connectorNumber,
        idTag: i.idTag,
        expiresAt: i.expiryDate,
      },
      ctx.now,
    );
    const conf = await ocpp.call(i.stationId, 'ReserveNow', {
      connectorId: i.connectorNumber,
      expiryDate: iso(i.expiryDate),
      idTag: i.idTag,
      ...(i.parentIdTag ? { parentIdTag: i.parentIdTag } : {}),
      reservationId,
    });
    ctx.audit({ after: conf });
    const status = String(conf.status);
    ocpp.reservations.setStatus(reservationId, status);
    return { status, reservationId };
  },
  'station-reservation-cancel': (i, ctx) =>
    statusOf(ctx, i.stationId, 'CancelReservation', { reservationId: i.reservationId }),

  // ── Smart charging ──
  'station-charging-profile-set': (i, ctx) =>
    statusOf(ctx, i.stationId, 'SetChargingProfile', {
      connectorId: i.connectorNumber,
      csChargingProfiles: profileToOcpp(i.chargingProfile),
    }),
  'station-charging-profile-clear': (i, ctx) =>
    statusOf(ctx, i.stationId, 'ClearChargingProfile', {
      ...(i.id !== undefined ? { id: i.id } : {}),
      ...(i.connectorNumber !== undefined ? { connectorId: i.connectorNumber } : {}),
      ...(i.chargingProfilePurpose ? { chargingProfilePurpose: i.chargingProfilePurpose } : {}),
      ...(i.stackLevel !== undefined ? { stackLevel: i.stackLevel } : {}),
    }),
  'station-composite-schedule-get': async (i, ctx) => {
    station(ctx, i.stationId);
    const conf = await ctx.services.ocpp.call(i.stationId, 'GetCompositeSchedule', {
      connectorId: i.connectorNumber,
      duration: i.durationSeconds,
      ...(i.chargingRateUnit ? { chargingRateUnit: i.chargingRateUnit } : {}),
    });
    const sched = conf.chargingSchedule as Record<string, unknown> | undefined;
    const toMs = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : null);
    return {
      status: String(conf.status),
      connectorNumber: typeof conf.connectorId === 'number' ? conf.connectorId : null,
      scheduleStart: toMs(conf.scheduleStart),
      chargingSchedule: sched
        ? {
            ...(sched as Omit<ChargingProfile['chargingSchedule'], 'startSchedule'>),
            ...(typeof sched.startSchedule === 'string'
              ? { startSchedule: Date.parse(sched.startSchedule) }
              : { startSchedule: undefined }),
          }
        : null,
    };
  },

  // ── Transactions ──
  'transaction-list': (i, ctx) => {
    if (i.siteId) ctx.assertSite(i.siteId);
    return ctx.services.ocpp.transactions.list({ ...i, siteIds: ctx.visibleSites() });
  },
  'transaction-get': (i, ctx) => {
    const t = ctx.services.ocpp.transactions.get(i.id);
    if (!t) throw new ApiFailure('not-found', 'No such transaction.');
    if (t.siteId !== null) ctx.assertSite(t.siteId);
    return t;
  },

  // ── Message log ──
  'ocpp-log-list': async (i, ctx) => {
    const { db, messageLog } = ctx.services;
    await messageLog.flush();
    const logDb = messageLog.db;
    const where = messageLogWhere(db, i, ctx.visibleSites());
    const { total, next, rows } = pagedQuery({
      filter: where,
      order: { key: ocppLog.at, tie: ocppLog.id },
      page: i,
      ...fromTable(logDb, ocppLog),
      keyOf: (r) => [r.at, r.id],
    });
    return {
      total,
      next,
      // The log keeps whole frames; the API shows their payload parts.
      entries: rows.map(({ response, ...r }) => ({
        ...r,
        payload: framePayload(r.payload),
        response: response === null ? null : framePayload(response),
      })),
    };
  },

  // ── Id tags ──
  'id-tag-list': (i, ctx) => {
    const tags = ctx.services.ocpp.idTags.list(i.text);
    const visible = ctx.visibleSites();
    if (visible === 'all') return tags;
    // A card has no site; a site administrator sees the cards of their sites' residents only.
    const residents = new Set(
      ctx.services.db
        .selectDistinct({ userId: userSites.userId })
        .from(userSites)
        .where(inArray(userSites.siteId, visible))
        .all()
        .map((r) => r.userId),
    );
    return tags.filter((t) => t.userId !== null && residents.has(t.userId));
  },
  'id-tag-upsert': (i, ctx) => {
    // The tag goes out in every charger's local list: a user id that names nobody would hand a
    // working card to no one the manager can see (the column has no foreign key).
    if (
      i.userId != null &&
      !ctx.services.db.select({ id: users.id }).from(users).where(eq(users.id, i.userId)).get()
    ) {
      throw new ApiFailure('validation', 'That user does not exist.', { field: 'userId' });
    }
    const { before, after } = ctx.services.ocpp.idTags.upsert(
      {
        idTag: i.idTag,
        status: i.status,
        expiryDate: i.expiryDate ?? null,
        parentIdTag: i.parentIdTag ?? null,
        label: i.label,
        userId: i.userId ?? null,
      },
      ctx.now,
    );
    ctx.audit({ entity: 'id-tag', entityId: i.idTag, before, after });
    return after;
  },
  'id-tag-delete': (i, ctx) => {
    const before = ctx.services.ocpp.idTags.get(i.idTag);
    if (!ctx.services.ocpp.idTags.remove(i.idTag))
      throw new ApiFailure('not-found', 'No such id tag.');
    ctx.audit({ entity: 'id-tag', entityId: i.idTag, before });
    return { ok: true as const };
  },
} satisfies HandlerMap<OcppMethod>;
