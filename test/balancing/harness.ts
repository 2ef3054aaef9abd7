// A small world for the property tests: chargers that behave as OCPP 1.6 chargers do (a TxProfile
// lives as long as its transaction, TxDefault 0 A otherwise; one request in flight per connection;
// a profile may take effect before the answer; answers come late, or never when the connection
// drops), and a controller built the way the real one must be: allocate() + the transition plan,
// a ledger written before sending (it survives restarts), rejections and timeouts retried at the
// next periodic review and counted at what is in force meanwhile.
import type { ElectricalModel } from '../../src-shared/balancing/model';
import { allocate, type Allocation, type ConnectorInput } from '../../src-main/balancing/allocate';
import { checkWithinLimits, type Violation } from '../../src-main/balancing/invariant';
import {
  boundA,
  planTransition,
  reductionsPending,
  type LedgerEntry,
} from '../../src-main/balancing/transition';
import type { PerPhase } from '../../src-main/balancing/topology';

export type Event =
  | { kind: 'arrive'; st: number; wantA: number }
  | { kind: 'depart'; st: number }
  | { kind: 'want'; st: number; wantA: number }
  | { kind: 'offline'; st: number; applied: boolean }
  | { kind: 'online'; st: number }
  | { kind: 'rejecting'; st: number; on: boolean }
  | { kind: 'answer'; pick: number }
  | { kind: 'timeout'; pick: number; applied: boolean }
  | { kind: 'load'; a: PerPhase }
  | { kind: 'meter'; quiet: boolean }
  | { kind: 'tick'; s: number }
  | { kind: 'restart'; applied: boolean };

interface Charger {
  id: string;
  stationId: string;
  ratingA: number;
  /** Refuses smart charging from boot (known from its configuration): always at full rating. */
  ignoresProfiles: boolean;
  online: boolean;
  rejecting: boolean;
  /** The current transaction (a number per arrival), null without a car. */
  tx: number | null;
  wantA: number;
  /** The TxProfile limit in force for `tx` (0: the TxDefault of 0 A). */
  inForceA: number;
  pending: { requestId: number; tx: number; value: number } | null;
}

interface View {
  connected: boolean;
  /** StartTransaction/StopTransaction seen while offline are delivered on reconnection. */
  sinceS: number;
  charging: boolean;
  drawA: number | null;
  uncontrolled: boolean;
}

export interface Stats {
  events: number;
  allocations: number;
  checks: number;
  maxWaitS: number;
  profilesSent: number;
  overloads: number;
}

export class World {
  readonly chargers: Charger[];
  private now = 0;
  private txSeq = 0;
  private requestSeq = 0;
  private trueLoad: PerPhase = [0, 0, 0];
  private meterQuiet = false;
  // Controller: persisted ledger; the rest is memory, lost on restart.
  private readonly ledger = new Map<string, LedgerEntry & { requestId: number | null }>();
  private view = new Map<string, View>();
  private previous: Allocation | null = null;
  /** Loads of the latest allocation whose reductions were all confirmed: what the invariant uses. */
  private checkLoads: PerPhase | undefined = undefined;
  /** Excess of the same allocation that only chargers out of reach cause, by node:phase. */
  private tolerated = new Map<string, number>();
  readonly stats: Stats = {
    events: 0,
    allocations: 0,
    checks: 0,
    maxWaitS: 0,
    profilesSent: 0,
    overloads: 0,
  };
  lastAllocation: Allocation | null = null;

  constructor(
    readonly model: ElectricalModel,
    ignoring: ReadonlySet<string>,
  ) {
    this.chargers = model.stations.map((s) => ({
      id: `${s.stationId}/1`,
      stationId: s.stationId,
      ratingA: s.maxCurrentA,
      ignoresProfiles: ignoring.has(s.stationId),
      online: true,
      rejecting: false,
      tx: null,
      wantA: 0,
      inForceA: 0,
      pending: null,
    }));
    for (const c of this.chargers)
      this.ledger.set(c.id, { confirmedA: 0, inFlightA: null, requestId: null });
    this.control();
  }

  /** What each connector may draw right now, physically. */
  allowed(): { stationId: string; amps: number }[] {
    return this.chargers.map((c) => {
      if (c.ignoresProfiles) return { stationId: c.stationId, amps: c.ratingA };
      if (c.tx === null) return { stationId: c.stationId, amps: 0 };
      const pending = c.pending && c.pending.tx === c.tx && !c.rejecting ? c.pending.value : 0;
      return { stationId: c.stationId, amps: Math.max(c.inForceA, pending) };
    });
  }

