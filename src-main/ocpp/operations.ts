// Our calls to chargers (outbound.ts: a priority queue per charger, typed answers) and the
// operations built on them that the API offers: configuration read/write, local list, firmware
// updates and diagnostics (file URLs from file-endpoint.ts). Other domains use `gateway`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, desc, eq } from 'drizzle-orm';
import { ApiFailure } from '../../src-shared/api/result';
import { configRefusalSchema } from '../../src-shared/api/methods/ocpp';
import { checkConfigValue, shownConfigValue } from '../../src-shared/ocpp/config-keys';
import type { CentralSystemAction } from '../../src-shared/ocpp/types';
import type { stations } from '../db/schema';
import { diagnosticsFiles, ocppFileTokens, stationConfig, stationOcpp } from '../db/schema';
import type { createFileEndpoint } from './file-endpoint';
import { createChargerGateway } from './gateway';
import { createOutbound } from './outbound';
import { bracket, type OcppRuntime } from './runtime';
import type { Session } from './session';

export type Operations = ReturnType<typeof createOperations>;

/** Our calls whose failure is an alarm (src-main/alarms: remote-operation-failed). */
const REMOTE_OPERATIONS: ReadonlySet<CentralSystemAction> = new Set<CentralSystemAction>([
  'Reset',
  'UnlockConnector',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'UpdateFirmware',
  'GetDiagnostics',
  'SendLocalList',
  'ReserveNow',
  'CancelReservation',
  'SetChargingProfile',
  'ClearChargingProfile',
]);

