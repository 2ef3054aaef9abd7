// A simulated OCPP 1.6J charge point speaking real OCPP-J over a WebSocket (ocpp-rpc's RPCClient).
// Used by the tests, `npm run simulate` and the demo. It behaves like a well-mannered charger:
// a configuration key store, transactions with a rising Wh register, obeys charging profiles,
// answers every central-system message, queues transaction messages while offline and replays
// them on reconnect (OCPP 1.6 §4.7 / §4.8 "transaction-related messages").
import { RPCClient } from 'ocpp-rpc';
import { SimChargingProfiles } from './charging-profiles';
import { toBuildingPhases, type PhaseAmps, type SimCar } from './car';
import {
  defaultConfiguration,
  withDefaults,
  type ConnectorState,
  type Json,
  type ResolvedSimOptions,
  type SimOptions,
  type SimTransaction,
} from './charger-options';
import { installHandlers } from './charger-handlers';
import { meterValue } from './meter-values';

export type { SimOptions, SimTransaction } from './charger-options';

export class SimCharger {
  readonly identity: string;
  readonly opts: ResolvedSimOptions;
  client: RPCClient | null = null;
  readonly config = new Map<string, { value: string; readonly: boolean }>();
  readonly connectors: ConnectorState[] = [];
  readonly received: { action: string; params: Json }[] = [];
  readonly profiles: { connectorId: number; profile: Json }[] = [];
  localList: { version: number; entries: Json[] } = { version: 0, entries: [] };
  bootStatus: string | null = null;
  firmwareStatuses: string[] = [];
  /** Set to make the charger stop answering central-system calls (timeout tests). */
  silent = false;
  /** Answer (and act on) central-system calls this long after they come (a slow charger). */
  answerDelayMs = 0;
  /** Smart charging: profiles in force, every SetChargingProfile received (charging-profiles.ts). */
  readonly smart: SimChargingProfiles;
  private offline = false;
  private queue: (() => Promise<void>)[] = [];
  private meterTimer: NodeJS.Timeout | null = null;
  private meterEvery: number | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Heartbeats sent by the timer (tests and the console read it). */
  heartbeatsSent = 0;
  /** The reservation held (ReserveNow), if any. */
  reservation: { id: number; connectorId: number; idTag: string } | null = null;

  constructor(opts: SimOptions) {
    this.identity = opts.identity;
    this.opts = withDefaults(opts);
    this.smart = new SimChargingProfiles({
      voltage: this.opts.voltage,
      phases: this.opts.phases,
      now: () => this.opts.now(),
    });
    for (let i = 0; i < this.opts.connectors; i++) {
      this.connectors.push({
        status: 'Available',
        registerWh: 1_000_000 + i * 10_000,
        limitA: null,
        tx: null,
        locked: false,
        available: true,
        car: null,
        carryWh: 0,
      });
    }
    const keys = defaultConfiguration(this.opts);
    for (const [k, v, ro] of keys) this.config.set(k, { value: v, readonly: ro });
  }

  private iso(ms = this.opts.now()) {
    return new Date(ms).toISOString();
  }

  // ── Connection ──────────────────────────────────────────────────────────────────────────
  async connect(): Promise<void> {
    // ocpp-rpc's typings mark every option required although all have defaults (README).
    type ClientOptions = ConstructorParameters<typeof RPCClient>[0];
    const client = new RPCClient({
      endpoint: this.opts.url,
      identity: this.identity,
      protocols: this.opts.protocols ?? ['ocpp1.6'],
      ...(this.opts.password ? { password: this.opts.password } : {}),
      callTimeoutMs: this.opts.callTimeoutMs,
      reconnect: this.opts.reconnect,
      strictMode: false,
      wsOpts: this.opts.ca ? { ca: this.opts.ca } : {},
    } as Partial<ClientOptions> as ClientOptions);
    this.installHandlers(client);
    await client.connect();
    this.client = client;
    this.offline = false;
  }

