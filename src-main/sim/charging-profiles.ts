// The simulated charger's smart charging (OCPP 1.6 §3.13), enough for load balancing to be tested
// against it: profiles are stored per connector and purpose; the same id, or the same purpose and
// stack level on the same connector, replaces one; a TxProfile needs a running transaction and
// ends with it; the limit in force is min(ChargePointMax, TxProfile else TxDefault), each the
// highest stack level of its purpose IN FORCE NOW, a connector's own TxDefault before connector
// 0's. A profile is in force within its validFrom/validTo and its schedule's duration; its limit
// is that of the schedule period reached (Absolute from startSchedule, Relative from the start of
// the transaction, Recurring daily or weekly from startSchedule); where the highest stack level
// has nothing in force the next one down applies (§3.13.2). A ChargePointMax counts per connector
// here (a simplification). Limits in W are per each period's numberPhases. It can refuse profiles
// as some real chargers do: all of them, or any limit of 0.

type Json = Record<string, unknown>;

export interface InstalledProfile {
  id: number;
  connectorId: number;
  purpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  stackLevel: number;
  /** The first period's limit (A per phase). */
  limitA: number;
  transactionId: number | null;
  kind: 'Absolute' | 'Relative' | 'Recurring';
  recurrency: 'Daily' | 'Weekly' | null;
  /** ms; Absolute without one starts when installed. */
  startSchedule: number | null;
  durationS: number | null;
  validFrom: number | null;
  validTo: number | null;
  /** Ascending, the first at 0 s. */
  periods: { startS: number; limitA: number }[];
  installedAt: number;
}

/** Every SetChargingProfile received, when, and what it answered (tests check it on the wire). */
export interface ProfileRecord {
  at: number;
  connectorId: number;
  purpose: string;
  limitA: number;
  transactionId: number | null;
  status: 'Accepted' | 'Rejected';
}

export class SimChargingProfiles {
  readonly installed: InstalledProfile[] = [];
  readonly log: ProfileRecord[] = [];
  /** Refuse every profile (a charger without smart charging that still answers). */
  rejectAll = false;
  /** Refuse limits of 0 A / 0 W (common in the field). */
  rejectZero = false;
  /** Called after anything that may change a limit in force (tests check the sums then). */
  onChange: (() => void) | null = null;

  constructor(private readonly opts: { voltage: number; phases: number; now: () => number }) {}