export function createOperations(
  rt: OcppRuntime,
  files: Pick<ReturnType<typeof createFileEndpoint>, 'newToken'>,
) {
  const { db, clock, logger, store, sessions, callTimeoutMs } = rt;
  const { dataDir } = rt.seams;
  const { newToken } = files;

  function sessionFor(stationId: number): {
    station: typeof stations.$inferSelect;
    session: Session;
  } {
    const station = store.stationById(stationId);
    if (!station) throw new ApiFailure('not-found', 'No such station.');
    const session = sessions.get(station.identity);
    if (!session || session.closed) {
      throw new ApiFailure(
        'charger-offline',
        `${station.name} (${station.identity}) is not connected.`,
      );
    }
    return { station, session };
  }

  // Our calls: per charger a priority queue (outbound-queue.ts), answers typed (outbound.ts).
  const outbound = createOutbound({
    clock,
    logger,
    callTimeoutMs,
    onFailure: (s, action, reason) => {
      // Commands people (and balancing) give, not reads and triggers some chargers refuse.
      if (!REMOTE_OPERATIONS.has(action)) return;
      rt.seams.domainEvents.publish({
        type: 'station.operation-failed',
        stationId: s.stationId,
        siteId: s.siteId,
        identity: s.identity,
        operation: action,
        reason,
        at: clock.now(),
      });
    },
    onSuccess: (s, action) => {
      if (!REMOTE_OPERATIONS.has(action)) return;
      rt.seams.domainEvents.publish({
        type: 'station.operation-succeeded',
        stationId: s.stationId,
        siteId: s.siteId,
        identity: s.identity,
        operation: action,
        at: clock.now(),
      });
    },
  });
  const callOn = (
    session: Session,
    action: CentralSystemAction,
    payload: Record<string, unknown>,
    timeoutMs = callTimeoutMs,
  ) => outbound.call(session, action, payload, timeoutMs);
  /** For other domains: typed operations and a station's live state (gateway.ts). */
  const gateway = createChargerGateway({
    db,
    sessionOf: (identity) => sessions.get(identity),
    send: outbound.send,
  });

  async function call(
    stationId: number,
    action: CentralSystemAction,
    payload: Record<string, unknown>,
    timeoutMs?: number,
  ) {
    const { session } = sessionFor(stationId);
    return callOn(session, action, payload, timeoutMs);
  }

  function storeConfiguration(stationId: number, conf: Record<string, unknown>) {
    const now = clock.now();
    const keys =
      (conf.configurationKey as { key: string; value?: string; readonly: boolean }[] | undefined) ??
      [];
    const unknown = (conf.unknownKey as string[] | undefined) ?? [];
    db.transaction((t) => {
      for (const k of keys) {
        // A secret (AuthorizationKey, a vendor password) some chargers report back: not kept.
        const value = shownConfigValue(k.key, k.value ?? null);
        t.insert(stationConfig)
          .values({ stationId, key: k.key, value, readonly: k.readonly, updatedAt: now })
          .onConflictDoUpdate({
            target: [stationConfig.stationId, stationConfig.key],
            set: { value, readonly: k.readonly, updatedAt: now },
          })
          .run();
      }
    });
    store.patchStationOcpp(stationId, {
      configFetchedAt: now,
      unknownConfigKeys: JSON.stringify(unknown),
    });
    // The charger's own count of its connectors (read-only key) registers those the station
    // was added without, bounded (store.MAX_CONNECTORS); absurd values register nothing.
    const added = store.registerConnectors(stationId, store.chargerConnectorCount(stationId), now);
    if (added) logger.info('connectors registered from NumberOfConnectors', { stationId, added });
  }

  /** One key the charger accepted from us (secrets stored as REDACTED, never in clear). */
  function storeConfigValue(stationId: number, key: string, raw: string) {
    const value = shownConfigValue(key, raw);
    const now = clock.now();
    db.insert(stationConfig)
      .values({ stationId, key, value, readonly: false, updatedAt: now })
      .onConflictDoUpdate({
        target: [stationConfig.stationId, stationConfig.key],
        set: { value, updatedAt: now },
      })
      .run();
  }

  function localListEntries() {
    return store.listIdTags().map((t) => ({
      idTag: t.idTag,
      idTagInfo: {
        status: t.status,
        ...(t.expiryDate != null ? { expiryDate: new Date(t.expiryDate).toISOString() } : {}),
        ...(t.parentIdTag ? { parentIdTag: t.parentIdTag } : {}),
      },
    }));
  }

  async function sendLocalList(
    session: Session,
    stationId: number,
    updateType: 'Full' | 'Differential' = 'Full',
  ) {
    if (rt.deps.localListSync) return rt.deps.localListSync(stationId, updateType);
    const current = store.getStationOcpp(stationId)?.localListVersion ?? 0;
    // A stored -1 (GetLocalListVersion: "not supported") or 0 (empty list) must not be sent
    // back as the version of a non-empty list: versions of real updates start at 1.
    const listVersion = Math.max(1, current + 1);
    const conf = await callOn(session, 'SendLocalList', {
      listVersion,
      updateType,
      localAuthorizationList: localListEntries(),
    });
    if (conf.status === 'Accepted')
      store.patchStationOcpp(stationId, { localListVersion: listVersion });
    return { status: String(conf.status), listVersion };
  }

  function fileBaseUrl(s: Session): string {
    const host =
      s.localAddress && s.localAddress !== '0.0.0.0'
        ? s.localAddress
        : (rt.options?.host ?? '127.0.0.1');
    return `http://${bracket(host)}:${rt.listeners.plain?.port ?? 0}`;
  }

  return {
    gateway,
    callOn,
    storeConfiguration,
    storeConfigValue,
    sendLocalList,
    call,
    sessionFor,
    async configGet(stationId: number, refresh: boolean) {
      if (refresh) {
        const { session } = sessionFor(stationId);
        storeConfiguration(stationId, await callOn(session, 'GetConfiguration', {}));
      } else if (!store.stationById(stationId))
        throw new ApiFailure('not-found', 'No such station.');
      const keys = db
        .select()
        .from(stationConfig)
        .where(eq(stationConfig.stationId, stationId))
        .orderBy(asc(stationConfig.key))
        .all();
      const st = db.select().from(stationOcpp).where(eq(stationOcpp.stationId, stationId)).get();
      let unknownKeys: string[] = [];
      try {
        unknownKeys = st?.unknownConfigKeys ? (JSON.parse(st.unknownConfigKeys) as string[]) : [];
      } catch {
        unknownKeys = [];
      }
      const refusedParsed = configRefusalSchema
        .array()
        .safeParse(st?.setupRefused ? safeJson(st.setupRefused) : []);
      return {
        keys: keys.map((k) => ({
          key: k.key,
          value: shownConfigValue(k.key, k.value),
          readonly: k.readonly,
        })),
        unknownKeys,
        fetchedAt: st?.configFetchedAt ?? null,
        setupRefused: refusedParsed.success ? refusedParsed.data : [],
      };
    },
    /**
     * ChangeConfiguration with the value checked first (a standard key's type, range and
     * read-only state: src-shared/ocpp/config-keys.ts); the stored configuration follows what
     * the charger accepted. `value` is the value sent (normalised), for the caller's use only:
     * a secret key's value is never stored.
     */
    async configSet(stationId: number, key: string, raw: string) {
      const checked = checkConfigValue(key, raw);
      if (!checked.ok) throw new ApiFailure('validation', checked.message, { field: 'value' });
      const value = checked.value;
      const conf = await call(stationId, 'ChangeConfiguration', { key, value });
      const status = String(conf.status);
      if (status === 'Accepted' || status === 'RebootRequired')
        storeConfigValue(stationId, key, value);
      return { status, value };
    },
    async localListSend(stationId: number, updateType: 'Full' | 'Differential') {
      return sendLocalList(sessionFor(stationId).session, stationId, updateType);
    },
    async firmwareUpdate(
      stationId: number,
      input: {
        fileName: string;
        content: Buffer;
        retrieveDate?: number;
        retries?: number;
        retryIntervalSeconds?: number;
      },
    ) {
      const { session } = sessionFor(stationId);
      const dir = join(dataDir, 'firmware');
      mkdirSync(dir, { recursive: true });
      const storedPath = join(dir, `${stationId}-${clock.now()}-${input.fileName}`);
      writeFileSync(storedPath, input.content);
      const token = newToken('firmware', stationId, storedPath, input.fileName);
      const location = `${fileBaseUrl(session)}/files/firmware/${token}/${encodeURIComponent(input.fileName)}`;
      await callOn(session, 'UpdateFirmware', {
        location,
        retrieveDate: new Date(input.retrieveDate ?? clock.now()).toISOString(),
        ...(input.retries !== undefined ? { retries: input.retries } : {}),
        ...(input.retryIntervalSeconds !== undefined
          ? { retryInterval: input.retryIntervalSeconds }
          : {}),
      });
      return { status: 'Accepted', location };
    },
    async diagnosticsRequest(stationId: number, input: { startTime?: number; stopTime?: number }) {
      const { session } = sessionFor(stationId);
      const token = newToken('diagnostics', stationId, null, null);
      const location = `${fileBaseUrl(session)}/files/diagnostics/${token}`;
      const conf = await callOn(session, 'GetDiagnostics', {
        location,
        ...(input.startTime !== undefined
          ? { startTime: new Date(input.startTime).toISOString() }
          : {}),
        ...(input.stopTime !== undefined
          ? { stopTime: new Date(input.stopTime).toISOString() }
          : {}),
      });
      const fileName = typeof conf.fileName === 'string' ? conf.fileName : null;
      if (fileName)
        db.update(ocppFileTokens).set({ fileName }).where(eq(ocppFileTokens.token, token)).run();
      return { status: fileName ? 'Accepted' : 'NoFile', fileName, location };
    },
    diagnosticsList(stationId: number) {
      return db
        .select({
          id: diagnosticsFiles.id,
          stationId: diagnosticsFiles.stationId,
          fileName: diagnosticsFiles.fileName,
          sizeBytes: diagnosticsFiles.sizeBytes,
          receivedAt: diagnosticsFiles.receivedAt,
        })
        .from(diagnosticsFiles)
        .where(eq(diagnosticsFiles.stationId, stationId))
        .orderBy(desc(diagnosticsFiles.receivedAt), desc(diagnosticsFiles.id))
        .all();
    },
    diagnosticsFile(id: number) {
      return db.select().from(diagnosticsFiles).where(eq(diagnosticsFiles.id, id)).get() ?? null;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