  async boot(): Promise<string> {
    const r = (await this.send('BootNotification', {
      chargePointVendor: this.opts.vendor,
      chargePointModel: this.opts.model,
      chargePointSerialNumber: `SN-${this.identity}`,
      firmwareVersion: '1.0.0',
    })) as Json;
    this.bootStatus = String(r.status);
    if (typeof r.interval === 'number' && r.interval > 0 && r.status === 'Accepted') {
      this.config.set('HeartbeatInterval', { value: String(r.interval), readonly: false });
    }
    if (r.status === 'Accepted') this.startHeartbeats();
    return this.bootStatus;
  }

  /** Connect, boot, and report every connector's status (what a charger does at power-up). */
  async start(): Promise<string> {
    await this.connect();
    const status = await this.boot();
    if (status === 'Accepted') await this.reportAllStatuses();
    return status;
  }

  async reportAllStatuses(): Promise<void> {
    await this.statusNotification(0, 'Available');
    for (let i = 1; i <= this.connectors.length; i++) {
      await this.statusNotification(i, this.connector(i).status);
    }
  }

  /** The interval the heartbeat timer runs at, seconds (null when it is not running). */
  get heartbeatIntervalSeconds(): number | null {
    return this.heartbeatTimer ? this.heartbeatSeconds() : null;
  }

  private heartbeatSeconds(): number {
    const v = Number(this.config.get('HeartbeatInterval')?.value);
    return Number.isFinite(v) && v > 0 ? v : 300;
  }