  /**
   * SetChargingProfile (or RemoteStartTransaction's profile). `txOf` gives the transaction
   * running on a connector; `pendingStart` accepts a TxProfile for the transaction about to start.
   */
  set(
    connectorId: number,
    profile: Json,
    txOf: (connectorId: number) => number | null | undefined,
    pendingStart = false,
  ): 'Accepted' | 'Rejected' {
    const purpose = String(profile.chargingProfilePurpose);
    const sched = (profile.chargingSchedule ?? {}) as {
      chargingRateUnit?: string;
      duration?: number;
      startSchedule?: string;
      chargingSchedulePeriod?: { startPeriod?: number; limit: number; numberPhases?: number }[];
    };
    const periods = (sched.chargingSchedulePeriod ?? []).map((p) => ({
      startS: Number(p.startPeriod ?? 0),
      limitA:
        sched.chargingRateUnit === 'W'
          ? p.limit / this.opts.voltage / (p.numberPhases ?? this.opts.phases)
          : p.limit,
    }));
    const limitA = periods[0]?.limitA ?? NaN;
    const kind = String(profile.chargingProfileKind ?? 'Absolute');
    const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : null);
    const startSchedule = time(sched.startSchedule);
    const tx = txOf(connectorId);
    // §5.16 / §7.13: the first period starts at 0, periods ascend, limits are numbers; a
    // Recurring profile needs its start.
    const wellFormed =
      periods[0]?.startS === 0 &&
      periods.every(
        (p, i) =>
          Number.isFinite(p.limitA) && (i === 0 || p.startS > (periods[i - 1]?.startS ?? 0)),
      ) &&
      (kind === 'Absolute' || kind === 'Relative' || kind === 'Recurring') &&
      (kind !== 'Recurring' || (startSchedule !== null && Number.isFinite(startSchedule)));
    const ok =
      !this.rejectAll &&
      wellFormed &&
      !(this.rejectZero && periods.some((p) => p.limitA <= 0)) &&
      (purpose === 'ChargePointMaxProfile'
        ? connectorId === 0
        : purpose === 'TxDefaultProfile' ||
          (purpose === 'TxProfile' && connectorId > 0 && (tx != null || pendingStart)));
    const transactionId =
      typeof profile.transactionId === 'number' ? profile.transactionId : (tx ?? null);
    this.log.push({
      at: this.opts.now(),
      connectorId,
      purpose,
      limitA,
      transactionId,
      status: ok ? 'Accepted' : 'Rejected',
    });
    if (!ok) return 'Rejected';
    const p: InstalledProfile = {
      id: Number(profile.chargingProfileId),
      connectorId,
      purpose: purpose as InstalledProfile['purpose'],
      stackLevel: Number(profile.stackLevel ?? 0),
      limitA,
      transactionId: purpose === 'TxProfile' ? transactionId : null,
      kind: kind as InstalledProfile['kind'],
      recurrency:
        kind === 'Recurring' ? (profile.recurrencyKind === 'Weekly' ? 'Weekly' : 'Daily') : null,
      startSchedule,
      durationS: typeof sched.duration === 'number' ? sched.duration : null,
      validFrom: time(profile.validFrom),
      validTo: time(profile.validTo),
      periods,
      installedAt: this.opts.now(),
    };
    for (let i = this.installed.length - 1; i >= 0; i--) {
      const q = this.installed[i];
      if (
        q &&
        (q.id === p.id ||
          (q.connectorId === p.connectorId &&
            q.purpose === p.purpose &&
            q.stackLevel === p.stackLevel))
      )
        this.installed.splice(i, 1);
    }
    this.installed.push(p);
    this.onChange?.();
    return 'Accepted';
  }

  clear(): boolean {
    const had = this.installed.length > 0;
    this.installed.length = 0;
    this.onChange?.();
    return had;
  }

  /** §3.13.1: a TxProfile is deleted when its transaction ends. */
  transactionEnded(connectorId: number): void {
    for (let i = this.installed.length - 1; i >= 0; i--)
      if (
        this.installed[i]?.purpose === 'TxProfile' &&
        this.installed[i]?.connectorId === connectorId
      )
        this.installed.splice(i, 1);
    this.onChange?.();
  }

  /** The highest stack level of this purpose with a limit in force at `now`. */
  private top(
    connectorId: number,
    purpose: InstalledProfile['purpose'],
    now: number,
    txStartedAt: number | null,
  ): number | null {
    const candidates = this.installed
      .filter((p) => p.connectorId === connectorId && p.purpose === purpose)
      .sort((a, b) => b.stackLevel - a.stackLevel);
    for (const p of candidates) {
      const a = limitAt(p, now, txStartedAt);
      if (a !== null) return a;
    }
    return null;
  }

  /**
   * The limit in force on a connector now, or at `now` if given (A per phase), null =
   * unconstrained. `txStartedAt`: the start of its transaction (Relative schedules count from
   * it; without one, from now).
   */
  limitA(
    connectorId: number,
    charging: boolean,
    txStartedAt: number | null = null,
    now = this.opts.now(),
  ): number | null {
    const top = (c: number, purpose: InstalledProfile['purpose']) =>
      this.top(c, purpose, now, txStartedAt);
    const max = top(0, 'ChargePointMaxProfile');
    const tx =
      (charging ? top(connectorId, 'TxProfile') : null) ??
      top(connectorId, 'TxDefaultProfile') ??
      top(0, 'TxDefaultProfile');
    if (max === null) return tx;
    return tx === null ? max : Math.min(max, tx);
  }
}

const DAY_MS = 86_400_000;

/** A profile's limit at `now` (A per phase), or null when it has nothing in force then. */
export function limitAt(
  p: InstalledProfile,
  now: number,
  txStartedAt: number | null,
): number | null {
  if (p.validFrom !== null && now < p.validFrom) return null;
  if (p.validTo !== null && now >= p.validTo) return null;
  let elapsedMs: number;
  if (p.kind === 'Recurring') {
    const start = p.startSchedule ?? p.installedAt;
    if (now < start) return null;
    const every = p.recurrency === 'Weekly' ? 7 * DAY_MS : DAY_MS;
    elapsedMs = (now - start) % every;
  } else if (p.kind === 'Relative') elapsedMs = now - (txStartedAt ?? now);
  else elapsedMs = now - (p.startSchedule ?? p.installedAt);
  const elapsedS = elapsedMs / 1000;
  if (elapsedS < 0) return null;
  if (p.durationS !== null && elapsedS >= p.durationS) return null;
  let limit: number | null = null;
  for (const period of p.periods) if (period.startS <= elapsedS) limit = period.limitA;
  return limit;
}
