// The simulated charger's options, defaults, state types and configuration keys (split from
// charger.ts).
import type { Rotation } from '../../src-shared/balancing/model';
import type { SimCar } from './car';

export type Json = Record<string, unknown>;

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

export interface ConnectorState {
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

export type ResolvedSimOptions = Required<Omit<SimOptions, 'password' | 'ca' | 'protocols'>> &
  Pick<SimOptions, 'password' | 'ca' | 'protocols'>;

export function withDefaults(opts: SimOptions): ResolvedSimOptions {
  return {
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
}

/** The configuration keys a charger starts with: [key, value, read-only]. */
export function defaultConfiguration(opts: ResolvedSimOptions): [string, string, boolean][] {
  return [
    ['HeartbeatInterval', '300', false],
    ['MeterValueSampleInterval', String(opts.meterIntervalSeconds), false],
    ['MeterValuesSampledData', 'Energy.Active.Import.Register', false],
    ['NumberOfConnectors', String(opts.connectors), true],
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
}