  /** OCPP 1.6 §4.6: a charger sends Heartbeat at the interval the central system gave it. */
  private startHeartbeats(): void {
    this.stopHeartbeats();
    if (!this.opts.heartbeats) return;
    this.heartbeatTimer = setInterval(() => {
      if (!this.client || this.offline) return;
      this.heartbeatsSent++;
      void this.heartbeat().catch(() => undefined);
    }, this.heartbeatSeconds() * 1000);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeats(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  async close(): Promise<void> {
    this.stopMeterLoop();
    this.stopHeartbeats();
    const c = this.client;
    this.client = null;
    if (c) await c.close({ code: 1000, force: true }).catch(() => undefined);
  }

  /** Drop the connection and queue transaction messages until `reconnect()`. */
  async goOffline(): Promise<void> {
    this.offline = true;
    this.stopHeartbeats();
    const c = this.client;
    this.client = null;
    if (c) await c.close({ code: 1001, force: true }).catch(() => undefined);
  }

  /** Reconnect, boot again (as after a power cycle) unless told not to, replay the queue. */
  async reconnect(opts: { boot?: boolean } = {}): Promise<void> {
    await this.connect();
    if (opts.boot) await this.boot();
    const queued = this.queue;
    this.queue = [];
    for (const job of queued) await job();
  }

  get isOffline() {
    return this.offline;
  }

  async send(action: string, params: Json): Promise<unknown> {
    if (!this.client) throw new Error(`${this.identity} is not connected`);
    return this.client.call(action, params);
  }

  /** Transaction-related messages are queued while offline and sent in order afterwards. */
  private async sendOrQueue(job: () => Promise<void>): Promise<void> {
    if (this.offline || !this.client) {
      this.queue.push(job);
      return;
    }
    await job();
  }

  get queuedCount() {
    return this.queue.length;
  }

  // ── Charger-initiated messages ──────────────────────────────────────────────────────────
  connector(n: number): ConnectorState {
    const c = this.connectors[n - 1];
    if (!c) throw new Error(`no connector ${n}`);
    return c;
  }

  async statusNotification(
    connectorId: number,
    status: string,
    errorCode = 'NoError',
    extra: Json = {},
  ) {
    if (connectorId > 0) this.connector(connectorId).status = status;
    if (!this.client) return;
    await this.send('StatusNotification', {
      connectorId,
      status,
      errorCode,
      timestamp: this.iso(),
      ...extra,
    });
  }

  async heartbeat(): Promise<string> {
    const r = (await this.send('Heartbeat', {})) as Json;
    return String(r.currentTime);
  }

  /** What the charger decides from its local list alone (offline): Accepted or Invalid. */
  localAuthorize(idTag: string, at = this.opts.now()): string {
    const e = this.localList.entries.find((x) => (x as { idTag: string }).idTag === idTag) as
      { idTagInfo?: { status: string; expiryDate?: string } } | undefined;
    const info = e?.idTagInfo;
    if (!info) return 'Invalid';
    if (info.expiryDate && Date.parse(info.expiryDate) <= at) return 'Expired';
    return info.status;
  }

  /** Authorize; while offline the charger decides from its local list, as a real one does. */
  async authorize(idTag: string): Promise<string> {
    if (this.offline) return this.localAuthorize(idTag);
    const r = (await this.send('Authorize', { idTag })) as { idTagInfo: { status: string } };
    return r.idTagInfo.status;
  }

  /** Plug in and start (StartTransaction); queued if offline. Returns the local tx handle. */
  async startTransaction(
    connectorId: number,
    idTag: string,
    at = this.opts.now(),
  ): Promise<SimTransaction> {
    const c = this.connector(connectorId);
    const tx: SimTransaction = {
      connectorId,
      idTag,
      meterStart: c.registerWh,
      startedAt: at,
      transactionId: null,
      idTagStatus: null,
    };
    c.tx = tx;
    c.status = 'Charging';
    const payload = { connectorId, idTag, meterStart: tx.meterStart, timestamp: this.iso(at) };
    await this.sendOrQueue(async () => {
      const r = (await this.send('StartTransaction', payload)) as {
        transactionId: number;
        idTagInfo: { status: string };
      };
      tx.transactionId = r.transactionId;
      tx.idTagStatus = r.idTagInfo.status;
    });
    if (this.client && !this.offline) await this.statusNotification(connectorId, 'Charging');
    return tx;
  }

  /** A car arrives at the connector (before startTransaction); it leaves at stopTransaction. */
  plugIn(connectorId: number, car: SimCar): SimCar {
    this.connector(connectorId).car = car;
    return car;
  }

  /** Advance the simulated meter (and the car's battery) by `seconds` at the current draw. */
  advanceMeter(connectorId: number, seconds: number): void {
    const c = this.connector(connectorId);
    if (!c.tx) return;
    const amps = this.phaseCurrentsA(connectorId);
    // The register counts whole Wh; the fraction carries to the next interval.
    const wh = (this.powerW(connectorId) * seconds) / 3600 + c.carryWh;
    c.registerWh += Math.round(wh);
    c.carryWh = wh - Math.round(wh);
    c.car?.charge(amps, this.opts.voltage, seconds);
  }

  /** What flows on the charger's own L1, L2, L3: min(limit in force, car's on-board charger, taper). */
  phaseCurrentsA(connectorId: number): PhaseAmps {
    const c = this.connector(connectorId);
    if (!c.tx) return [0, 0, 0];
    if (c.car) return c.car.draw(this.allowedA(connectorId), this.opts.phases);
    if (c.status !== 'Charging') return [0, 0, 0];
    const a = Math.min(this.opts.maxCurrentA, this.allowedA(connectorId));
    return this.opts.phases === 3 ? [a, a, a] : [a, 0, 0];
  }

  /** The same on the building's phases, through the charger's rotation. */
  buildingCurrentsA(connectorId: number): PhaseAmps {
    return toBuildingPhases(this.phaseCurrentsA(connectorId), this.opts.rotation);
  }

  /** The highest phase current (A). */
  currentA(connectorId: number): number {
    return Math.max(...this.phaseCurrentsA(connectorId));
  }

  /** What the connector may draw now: its profiles in force (and a test's override, limitA). */
  allowedA(connectorId: number): number {
    const c = this.connector(connectorId);
    const profile = this.smart.limitA(connectorId, c.tx !== null, c.tx?.startedAt) ?? Infinity;
    return Math.min(this.opts.maxCurrentA, c.limitA ?? Infinity, profile);
  }

  powerW(connectorId: number): number {
    const [l1, l2, l3] = this.phaseCurrentsA(connectorId);
    return Math.round((l1 + l2 + l3) * this.opts.voltage);
  }

  meterValuePayload(connectorId: number, context = 'Sample.Periodic', at = this.opts.now()): Json {
    return meterValue({
      timestamp: this.iso(at),
      context,
      registerWh: this.connector(connectorId).registerWh,
      energyUnit: this.opts.energyUnit,
      powerW: this.powerW(connectorId),
      amps: this.phaseCurrentsA(connectorId),
      phases: this.opts.phases,
      voltage: this.opts.voltage,
    });
  }

  async meterValues(connectorId: number, at = this.opts.now()): Promise<void> {
    const c = this.connector(connectorId);
    const tx = c.tx;
    const mv = this.meterValuePayload(connectorId, 'Sample.Periodic', at);
    await this.sendOrQueue(async () => {
      await this.send('MeterValues', {
        connectorId,
        ...(tx?.transactionId != null ? { transactionId: tx.transactionId } : {}),
        meterValue: [mv],
      });
    });
  }

  async stopTransaction(
    connectorId: number,
    reason = 'Local',
    at = this.opts.now(),
  ): Promise<void> {
    const c = this.connector(connectorId);
    const tx = c.tx;
    if (!tx) throw new Error(`no transaction on connector ${connectorId}`);
    c.tx = null;
    c.car = null;
    c.status = 'Finishing';
    this.smart.transactionEnded(connectorId);
    const meterStop = c.registerWh;
    const end = this.meterValuePayload(connectorId, 'Transaction.End', at);
    await this.sendOrQueue(async () => {
      if (tx.transactionId == null) throw new Error('transaction was never started at the server');
      await this.send('StopTransaction', {
        transactionId: tx.transactionId,
        meterStop,
        timestamp: this.iso(at),
        idTag: tx.idTag,
        reason,
        transactionData: [end],
      });
    });
    if (this.client && !this.offline) await this.statusNotification(connectorId, 'Available');
  }

  /** Periodic MeterValues for every charging connector (CLI / demo). */
  /** Every `everySeconds` if given (kept whatever the server sets: demos, UI tests), else at
   *  MeterValueSampleInterval. */
  startMeterLoop(everySeconds?: number): void {
    this.stopMeterLoop();
    if (everySeconds !== undefined) this.meterEvery = everySeconds;
    const seconds = Math.max(
      1,
      this.meterEvery ?? (Number(this.config.get('MeterValueSampleInterval')?.value ?? 60) || 60),
    );
    this.meterTimer = setInterval(
      () => void this.sample(seconds).catch(() => undefined),
      seconds * 1000,
    );
    this.meterTimer.unref();
  }

  /**
   * One meter interval of `seconds`: every connector with a transaction advances its meter (and
   * its car), a car's connector reports the status its draw implies (Charging; SuspendedEV when
   * the car takes nothing, full; SuspendedEVSE when the limit is below what a car can use), and
   * MeterValues go out (queued while offline).
   */
  async sample(seconds: number): Promise<void> {
    for (let i = 1; i <= this.connectors.length; i++) {
      const c = this.connector(i);
      if (!c.tx) continue;
      this.advanceMeter(i, seconds);
      if (c.car) {
        const status =
          this.currentA(i) > 0 ? 'Charging' : c.car.full ? 'SuspendedEV' : 'SuspendedEVSE';
        if (status !== c.status) await this.statusNotification(i, status);
      }
      await this.meterValues(i);
    }
  }

  stopMeterLoop(): void {
    if (this.meterTimer) clearInterval(this.meterTimer);
    this.meterTimer = null;
  }

  // ── Central-system messages (OCPP 1.6 §5) ───────────────────────────────────────────────
  private installHandlers(client: RPCClient): void {
    installHandlers(this, client, {
      reboot: (reason) => this.reboot(reason),
      configurationChanged: (key) => {
        if (key === 'MeterValueSampleInterval' && this.meterTimer) this.startMeterLoop();
        if (key === 'HeartbeatInterval' && this.heartbeatTimer) this.startHeartbeats();
      },
    });
  }

  private async reboot(reason: string): Promise<void> {
    for (let i = 1; i <= this.connectors.length; i++) {
      if (this.connector(i).tx) await this.stopTransaction(i, reason).catch(() => undefined);
    }
    await this.goOffline();
    this.offline = false;
    await this.reconnect({ boot: true }).catch(() => undefined);
    await this.reportAllStatuses().catch(() => undefined);
  }
}
