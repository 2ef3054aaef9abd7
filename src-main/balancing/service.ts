// Load balancing for the API: a site's model (read, saved whole after validation, previewed on
// the cars charging now), the live allocation and the log. The controller (controller.ts) does
// the work; this is what people see of it.
import {
  resolveCustomMaps,
  validateConfig,
  type BalancingConfig,
} from '../../src-shared/balancing/config';
import { PHASES } from '../../src-shared/balancing/model';
import { eq } from 'drizzle-orm';
import { fieldFailure } from '../../src-shared/api/result';
import { stations } from '../db/schema';
import type { Seams } from '../platform/seams';
import type { ChargerGateway } from '../ocpp/gateway';
import { allocate, type Allocation } from './allocate';
import {
  defaultConfig,
  loadConfig,
  siteAccounts,
  siteFacts,
  siteStations,
  writeConfig,
} from './config-store';
import { createBalancingController, type ControllerOptions } from './controller';
import { createBalancingHistory } from './history';
import { keyOf, readLog } from './ledger-store';
import { createMeasuredLoadBoard } from './measured-load';
import { checkMeters, createMeterPoller } from './meters/poller';
import { describeReason } from './reasons';
import { realOverloads } from './faults-overload';
import { readSite, type SiteSnapshot } from './site-state';
import { capacities, compile } from './topology';
import { boundA } from './transition';

/**
 * A charger's draw older than this is shown as stale, with its age: chargers sample every 10-60 s
 * (MeterValueSampleInterval), so two minutes without one is a meter or a link gone quiet.
 */
export const STALE_DRAW_MS = 120_000;

