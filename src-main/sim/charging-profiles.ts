// The simulated charger's smart charging (OCPP 1.6 §3.13), enough for load balancing to be tested
// against it: profiles are stored per connector and purpose; the same id, or the same purpose and
// stack level on the same connector, replaces one; a TxProfile needs a running transaction and
// ends with it; the limit in force is min(ChargePointMax, TxProfile else TxDefault), each the
// highest stack level of its purpose, a connector's own TxDefault before connector 0's. A
// ChargePointMax counts per connector here (a simplification). Limits in W are per the profile's
// numberPhases. Full composite schedules (periods over time, validity) are a later part.
// It can refuse profiles as some real chargers do: all of them, or any limit of 0.

type Json = Record<string, unknown>;

export interface InstalledProfile {
  id: number;
  connectorId: number;
  purpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  stackLevel: number;
  limitA: number;
  transactionId: number | null;
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
    const sched = profile.chargingSchedule as {
      chargingRateUnit?: string;
      chargingSchedulePeriod?: { limit: number; numberPhases?: number }[];
    };
    const first = sched.chargingSchedulePeriod?.[0];
    const phases = first?.numberPhases ?? this.opts.phases;
    const limitA = !first
      ? NaN
      : sched.chargingRateUnit === 'W'
        ? first.limit / this.opts.voltage / phases
        : first.limit;
    const tx = txOf(connectorId);
    const ok =
      !this.rejectAll &&
      Number.isFinite(limitA) &&
      !(this.rejectZero && limitA <= 0) &&
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

  private top(connectorId: number, purpose: InstalledProfile['purpose']): number | null {
    let best: InstalledProfile | null = null;
    for (const p of this.installed)
      if (p.connectorId === connectorId && p.purpose === purpose)
        if (!best || p.stackLevel > best.stackLevel) best = p;
    return best ? best.limitA : null;
  }

  /** The limit in force on a connector (A per phase), null = unconstrained. */
  limitA(connectorId: number, charging: boolean): number | null {
    const max = this.top(0, 'ChargePointMaxProfile');
    const tx =
      (charging ? this.top(connectorId, 'TxProfile') : null) ??
      this.top(connectorId, 'TxDefaultProfile') ??
      this.top(0, 'TxDefaultProfile');
    if (max === null) return tx;
    return tx === null ? max : Math.min(max, tx);
  }
}