  violations(): Violation[] {
    this.stats.checks++;
    const loads = this.checkLoads ? { supply: this.checkLoads } : undefined;
    return checkWithinLimits(this.model, this.allowed(), loads).filter(
      (v) => v.sumA - v.capacityA > (this.tolerated.get(`${v.nodeId}:${v.phase}`) ?? 0) + 1e-6,
    );
  }

  private v(c: Charger): View {
    let v = this.view.get(c.id);
    if (!v) {
      v = { connected: false, sinceS: this.now, charging: false, drawA: null, uncontrolled: false };
      this.view.set(c.id, v);
    }
    return v;
  }

  apply(e: Event): void {
    this.stats.events++;
    const c = 'st' in e ? this.chargers[e.st % this.chargers.length] : undefined;
    switch (e.kind) {
      case 'arrive':
        if (!c || c.tx !== null) return;
        c.tx = ++this.txSeq;
        c.wantA = e.wantA;
        c.inForceA = 0; // TxDefault 0 A until a TxProfile arrives
        if (c.online) this.startSeen(c);
        break;
      case 'depart':
        if (!c || c.tx === null) return;
        c.tx = null;
        c.inForceA = 0;
        if (c.online) this.stopSeen(c);
        break;
      case 'want':
        if (!c || c.tx === null) return;
        c.wantA = e.wantA;
        break;
      case 'offline':
        if (!c || !c.online) return;
        c.online = false;
        this.dropPending(c, e.applied);
        break;
      case 'online':
        if (!c || c.online) return;
        c.online = true;
        // Its transactions as it reports them on reconnection (one started while offline too).
        if (c.tx !== null && !this.v(c).connected) this.startSeen(c);
        if (c.tx === null && this.v(c).connected) this.stopSeen(c);
        break;
      case 'rejecting':
        if (!c) return;
        c.rejecting = e.on;
        break;
      case 'answer': {
        const c2 = this.pick(e.pick);
        if (!c2?.pending) return;
        const p = c2.pending;
        c2.pending = null;
        const accepted = !c2.rejecting && p.tx === c2.tx;
        if (accepted) c2.inForceA = p.value;
        this.answered(c2, p.requestId, accepted);
        break;
      }
      case 'timeout': {
        const c2 = this.pick(e.pick);
        if (!c2?.pending) return;
        // The answer never comes; whether the charger applied it nobody knows.
        this.dropPending(c2, e.applied);
        const v = this.v(c2);
        v.uncontrolled = true;
        break;
      }
      case 'load':
        this.trueLoad = e.a;
        break;
      case 'meter':
        this.meterQuiet = e.quiet;
        break;
      case 'tick':
        this.now += e.s;
        // Meter values from online chargers; the periodic review retries uncontrolled chargers.
        for (const ch of this.chargers) {
          const v = this.v(ch);
          if (ch.online && ch.tx !== null) v.drawA = Math.min(ch.wantA, ch.inForceA);
          v.uncontrolled = false;
        }
        break;
      case 'restart':
        // Connections drop (answers lost), memory goes; the ledger and the transactions table stay.
        for (const ch of this.chargers) this.dropPending(ch, e.applied);
        {
          const kept = new Map<string, View>();
          for (const [id, v] of this.view)
            kept.set(id, {
              connected: v.connected,
              sinceS: this.now,
              charging: false,
              drawA: null,
              uncontrolled: false,
            });
          this.view = kept;
        }
        this.previous = null;
        break;
    }
    this.control();
  }

  private pick(n: number): Charger | undefined {
    const waiting = this.chargers.filter((c) => c.pending);
    return waiting[n % Math.max(1, waiting.length)];
  }

  /** The connection dropped or the request timed out: the charger may have applied the profile. */
  private dropPending(c: Charger, applied: boolean): void {
    if (c.pending) {
      if (applied && c.pending.tx === c.tx && !c.rejecting) c.inForceA = c.pending.value;
      c.pending = null;
    }
    // The controller cannot tell either: from now on it counts the higher of the two as in force.
    const e = this.ledger.get(c.id);
    if (e && e.inFlightA !== null)
      this.ledger.set(c.id, { confirmedA: boundA(e), inFlightA: null, requestId: null });
  }

  private startSeen(c: Charger): void {
    const v = this.v(c);
    v.connected = true;
    v.charging = false;
    v.sinceS = this.now;
    v.drawA = null;
    // A new transaction starts under the TxDefault of 0 A; anything older no longer applies.
    this.ledger.set(c.id, { confirmedA: 0, inFlightA: null, requestId: null });
  }