export function createBalancingService(
  seams: Pick<Seams, 'db' | 'clock' | 'logger' | 'domainEvents' | 'scheduler'>,
  deps: { gateway: ChargerGateway; options?: Partial<ControllerOptions> },
) {
  const { db, clock, domainEvents } = seams;
  /** Meter readers report here (the Modbus poller, when built); the controller reads it. */
  const board = createMeasuredLoadBoard();
  const controller = createBalancingController(seams, { ...deps, board });
  /** Reads the site's Modbus meters into the board (meters/poller.ts). */
  const meters = createMeterPoller(seams, { sink: board });
  // A station re-wired or re-rated on the stations page changes the model (its wiring and rating
  // are the station's own): the controller recomputes the site. Subscribed for the service's
  // life; a stopped controller ignores triggers.
  // The share that is safe for every charger at once follows the wiring and ratings: the
  // connected chargers get their fallback again.
  domainEvents.subscribe('station.updated', (e) => {
    if (!e.changed.some((f) => f === 'phases' || f === 'rotation' || f === 'maxCurrentA')) return;
    controller.trigger(e.siteId);
    controller.reinstallFallbacks(e.siteId);
  });

  // When each charger's draw was last sampled (the controller keeps only the value): the live
  // view says how old a draw is and marks it stale when the charger's meter went quiet.
  const sampledAt = new Map<string, { transactionId: number; at: number }>();
  domainEvents.subscribe('transaction.meter', (e) => {
    const c = e.currentA;
    if (c && (c.L1 !== null || c.L2 !== null || c.L3 !== null))
      sampledAt.set(keyOf(e.stationId, e.connectorNumber), {
        transactionId: e.transactionId,
        at: e.at,
      });
  });
  domainEvents.subscribe('transaction.stopped', (e) =>
    sampledAt.delete(keyOf(e.stationId, e.connectorNumber)),
  );

  /** Validates the whole model; the custom meters then read with the site's maps. */
  function check(siteId: number, input: BalancingConfig) {
    const facts = siteFacts(db, siteId);
    const errors = validateConfig(input, facts);
    if (errors.length > 0) throw fieldFailure(errors);
    return { facts, config: resolveCustomMaps(input) };
  }

  function connectorsOut(snap: SiteSnapshot, allocation: Allocation) {
    const byKey = new Map(snap.connectors.map((c) => [c.key, c]));
    return allocation.connectors.map((a) => {
      const c = byKey.get(a.id);
      return {
        stationId: c?.stationId ?? 0,
        stationName: c?.stationName ?? '',
        connectorNumber: c?.connectorNumber ?? 0,
        phases: a.phases,
        limitA: a.limitA,
        controlled: a.controlled,
        reason: { kind: a.reason.kind, text: describeReason(a.reason) },
      };
    });
  }

  /** Where the rest of the building's load on a node comes from, and how fresh a meter's is. */
  function loadOf(snap: SiteSnapshot, target: string, now: number) {
    const source = snap.config.loadSources.find((s) => s.target === target);
    if (!source) return null;
    if (source.kind === 'typed') return { kind: 'typed' as const, at: null, quiet: false };
    const reading = board.latest(snap.siteId, target);
    const timeoutMs = (source.modbus?.timeoutSeconds ?? 30) * 1000;
    const quiet = !reading || now - reading.at > timeoutMs;
    const at = reading?.at ?? board.lastReadAt(snap.siteId, target) ?? null;
    return { kind: 'meter' as const, at, quiet };
  }

  function live(siteId: number) {
    const saved = loadConfig(db, siteId);
    const decision = saved?.enabled
      ? (controller.last(siteId) ?? controller.recompute(siteId))
      : null;
    const now = clock.now();
    if (!saved || !decision)
      return {
        enabled: false,
        saved: saved !== null,
        at: now,
        now,
        staleAfterMs: STALE_DRAW_MS,
        nodes: [],
        connectors: [],
        overloads: [],
      };
    const { snapshot: snap, allocation } = decision;
    const t = compile(snap.model);
    const cap = capacities(t, snap.loads);
    const allowed = new Float64Array(cap.length);
    const draw = new Float64Array(cap.length);
    const views = controller.views(siteId);
    const connectors = connectorsOut(snap, allocation).map((o, i) => {
      const c = snap.connectors[i];
      const a = allocation.connectors[i];
      const st = c ? t.stations.get(c.input.stationId) : undefined;
      // What it may draw now: the ledger's bound while charging, else what allocate counted.
      const allowedA = c && a?.controlled && c.ledger ? boundA(c.ledger) : (a?.limitA ?? 0);
      const v = c ? views.get(c.key) : undefined;
      const drawA = c?.transactionId != null ? (v?.drawA ?? null) : null;
      const sample = c ? sampledAt.get(c.key) : undefined;
      const drawAt =
        drawA !== null && sample?.transactionId === c?.transactionId ? (sample?.at ?? null) : null;
      if (st)
        for (const node of st.path)
          for (const p of st.phases) {
            allowed[node * 3 + p] = (allowed[node * 3 + p] ?? 0) + allowedA;
            draw[node * 3 + p] = (draw[node * 3 + p] ?? 0) + (drawA ?? 0);
          }
      const paused = a?.controlled === true && a.limitA === 0;
      const pausedSince = paused && v && !v.charging ? v.since : null;
      return {
        ...o,
        allowedA,
        drawA,
        drawAt,
        inFlight: c?.ledger?.inFlightA != null,
        uncontrolled: a?.reason.kind === 'uncontrolled',
        pausedSince,
        resumesBy: null as number | null,
        // For the turn estimate below: the full node, and the nodes above this charger.
        waitsOn:
          pausedSince !== null && a?.reason.kind === 'paused-rotation' ? a.reason.nodeId : null,
        charging: a?.controlled === true && a.limitA > 0 && c?.transactionId != null,
        path: st?.path ?? [],
      };
    });
    // A waiting car's turn: waiting cars go in longest-waiting first, one per car that has charged
    // its rotation period on the full node. The q-th in line (from 0) behind K charging cars gets
    // in within floor(q / K) + 1 periods of pausing, not one period each.
    const periodMs = snap.model.policy.rotationPeriodS * 1000;
    const queues = new Map<string, typeof connectors>();
    for (const c of connectors)
      if (c.waitsOn !== null) queues.set(c.waitsOn, [...(queues.get(c.waitsOn) ?? []), c]);
    for (const [nodeId, queue] of queues) {
      const node = t.nodeIndex.get(nodeId);
      const slots = Math.max(
        1,
        connectors.filter((c) => c.charging && node !== undefined && c.path.includes(node)).length,
      );
      queue
        .sort((x, y) => (x.pausedSince ?? 0) - (y.pausedSince ?? 0))
        .forEach((c, q) => {
          c.resumesBy = (c.pausedSince ?? 0) + (Math.floor(q / slots) + 1) * periodMs;
        });
    }
    const nodes = t.nodeIds
      .map((id, node) => ({ id, node }))
      .filter(({ node }) => t.nodeKinds[node] !== 'station')
      .map(({ id, node }) => {
        const kind = node === 0 ? ('supply' as const) : ('circuit' as const);
        const circuit = snap.model.circuits.find((c) => c.id === id);
        const measured = snap.loads[id] !== undefined;
        return {
          id,
          name: circuit ? circuit.name : 'Supply',
          kind,
          parentId: kind === 'supply' ? null : (circuit?.parentId ?? 'supply'),
          load: loadOf(snap, id, now),
          phases: PHASES.flatMap((phase, p) => {
            const k = node * 3 + p;
            const limitA = t.limit[k] ?? 0;
            if (limitA === 0) return [];
            return [
              {
                phase,
                limitA,
                otherA: limitA - (cap[k] ?? 0),
                measured,
                allowedA: allowed[k] ?? 0,
                drawA: draw[k] ?? 0,
              },
            ];
          }),
        };
      });
    return {
      enabled: true,
      saved: true,
      at: snap.at,
      now,
      staleAfterMs: STALE_DRAW_MS,
      nodes,
      connectors: connectors.map(({ waitsOn: _w, charging: _c, path: _p, ...c }) => c),
      // As the alarms: what really draws (not idle chargers counted at their rating), named
      // where the overload is.
      overloads: realOverloads(snap, allocation).map(({ nodeName, phase, excessA }) => ({
        nodeName,
        phase,
        excessA,
      })),
    };
  }

  const history = createBalancingHistory(seams, live);

  return {
    board,
    controller,
    meters,

    /**
     * Before a save: every Modbus meter that is new or whose address changed must answer one
     * reading now (a meter that does not answer is refused, naming its field; nothing saved).
     */
    async checkMeters(siteId: number, input: BalancingConfig): Promise<void> {
      const { config } = check(siteId, input);
      const errors = await checkMeters(config, loadConfig(db, siteId));
      if (errors.length > 0) throw fieldFailure(errors);
    },

    get(siteId: number) {
      const saved = loadConfig(db, siteId);
      return {
        saved: saved !== null,
        config: saved ?? defaultConfig(db, siteId),
        stations: siteStations(db, siteId).map(({ id, name, identity, maxCurrentA }) => ({
          id,
          name,
          identity,
          maxCurrentA,
        })),
        accounts: siteAccounts(db, siteId),
      };
    },

    /** Validates the whole model (every fault at once); nothing is saved on any fault. */
    save(siteId: number, input: BalancingConfig, userId: number | null) {
      const { config } = check(siteId, input);
      const before = loadConfig(db, siteId);
      const now = clock.now();
      domainEvents.transaction(
        (fn) => db.transaction(fn),
        () => {
          const rewired = writeConfig(db, siteId, config, { userId, now });
          // The wiring lives on the station: the stations page (and its listeners) hear of it.
          for (const r of rewired) {
            const st = db.select().from(stations).where(eq(stations.id, r.stationId)).get();
            if (st)
              domainEvents.publish({
                type: 'station.updated',
                stationId: st.id,
                siteId: st.siteId,
                previousSiteId: st.siteId,
                identity: st.identity,
                changed: r.changed,
                maxCurrentA: st.maxCurrentA,
                phases: st.phases,
                approved: st.approved,
                blocked: st.blocked,
                at: now,
              });
          }
          domainEvents.publish({ type: 'balancing.model-saved', siteId, at: now });
        },
      );
      return { before, after: config };
    },

    /** The allocation this model would give the cars charging now; nothing saved or sent. */
    preview(siteId: number, input: BalancingConfig) {
      const { facts, config } = check(siteId, input);
      const views = controller.views(siteId);
      const snap = readSite(
        { db, gateway: deps.gateway, board },
        siteId,
        config,
        facts,
        views,
        clock.now(),
      );
      const allocation = allocate({
        model: snap.model,
        loads: snap.loads,
        connectors: snap.connectors.map((c) => c.input),
        previous: controller.last(siteId)?.allocation ?? null,
      });
      return {
        connectors: connectorsOut(snap, allocation),
        overloads: allocation.overloads.map(({ nodeName, phase, excessA }) => ({
          nodeName,
          phase,
          excessA,
        })),
      };
    },

    live,

    /** Current per phase against the limit over the last hours, for one node (history.ts). */
    history: (siteId: number, nodeId: string, hours: number) => history.read(siteId, nodeId, hours),
    recordHistory: (siteId: number) => history.record(siteId),

    log: (siteId: number, limit: number) => readLog(db, siteId, limit),
  };
}

export type BalancingService = ReturnType<typeof createBalancingService>;
