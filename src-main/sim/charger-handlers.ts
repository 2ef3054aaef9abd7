// What the simulated charger answers to the central system's calls (OCPP 1.6 §5): configuration,
// resets, remote start/stop, availability, triggers, diagnostics and firmware, local lists,
// reservations, smart charging and the composite schedule (split from charger.ts).
import type { RPCClient } from 'ocpp-rpc';
import type { SimChargingProfiles } from './charging-profiles';
import type { ConnectorState, Json, ResolvedSimOptions } from './charger-options';
import { compositeSchedule } from './composite-schedule';
import { updateFirmware, uploadDiagnostics } from './maintenance';

/** What the handlers use of the charger (SimCharger's public face; no import: no cycle). */
export interface HandledCharger {
  readonly identity: string;
  readonly opts: Pick<ResolvedSimOptions, 'now' | 'maxCurrentA' | 'voltage' | 'phases'>;
  readonly config: Map<string, { value: string; readonly: boolean }>;
  readonly connectors: ConnectorState[];
  readonly received: { action: string; params: Json }[];
  readonly profiles: { connectorId: number; profile: Json }[];
  readonly smart: SimChargingProfiles;
  readonly firmwareStatuses: string[];
  readonly silent: boolean;
  readonly answerDelayMs: number;
  localList: { version: number; entries: Json[] };
  reservation: { id: number; connectorId: number; idTag: string } | null;
  connector(n: number): ConnectorState;
  send(action: string, params: Json): Promise<unknown>;
  boot(): Promise<string>;
  heartbeat(): Promise<string>;
  reportAllStatuses(): Promise<void>;
  statusNotification(connectorId: number, status: string): Promise<void>;
  meterValues(connectorId: number): Promise<void>;
  startTransaction(connectorId: number, idTag: string): Promise<unknown>;
  stopTransaction(connectorId: number, reason: string): Promise<unknown>;
}

/** What the handlers need of the charger beyond its public face. */
export interface ChargerInternals {
  /** Stop transactions, drop the connection, reconnect and boot (a Reset). */
  reboot(reason: string): Promise<void>;
  /** A configuration key was changed: restart the loop it paces. */
  configurationChanged(key: string): void;
}

