// The OCPP 1.6J central system as a core service. This file wires its parts together and is
// the service's public face; each concern lives in a file named for it (docs/ocpp.md, "Files"):
// runtime.ts (shared state), authentication.ts (handshakes), connections.ts (sessions),
// inbound.ts (charger CALLs, the lean path), frame-log.ts (message log rows), operations.ts
// (our calls, typed gateway), post-boot-setup.ts, sweeps.ts, listeners.ts (ports and TLS),
// file-endpoint.ts (firmware downloads, diagnostics uploads).
import { ApiFailure } from '../../src-shared/api/result';
import type { OcppSettings, TlsStatus } from '../../src-shared/ocpp/types';
import type { Seams } from '../platform/seams';
import type { ChargerAddresses } from './charger-addresses';
import { createAuthentication } from './authentication';
import { createConnections } from './connections';
import { createFileEndpoint } from './file-endpoint';
import { createFrameLog } from './frame-log';
import { createHandlers16 } from './handlers-16';
import { createInbound } from './inbound';
import { createListeners } from './listeners';
import { createOperations } from './operations';
import { createPostBootSetup } from './post-boot-setup';
import { createRuntime, type OcppDeps, type OcppOptions } from './runtime';
import type { OcppContext } from './session';
import { createSweeps } from './sweeps';

export type { OcppDeps, OcppOptions } from './runtime';
export { protocolMismatch } from './authentication';

