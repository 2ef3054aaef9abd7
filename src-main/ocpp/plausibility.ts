// Plausibility of what a charger's meter reports (issue 7 #3). Readings are never changed or
// dropped (invoices trace back to them): an impossible or implausible one flags its transaction
// for the operator's review, with a reason in words.

/**
 * The largest register value taken as real, Wh: 10 GWh is a 22 kW charger running flat out
 * for 50 years. Above it (1e20, 1e308) the number is a fault, not a meter.
 */
export const MAX_REGISTER_WH = 10_000_000_000;
/** Nominal line-to-neutral voltage (AS/NZS 60038: 230 V). */
export const NOMINAL_VOLTAGE = 230;
/** Head-room over the rating: voltage up to +10 %, meter class, rounding of the rating. */
const RATING_MARGIN = 1.25;
/** Slack for timestamps a few seconds apart and registers read before/after a last sample. */
const SLACK_WH = 500;

export interface Rating {
  /** Rated current per phase, A (the connector's own, else the station's). */
  maxCurrentA: number;
  phases: number;
}

const wh = (n: number) => `${Math.round(n).toLocaleString('en-AU')} Wh`;

/** Why `value` cannot be a meter register reading, or null when it can. */
export function registerProblem(what: string, value: number | null | undefined): string | null {
  if (value == null) return null;
  if (!Number.isFinite(value)) return `${what} is not a number`;
  if (value < 0) return `${what} is negative (${wh(value)})`;
  if (value > MAX_REGISTER_WH)
    return `${what} (${value.toExponential(3)} Wh) is beyond any real meter (over 10 GWh)`;
  return null;
}

/** The most energy a connector of this rating can deliver in `elapsedMs`, with margin. */
export function maxEnergyWh(rating: Rating, elapsedMs: number): number {
  const hours = Math.max(0, elapsedMs) / 3_600_000;
  return rating.maxCurrentA * NOMINAL_VOLTAGE * rating.phases * hours * RATING_MARGIN + SLACK_WH;
}

/**
 * Why the energy between two register readings is impossible (the meter went backwards) or
 * implausible (more than the connector's rating allows in the time between them), or null.
 */
export function energyProblem(
  fromWh: number,
  toWh: number,
  elapsedMs: number,
  rating: Rating | null,
  what: { from: string; to: string },
): string | null {
  if (!Number.isFinite(fromWh) || !Number.isFinite(toWh)) return null;
  if (toWh < fromWh)
    return `the meter went backwards: ${what.to} (${wh(toWh)}) is below ${what.from} (${wh(fromWh)}), ${wh(toWh - fromWh)}`;
  if (!rating) return null;
  const max = maxEnergyWh(rating, elapsedMs);
  if (toWh - fromWh > max) {
    const minutes = Math.round(Math.max(0, elapsedMs) / 60_000);
    return `${wh(toWh - fromWh)} in ${minutes} min is more than this connector can deliver (${rating.maxCurrentA} A × ${rating.phases} phase${rating.phases === 1 ? '' : 's'} allows about ${wh(max)})`;
  }
  return null;
}

/** A reason's condition: its words without the figures ("# Wh in # min is more than…"). */
const condition = (reason: string) => reason.replace(/-?\d[\d,]*(\.\d+)?(e[+-]?\d+)?/gi, '#');

/**
 * A flag reason with another one added, each condition said once: a register past the rating
 * stays past it on every later sample with new figures, and the first words stay (the flag,
 * and its alarm, are raised once, not on every MeterValues).
 */
export function addReason(existing: string | null | undefined, reason: string): string {
  if (!existing) return reason;
  const seen = condition(reason);
  if (existing.split('; ').some((r) => condition(r) === seen)) return existing;
  return `${existing}; ${reason}`;
}

/** Before this, a charger's timestamp is an unset clock (1970, 2000), not a session. */
const EARLIEST = Date.UTC(2010, 0, 1);
/** Clocks drift, and chargers far from NTP more: beyond a day ahead is a wrong clock. */
const FUTURE_SLACK_MS = 86_400_000;

/** Why a charger's timestamp cannot be when something happened, or null. */
export function timeProblem(what: string, at: number, now: number): string | null {
  if (at < EARLIEST)
    return `${what} (${new Date(at).toISOString()}) is before 2010: the charger's clock is not set`;
  if (at > now + FUTURE_SLACK_MS)
    return `${what} (${new Date(at).toISOString()}) is more than a day ahead of this server's clock`;
  return null;
}
