// A simulated OCPP 1.6J charge point speaking real OCPP-J over a WebSocket (ocpp-rpc's RPCClient).
// Used by the tests, `npm run simulate` and the demo. It behaves like a well-mannered charger:
// a configuration key store, transactions with a rising Wh register, obeys charging profiles,
// answers every central-system message, queues transaction messages while offline and replays
// them on reconnect (OCPP 1.6 §4.7 / §4.8 "transaction-related messages").
import { RPCClient } from 'ocpp-rpc';
import { compositeSchedule } from './composite-schedule';
import { SimChargingProfiles } from './charging-profiles';
import { toBuildingPhases, type PhaseAmps, type SimCar } from './car';
import { updateFirmware, uploadDiagnostics } from './maintenance';
import { meterValue } from './meter-values';
import type { Rotation } from '../../src-shared/balancing/model';

export interface SimOptions {
  /** ws(s)://host:port/ocpp (the identity is appended). */
  url: string;
  identity: string;
  password?: string;
  /** PEM CA certificate(s) to trust for wss. */
  ca?: string;
  connectors?: number;
  phases?: 1 | 3;
  maxCurrentA?: number;
  voltage?: number;
  vendor?: string;
  model?: string;
  /** Meter sample interval, seconds (MeterValueSampleInterval; the server may change it). */
  meterIntervalSeconds?: number;
  /** Wall clock for timestamps (tests pass their ManualClock). */
  now?: () => number;
  /** Unit for Energy.Active.Import.Register in MeterValues. */
  energyUnit?: 'Wh' | 'kWh';
  callTimeoutMs?: number;
  /** Extra subprotocol list (tests check the server refuses a missing ocpp1.6). */
  protocols?: string[];
  reconnect?: boolean;
  /** Send Heartbeat every HeartbeatInterval (from BootNotification.conf or ChangeConfiguration)
   *  like a real charger, so the server does not mark an idle one offline (default true). */
  heartbeats?: boolean;
  /** The building phases of the charger's L1, L2, L3 as installed (default 'L1-L2-L3'). */
  rotation?: Rotation;
}

interface ConnectorState {
  status: string;
  registerWh: number;
  limitA: number | null;
  tx: SimTransaction | null;
  locked: boolean;
  available: boolean;
  /** The car plugged in (car.ts); null: an ideal car that takes whatever is allowed. */
  car: SimCar | null;
  carryWh: number;
}

export interface SimTransaction {
  connectorId: number;
  idTag: string;
  meterStart: number;
  startedAt: number;
  transactionId: number | null;
  idTagStatus: string | null;
}

type Json = Record<string, unknown>;

export class SimCharger {
  readonly identity: string;
  readonly opts: Required<Omit<SimOptions, 'password' | 'ca' | 'protocols'>> &
    Pick<SimOptions, 'password' | 'ca' | 'protocols'>;
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
  /** Smart charging: profiles in force, every SetChargingProfile received (charging-profiles.ts). */
  readonly smart: SimChargingProfiles;
  private offline = false;
  private queue: (() => Promise<void>)[] = [];
  private meterTimer: NodeJS.Timeout | null = null;
  private meterEvery: number | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** Heartbeats sent by the timer (tests and the console read it). */
  heartbeatsSent = 0;
  private reservation: { id: number; connectorId: number; idTag: string } | null = null;