export function installHandlers(
  sim: HandledCharger,
  client: RPCClient,
  inner: ChargerInternals,
): void {
  const on = (action: string, f: (p: Json) => Json | Promise<Json>) =>
    client.handle(action, async ({ params: raw }) => {
      const params: Json = raw ?? {};
      sim.received.push({ action, params });
      if (sim.silent) return new Promise<Json>(() => undefined);
      // A slow charger: it answers (and acts) this long after the call.
      if (sim.answerDelayMs > 0) await new Promise((r) => setTimeout(r, sim.answerDelayMs));
      return f(params);
    });
  const connectorOk = (id: unknown) =>
    typeof id === 'number' && id >= 1 && id <= sim.connectors.length;

  on('GetConfiguration', (p) => {
    const wanted = Array.isArray(p.key) ? (p.key as string[]) : null;
    const keys = wanted ?? [...sim.config.keys()];
    return {
      configurationKey: keys
        .filter((k) => sim.config.has(k))
        .map((key) => ({
          key,
          readonly: sim.config.get(key)?.readonly ?? false,
          value: sim.config.get(key)?.value ?? '',
        })),
      unknownKey: keys.filter((k) => !sim.config.has(k)),
    };
  });
  on('ChangeConfiguration', (p) => {
    const key = String(p.key);
    const entry = sim.config.get(key);
    if (!entry) return { status: 'NotSupported' };
    if (entry.readonly) return { status: 'Rejected' };
    if (key === 'HeartbeatInterval' && !(Number(p.value) > 0)) return { status: 'Rejected' };
    sim.config.set(key, { value: String(p.value), readonly: false });
    inner.configurationChanged(key);
    return { status: 'Accepted' };
  });
  on('Reset', (p) => {
    // Reboot shortly after answering: stop transactions (§5.14), reconnect, boot.
    setTimeout(() => void inner.reboot(p.type === 'Hard' ? 'HardReset' : 'SoftReset'), 20);
    return { status: 'Accepted' };
  });
  on('UnlockConnector', (p) => {
    if (!connectorOk(p.connectorId)) return { status: 'NotSupported' };
    sim.connector(Number(p.connectorId)).locked = false;
    return { status: 'Unlocked' };
  });
  on('RemoteStartTransaction', (p) => {
    const id =
      typeof p.connectorId === 'number'
        ? p.connectorId
        : sim.connectors.findIndex((c) => !c.tx && c.available) + 1;
    if (!connectorOk(id) || sim.connector(id).tx || !sim.connector(id).available)
      return { status: 'Rejected' };
    if (p.chargingProfile) applyProfile(sim, id, p.chargingProfile as Json, true);
    setTimeout(() => void sim.startTransaction(id, String(p.idTag)).catch(() => undefined), 10);
    return { status: 'Accepted' };
  });
  on('RemoteStopTransaction', async (p) => {
    const find = () => sim.connectors.findIndex((c) => c.tx?.transactionId === p.transactionId);
    let i = find();
    if (i < 0 && sim.connectors.some((c) => c.tx && c.tx.transactionId === null)) {
      // A charger reads its frames in order: the StartTransaction answer that arrived just
      // before this call is applied first. Here the answer's continuation is a microtask
      // behind when both frames come in one socket read: let it run, then look again.
      await new Promise((r) => setImmediate(r));
      i = find();
    }
    if (i < 0) return { status: 'Rejected' };
    setTimeout(() => void sim.stopTransaction(i + 1, 'Remote').catch(() => undefined), 10);
    return { status: 'Accepted' };
  });
  on('ChangeAvailability', (p) => {
    const id = Number(p.connectorId);
    const targets =
      id === 0 ? sim.connectors : [sim.connectors[id - 1]].filter((c): c is ConnectorState => !!c);
    if (targets.length === 0) return { status: 'Rejected' };
    const busy = targets.some((c) => c.tx);
    for (const c of targets) c.available = p.type === 'Operative';
    if (!busy) {
      setTimeout(() => {
        targets.forEach(
          (c, i) =>
            void sim
              .statusNotification(
                id === 0 ? i + 1 : id,
                p.type === 'Operative' ? 'Available' : 'Unavailable',
              )
              .catch(() => undefined),
        );
      }, 10);
    }
    return { status: busy ? 'Scheduled' : 'Accepted' };
  });
  on('ClearCache', () => ({ status: 'Accepted' }));
  on('DataTransfer', (p) =>
    p.vendorId === 'StrataSim'
      ? { status: 'Accepted', data: `echo:${String(p.data ?? '')}` }
      : { status: 'UnknownVendorId' },
  );
  on('TriggerMessage', (p) => {
    const msg = String(p.requestedMessage);
    const cid = typeof p.connectorId === 'number' ? p.connectorId : undefined;
    const later = (f: () => Promise<unknown>) =>
      setTimeout(() => void f().catch(() => undefined), 10);
    switch (msg) {
      case 'BootNotification':
        later(() => sim.boot());
        break;
      case 'Heartbeat':
        later(() => sim.heartbeat());
        break;
      case 'StatusNotification':
        later(async () =>
          cid ? sim.statusNotification(cid, sim.connector(cid).status) : sim.reportAllStatuses(),
        );
        break;
      case 'MeterValues':
        later(() => sim.meterValues(cid ?? 1));
        break;
      case 'DiagnosticsStatusNotification':
        later(() => sim.send('DiagnosticsStatusNotification', { status: 'Idle' }));
        break;
      case 'FirmwareStatusNotification':
        later(() => sim.send('FirmwareStatusNotification', { status: 'Idle' }));
        break;
      default:
        return { status: 'NotImplemented' };
    }
    return { status: 'Accepted' };
  });
  on('GetDiagnostics', (p) => {
    const fileName = `diag-${sim.identity}.log`;
    const send = (action: string, q: Json) => sim.send(action, q);
    setTimeout(
      () => void uploadDiagnostics(send, diagnosticsText(sim), String(p.location), fileName),
      10,
    );
    return { fileName };
  });
  on('UpdateFirmware', (p) => {
    const send = (action: string, q: Json) => sim.send(action, q);
    setTimeout(() => void updateFirmware(send, sim.firmwareStatuses, String(p.location)), 10);
    return {};
  });
  on('GetLocalListVersion', () => ({ listVersion: sim.localList.version }));
  on('SendLocalList', (p) => {
    const entries = (p.localAuthorizationList as Json[] | undefined) ?? [];
    // §5.15 / §9.1: more entries in one message, or in the list, than the charger takes.
    const most = (key: string) => Number(sim.config.get(key)?.value ?? Infinity);
    if (entries.length > most('SendLocalListMaxLength')) return { status: 'Failed' };
    if (p.updateType === 'Full') {
      if (entries.length > most('LocalAuthListMaxLength')) return { status: 'Failed' };
      sim.localList = { version: Number(p.listVersion), entries };
    } else {
      // §5.15: a differential not newer than the list held is refused; an entry without
      // idTagInfo removes its idTag, one with it adds or replaces it.
      if (Number(p.listVersion) <= sim.localList.version) return { status: 'VersionMismatch' };
      const byTag = new Map(sim.localList.entries.map((e) => [(e as { idTag: string }).idTag, e]));
      for (const e of entries as { idTag: string; idTagInfo?: Json }[]) {
        if (e.idTagInfo) byTag.set(e.idTag, e);
        else byTag.delete(e.idTag);
      }
      if (byTag.size > most('LocalAuthListMaxLength')) return { status: 'Failed' };
      sim.localList = { version: Number(p.listVersion), entries: [...byTag.values()] };
    }
    return { status: 'Accepted' };
  });
  on('ReserveNow', (p) => {
    const id = Number(p.connectorId);
    if (id !== 0 && !connectorOk(id)) return { status: 'Rejected' };
    if (id > 0 && sim.connector(id).tx) return { status: 'Occupied' };
    sim.reservation = { id: Number(p.reservationId), connectorId: id, idTag: String(p.idTag) };
    return { status: 'Accepted' };
  });
  on('CancelReservation', (p) => {
    if (sim.reservation?.id !== p.reservationId) return { status: 'Rejected' };
    sim.reservation = null;
    return { status: 'Accepted' };
  });
  on('SetChargingProfile', (p) => {
    const id = Number(p.connectorId);
    if (id !== 0 && !connectorOk(id)) return { status: 'Rejected' };
    return { status: applyProfile(sim, id, p.csChargingProfiles as Json) };
  });
  on('ClearChargingProfile', () => {
    const had = sim.profiles.length > 0;
    sim.profiles.length = 0;
    sim.smart.clear();
    return { status: had ? 'Accepted' : 'Unknown' };
  });
  on('GetCompositeSchedule', (p) => {
    const id = Number(p.connectorId);
    if (id !== 0 && !connectorOk(id)) return { status: 'Rejected' };
    const tx = id > 0 ? sim.connector(id).tx : null;
    const from = sim.opts.now();
    return {
      status: 'Accepted',
      connectorId: id,
      scheduleStart: new Date(from).toISOString(),
      chargingSchedule: compositeSchedule(sim.smart, {
        connectorId: id,
        charging: tx !== null,
        txStartedAt: tx?.startedAt ?? null,
        from,
        durationS: Number(p.duration),
        unit: p.chargingRateUnit === 'W' ? 'W' : 'A',
        maxCurrentA: sim.opts.maxCurrentA,
        voltage: sim.opts.voltage,
        phases: sim.opts.phases,
      }),
    };
  });
}

/** OCPP 1.6 smart charging as charging-profiles.ts models it. */
function applyProfile(
  sim: HandledCharger,
  connectorId: number,
  profile: Json,
  pendingStart = false,
): 'Accepted' | 'Rejected' {
  sim.profiles.push({ connectorId, profile });
  // A transaction whose StartTransaction answer is still being read counts as running.
  const txOf = (n: number) => {
    if (n < 1 || n > sim.connectors.length) return null;
    const tx = sim.connector(n).tx;
    if (!tx) return null;
    return (
      tx.transactionId ?? (typeof profile.transactionId === 'number' ? profile.transactionId : 0)
    );
  };
  return sim.smart.set(connectorId, profile, txOf, pendingStart);
}

function diagnosticsText(sim: HandledCharger): string {
  return `diagnostics of ${sim.identity}\nconnectors: ${sim.connectors.length}\n`;
}