export function createOcppService(seams: Seams, options: OcppOptions | undefined, deps: OcppDeps) {
  const rt = createRuntime(seams, options, deps);
  const { clock, logger, store, tx, commissioning, sessions } = rt;

  const frameLog = createFrameLog(rt);
  const files = createFileEndpoint({ db: rt.db, clock, logger, dataDir: seams.dataDir });
  const ops = createOperations(rt, files);
  const configureAfterBoot = createPostBootSetup(rt, ops);
  const ctx: OcppContext = {
    store,
    tx,
    clock,
    events: seams.events,
    domain: seams.domainEvents,
    logger,
    updateStation: rt.updateStation,
    configureAfterBoot: async (s) => configureAfterBoot(s),
    closeAfterAnswer: (s, reason) => {
      s.closeAfterAnswer = reason;
    },
    cards: deps.cards,
  };
  const handlers = createHandlers16(ctx);
  const auth = createAuthentication(rt);
  const inbound = createInbound(rt, handlers, frameLog, auth.noteAttempt);
  const connections = createConnections(rt, handlers, frameLog, inbound);
  const sweeps = createSweeps(rt, frameLog.logUnanswered, connections.setConnected);
  const listeners = createListeners(rt, {
    logger,
    authenticate: auth.authenticate,
    onClient: connections.onClient,
    onBadMessage: inbound.onBadMessage,
    handleFileRequest: files.handle,
  });

  // A station or outlet re-rated (or removed): the energy check of the next reading uses the
  // new rating, not the one cached for up to a minute (a rewired charger was flagged for review).
  for (const type of ['station.updated', 'connector.updated', 'station.removed'] as const) {
    seams.domainEvents.subscribe(type, () => tx.reloadAfterRestore());
  }

  // The store, transactions and sessions stay inside src-main/ocpp: the API and other domains
  // get the narrow reads and writes below, the gateway, and domain events.
  const service = {
    /** For other domains: typed operations and a station's live state (gateway.ts). */
    gateway: ops.gateway,
    /** A registered station's row, null if none. */
    stationById: (stationId: number) => store.stationById(stationId),
    /** Firmware / diagnostics status and the local list version the station last accepted. */
    stationOcppState: (stationId: number) => store.getStationOcpp(stationId),
    setLocalListVersion(stationId: number, localListVersion: number) {
      store.patchStationOcpp(stationId, { localListVersion });
    },
    /** Refused chargers (the chargers page). */
    attempts: { list: store.listAttempts, remove: store.deleteAttempt },
    /** The organisation-wide id tag list. */
    idTags: {
      list: store.listIdTags,
      get: store.getIdTag,
      upsert: store.upsertIdTag,
      remove: store.deleteIdTag,
    },
    reservations: { create: store.newReservation, setStatus: store.setReservationStatus },
    transactions: { list: tx.list, get: tx.get },
    /** Pending last-seen times written now (reads that must be fresh). */
    flushLastSeen: () => store.flush(),
    /** CALLs the lean inbound path answered on this charger's connection, -1 if it could not
     *  hook it, null if not connected (test/ocpp/lean-path.test.ts). */
    leanCalls: (identity: string) => sessions.get(identity)?.leanCalls ?? null,
    async start(): Promise<void> {
      if (!options) return;
      if (options.commissioningMinutes)
        commissioning.set(
          options.commissioningMinutes,
          { siteId: null, floorId: null },
          clock.now(),
        );
      await listeners.start();
      sweeps.start();
      store.startCheckpoints();
      logger.info('OCPP server listening', {
        url: seams.info.ocppUrl,
        tlsUrl: seams.info.ocppTlsUrl,
      });
    },
    async stop(): Promise<void> {
      sweeps.stop();
      connections.forgetAll();
      await listeners.stop();
      store.flush();
      store.stopCheckpoints();
    },
    sweep: sweeps.sweep,
    dropAllConnections: connections.dropAllConnections,
    dropStations: connections.dropStations,
    /** Before a restore swaps the data: pending last-seen writes go to the data they belong to. */
    flushPending: () => store.flush(),
    /** After it (platform/restore-hooks.ts): connections dropped, caches reloaded. */
    resetAfterRestore(): void {
      connections.dropAllConnections('Data restored from a backup');
      store.reloadAfterRestore();
      tx.reloadAfterRestore();
      auth.forgetVerified();
      // A window open in the backup would reopen and register any unknown charger on the LAN
      // unannounced: a restore closes it (the operator reopens it deliberately).
      commissioning.set(0, { siteId: null, floorId: null }, clock.now());
    },
    isConnected: (identity: string) => sessions.has(identity),
    hasTransactions: (stationId: number) => tx.hasTransactions(stationId),
    get port() {
      return rt.listeners.plain?.port ?? null;
    },
    get tlsPort() {
      return rt.listeners.secure?.port ?? null;
    },
    chargerAddresses: listeners.chargerAddresses,

    // ── Adoption / commissioning ──
    commissioning: () => commissioning.state(clock.now()),
    /** The window as stored (its site, for the caller's site check when closing it). */
    commissioningWindow: () => commissioning.window(),
    setCommissioning(minutes: number, where: { siteId: number | null; floorId: number | null }) {
      return commissioning.set(minutes, where, clock.now());
    },
    async adopt(input: {
      identity: string;
      siteId: number;
      floorId: number | null;
      name: string;
      connectorCount: number;
      securityProfile: number;
      password: string | null;
    }) {
      if (input.securityProfile >= 1 && !input.password)
        throw new ApiFailure('validation', 'Security profile 1 and 2 need a password.', {
          field: 'password',
        });
      const stationId = await rt.insertStation({ ...input, approved: true });
      store.deleteAttempt(input.identity);
      return { stationId, identity: input.identity };
    },

    // ── Settings / TLS ──
    settings(): OcppSettings & { ocppUrl: string; tls: TlsStatus; chargerUrls: ChargerAddresses } {
      return {
        ...store.getSettings(),
        ocppUrl: seams.info.ocppUrl,
        tls: listeners.getTlsStatus(),
        chargerUrls: listeners.chargerAddresses(),
      };
    },
    updateSettings(patch: Partial<OcppSettings>) {
      store.updateSettings(patch, clock.now());
      sweeps.rearm();
      return service.settings();
    },
    importTls: listeners.importTls,
    generateTls: listeners.generateTls,

    // ── Operations (operations.ts) ──
    call: ops.call,
    sessionFor: ops.sessionFor,
    configGet: ops.configGet,
    configSet: ops.configSet,
    localListSend: ops.localListSend,
    firmwareUpdate: ops.firmwareUpdate,
    diagnosticsRequest: ops.diagnosticsRequest,
    diagnosticsList: ops.diagnosticsList,
    diagnosticsFile: ops.diagnosticsFile,
  };
  return service;
}

export type OcppService = ReturnType<typeof createOcppService>;