  constructor(opts: SimOptions) {
    this.identity = opts.identity;
    this.opts = {
      connectors: 1,
      phases: 3,
      maxCurrentA: 32,
      voltage: 230,
      vendor: 'StrataSim',
      model: 'SC-1',
      meterIntervalSeconds: 60,
      now: () => Date.now(),
      energyUnit: 'Wh',
      callTimeoutMs: 10_000,
      reconnect: false,
      heartbeats: true,
      rotation: 'L1-L2-L3',
      ...opts,
    };
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
    const keys: [string, string, boolean][] = [
      ['HeartbeatInterval', '300', false],
      ['MeterValueSampleInterval', String(this.opts.meterIntervalSeconds), false],
      ['MeterValuesSampledData', 'Energy.Active.Import.Register', false],
      ['NumberOfConnectors', String(this.opts.connectors), true],
      ['AuthorizeRemoteTxRequests', 'false', false],
      ['LocalAuthListEnabled', 'true', false],
      ['LocalAuthListMaxLength', '1000', true],
      ['SendLocalListMaxLength', '1000', true],
      ['ChargeProfileMaxStackLevel', '10', true],
      ['ChargingScheduleAllowedChargingRateUnit', 'Current,Power', true],
      [
        'SupportedFeatureProfiles',
        'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
        true,
      ],
    ];
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
    const on = (action: string, f: (p: Json) => Json | Promise<Json>) =>
      client.handle(action, async ({ params: raw }) => {
        const params: Json = raw ?? {};
        this.received.push({ action, params });
        if (this.silent) return new Promise<Json>(() => undefined);
        return f(params);
      });
    const connectorOk = (id: unknown) =>
      typeof id === 'number' && id >= 1 && id <= this.connectors.length;

    on('GetConfiguration', (p) => {
      const wanted = Array.isArray(p.key) ? (p.key as string[]) : null;
      const keys = wanted ?? [...this.config.keys()];
      return {
        configurationKey: keys
          .filter((k) => this.config.has(k))
          .map((key) => ({
            key,
            readonly: this.config.get(key)?.readonly ?? false,
            value: this.config.get(key)?.value ?? '',
          })),
        unknownKey: keys.filter((k) => !this.config.has(k)),
      };
    });
    on('ChangeConfiguration', (p) => {
      const key = String(p.key);
      const entry = this.config.get(key);
      if (!entry) return { status: 'NotSupported' };
      if (entry.readonly) return { status: 'Rejected' };
      if (key === 'HeartbeatInterval' && !(Number(p.value) > 0)) return { status: 'Rejected' };
      this.config.set(key, { value: String(p.value), readonly: false });
      if (key === 'MeterValueSampleInterval' && this.meterTimer) this.startMeterLoop();
      if (key === 'HeartbeatInterval' && this.heartbeatTimer) this.startHeartbeats();
      return { status: 'Accepted' };
    });
    on('Reset', (p) => {
      // Reboot shortly after answering: stop transactions (§5.14), reconnect, boot.
      setTimeout(() => void this.reboot(p.type === 'Hard' ? 'HardReset' : 'SoftReset'), 20);
      return { status: 'Accepted' };
    });
    on('UnlockConnector', (p) => {
      if (!connectorOk(p.connectorId)) return { status: 'NotSupported' };
      this.connector(Number(p.connectorId)).locked = false;
      return { status: 'Unlocked' };
    });
    on('RemoteStartTransaction', (p) => {
      const id =
        typeof p.connectorId === 'number'
          ? p.connectorId
          : this.connectors.findIndex((c) => !c.tx && c.available) + 1;
      if (!connectorOk(id) || this.connector(id).tx || !this.connector(id).available)
        return { status: 'Rejected' };
      if (p.chargingProfile) this.applyProfile(id, p.chargingProfile as Json, true);
      setTimeout(() => void this.startTransaction(id, String(p.idTag)).catch(() => undefined), 10);
      return { status: 'Accepted' };
    });
    on('RemoteStopTransaction', async (p) => {
      const find = () => this.connectors.findIndex((c) => c.tx?.transactionId === p.transactionId);
      let i = find();
      if (i < 0 && this.connectors.some((c) => c.tx && c.tx.transactionId === null)) {
        // A charger reads its frames in order: the StartTransaction answer that arrived just
        // before this call is applied first. Here the answer's continuation is a microtask
        // behind when both frames come in one socket read: let it run, then look again.
        await new Promise((r) => setImmediate(r));
        i = find();
      }
      if (i < 0) return { status: 'Rejected' };
      setTimeout(() => void this.stopTransaction(i + 1, 'Remote').catch(() => undefined), 10);
      return { status: 'Accepted' };
    });
    on('ChangeAvailability', (p) => {
      const id = Number(p.connectorId);
      const targets =
        id === 0
          ? this.connectors
          : [this.connectors[id - 1]].filter((c): c is ConnectorState => !!c);
      if (targets.length === 0) return { status: 'Rejected' };
      const busy = targets.some((c) => c.tx);
      for (const c of targets) c.available = p.type === 'Operative';
      if (!busy) {
        setTimeout(() => {
          targets.forEach(
            (c, i) =>
              void this.statusNotification(
                id === 0 ? i + 1 : id,
                p.type === 'Operative' ? 'Available' : 'Unavailable',
              ).catch(() => undefined),
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
          later(() => this.boot());
          break;
        case 'Heartbeat':
          later(() => this.heartbeat());
          break;
        case 'StatusNotification':
          later(async () =>
            cid
              ? this.statusNotification(cid, this.connector(cid).status)
              : this.reportAllStatuses(),
          );
          break;
        case 'MeterValues':
          later(() => this.meterValues(cid ?? 1));
          break;
        case 'DiagnosticsStatusNotification':
          later(() => this.send('DiagnosticsStatusNotification', { status: 'Idle' }));
          break;
        case 'FirmwareStatusNotification':
          later(() => this.send('FirmwareStatusNotification', { status: 'Idle' }));
          break;
        default:
          return { status: 'NotImplemented' };
      }
      return { status: 'Accepted' };
    });
    on('GetDiagnostics', (p) => {
      const fileName = `diag-${this.identity}.log`;
      const send = (action: string, q: Json) => this.send(action, q);
      setTimeout(
        () => void uploadDiagnostics(send, this.diagnosticsText(), String(p.location), fileName),
        10,
      );
      return { fileName };
    });
    on('UpdateFirmware', (p) => {
      const send = (action: string, q: Json) => this.send(action, q);
      setTimeout(() => void updateFirmware(send, this.firmwareStatuses, String(p.location)), 10);
      return {};
    });
    on('GetLocalListVersion', () => ({ listVersion: this.localList.version }));
    on('SendLocalList', (p) => {
      const entries = (p.localAuthorizationList as Json[] | undefined) ?? [];
      // §5.15 / §9.1: more entries in one message, or in the list, than the charger takes.
      const most = (key: string) => Number(this.config.get(key)?.value ?? Infinity);
      if (entries.length > most('SendLocalListMaxLength')) return { status: 'Failed' };
      if (p.updateType === 'Full') {
        if (entries.length > most('LocalAuthListMaxLength')) return { status: 'Failed' };
        this.localList = { version: Number(p.listVersion), entries };
      } else {
        // §5.15: a differential not newer than the list held is refused; an entry without
        // idTagInfo removes its idTag, one with it adds or replaces it.
        if (Number(p.listVersion) <= this.localList.version) return { status: 'VersionMismatch' };
        const byTag = new Map(
          this.localList.entries.map((e) => [(e as { idTag: string }).idTag, e]),
        );
        for (const e of entries as { idTag: string; idTagInfo?: Json }[]) {
          if (e.idTagInfo) byTag.set(e.idTag, e);
          else byTag.delete(e.idTag);
        }
        if (byTag.size > most('LocalAuthListMaxLength')) return { status: 'Failed' };
        this.localList = { version: Number(p.listVersion), entries: [...byTag.values()] };
      }
      return { status: 'Accepted' };
    });
    on('ReserveNow', (p) => {
      const id = Number(p.connectorId);
      if (id !== 0 && !connectorOk(id)) return { status: 'Rejected' };
      if (id > 0 && this.connector(id).tx) return { status: 'Occupied' };
      this.reservation = { id: Number(p.reservationId), connectorId: id, idTag: String(p.idTag) };
      return { status: 'Accepted' };
    });
    on('CancelReservation', (p) => {
      if (this.reservation?.id !== p.reservationId) return { status: 'Rejected' };
      this.reservation = null;
      return { status: 'Accepted' };
    });
    on('SetChargingProfile', (p) => {
      const id = Number(p.connectorId);
      if (id !== 0 && !connectorOk(id)) return { status: 'Rejected' };
      return { status: this.applyProfile(id, p.csChargingProfiles as Json) };
    });
    on('ClearChargingProfile', () => {
      const had = this.profiles.length > 0;
      this.profiles.length = 0;
      this.smart.clear();
      return { status: had ? 'Accepted' : 'Unknown' };
    });
    on('GetCompositeSchedule', (p) => {
      const id = Number(p.connectorId);
      if (id !== 0 && !connectorOk(id)) return { status: 'Rejected' };
      const tx = id > 0 ? this.connector(id).tx : null;
      const from = this.opts.now();
      return {
        status: 'Accepted',
        connectorId: id,
        scheduleStart: this.iso(from),
        chargingSchedule: compositeSchedule(this.smart, {
          connectorId: id,
          charging: tx !== null,
          txStartedAt: tx?.startedAt ?? null,
          from,
          durationS: Number(p.duration),
          unit: p.chargingRateUnit === 'W' ? 'W' : 'A',
          maxCurrentA: this.opts.maxCurrentA,
          voltage: this.opts.voltage,
          phases: this.opts.phases,
        }),
      };
    });
  }

  /** OCPP 1.6 smart charging as charging-profiles.ts models it. */
  private applyProfile(
    connectorId: number,
    profile: Json,
    pendingStart = false,
  ): 'Accepted' | 'Rejected' {
    this.profiles.push({ connectorId, profile });
    // A transaction whose StartTransaction answer is still being read counts as running.
    const txOf = (n: number) => {
      if (n < 1 || n > this.connectors.length) return null;
      const tx = this.connector(n).tx;
      if (!tx) return null;
      return (
        tx.transactionId ?? (typeof profile.transactionId === 'number' ? profile.transactionId : 0)
      );
    };
    return this.smart.set(connectorId, profile, txOf, pendingStart);
  }

  private diagnosticsText(): string {
    return `diagnostics of ${this.identity}\nconnectors: ${this.connectors.length}\n`;
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