  private stopSeen(c: Charger): void {
    const v = this.v(c);
    v.connected = false;
    v.charging = false;
    v.drawA = null;
    this.ledger.set(c.id, { confirmedA: 0, inFlightA: null, requestId: null });
  }

  private answered(c: Charger, requestId: number, accepted: boolean): void {
    const e = this.ledger.get(c.id);
    if (!e || e.requestId !== requestId) return; // an answer for an older transaction
    if (accepted)
      this.ledger.set(c.id, {
        confirmedA: e.inFlightA ?? e.confirmedA,
        inFlightA: null,
        requestId: null,
      });
    else {
      this.ledger.set(c.id, { confirmedA: e.confirmedA, inFlightA: null, requestId: null });
      this.v(c).uncontrolled = true;
    }
  }

  private send(c: Charger, toA: number): boolean {
    if (!c.online || c.pending) return false;
    if (c.tx === null) return true; // no transaction: nothing to limit
    const requestId = ++this.requestSeq;
    const e = this.ledger.get(c.id) ?? { confirmedA: 0, inFlightA: null, requestId: null };
    // Written before sending: a crash right after still knows the charger may draw this much.
    this.ledger.set(c.id, { confirmedA: e.confirmedA, inFlightA: toA, requestId });
    c.pending = { requestId, tx: c.tx, value: toA };
    this.stats.profilesSent++;
    return true;
  }

  /** The controller's reaction to whatever just happened. */
  private control(): void {
    const inputs: ConnectorInput[] = this.chargers.map((c) => {
      const v = this.v(c);
      const station = this.model.stations.find((s) => s.stationId === c.stationId);
      const e = this.ledger.get(c.id);
      const bound = e ? boundA(e) : 0;
      const base = {
        id: c.id,
        stationId: c.stationId,
        ratingA: c.ratingA,
        priority: station?.priority ?? 'normal',
        capA: station?.capA ?? null,
      };
      if (c.ignoresProfiles) return { ...base, state: { kind: 'uncontrolled', inForceA: null } };
      if (!c.online) return { ...base, state: { kind: 'offline', inForceA: bound } };
      if (!v.connected) return { ...base, state: { kind: 'idle', inForceA: bound } };
      if (v.uncontrolled) return { ...base, state: { kind: 'uncontrolled', inForceA: bound } };
      const since = this.now - v.sinceS;
      return {
        ...base,
        state: {
          kind: 'charging',
          drawA: v.drawA,
          chargingS: v.charging ? since : 0,
          pausedS: v.charging ? 0 : since,
        },
      };
    });
    const loads = this.meterQuiet ? undefined : { supply: this.trueLoad };
    const next = allocate({
      model: this.model,
      loads,
      connectors: inputs,
      previous: this.previous,
    });
    this.stats.allocations++;
    const plan = planTransition(this.ledger, next);
    let allSent = true;
    for (const r of plan.reductions) {
      const c = this.chargers.find((x) => x.id === r.id);
      if (c && !this.send(c, r.toA)) allSent = false;
    }
    const complete = allSent && !reductionsPending(this.ledger);
    this.stats.overloads += next.overloads.length > 0 ? 1 : 0;
    if (complete) {
      for (const r of plan.increases) {
        const c = this.chargers.find((x) => x.id === r.id);
        if (c) this.send(c, r.toA);
      }
      // Every reduction of this allocation is in force: from now on it is the one to hold to,
      // except where what we cannot reach already exceeds a node (the building's load rose under
      // an offline charger): that excess is reported (an alarm), and nothing we send adds to it.
      this.checkLoads = loads?.supply ?? [
        this.model.supply.assumedOtherLoadA,
        this.model.supply.assumedOtherLoadA,
        this.model.supply.assumedOtherLoadA,
      ];
      this.tolerated = new Map(next.overloads.map((o) => [`${o.nodeId}:${o.phase}`, o.excessA]));
    }
    // Rotation bookkeeping: when each car started charging or waiting.
    for (const a of next.connectors) {
      const v = this.view.get(a.id);
      if (!v?.connected || !a.controlled) continue;
      const charging = a.limitA > 0;
      if (charging !== v.charging) {
        v.charging = charging;
        v.sinceS = this.now;
      }
      if (!charging && a.reason.kind === 'paused-rotation')
        this.stats.maxWaitS = Math.max(this.stats.maxWaitS, this.now - v.sinceS);
    }
    this.previous = next;
    this.lastAllocation = next;
  }
}
