// What one device on the building LAN may cost the OCPP server. The port listens on 0.0.0.0, so a
// hostile (or broken) device must not be able to slow other chargers or the admin UI, fill the
// disk, or crash the service. Every value here is in docs/security.md; `OcppLimits` lets a
// deployment (and the benchmark) change them.

export interface OcppLimits {
  /** Frames above this are refused by ws (close 1009). */
  maxFrameBytes: number;
  /** JSON nesting allowed in a frame: the deepest OCPP 1.6 message (MeterValues) needs 6. */
  maxDepth: number;
  /** OCPP-J 1.6 §4.1.3: a message id is at most 36 characters (a GUID). */
  maxMessageIdLength: number;
  /** Per charger identity: sustained inbound frames per second, and the burst allowed. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Per charger identity: sustained inbound bytes per second, and the burst allowed. */
  bytesPerSecond: number;
  byteBurst: number;
  /** Per charger identity: meter readings (MeterValue elements) stored per second, and burst. */
  samplesPerSecond: number;
  sampleBurst: number;
  /** MeterValue elements in one MeterValues (more is refused: no charger sends that many). */
  maxMeterValuesPerMessage: number;
  /** sampledValue entries in one MeterValue element (more is refused). */
  maxSampledValuesPerElement: number;
  /** MeterValue elements kept from one StopTransaction's transactionData (the rest dropped). */
  maxTransactionData: number;
  /** After a charger is disconnected for flooding, its reconnections are refused this long. */
  abuseCooldownMs: number;
  /** Refused handshakes per source address: sustained per minute, and the burst allowed. */
  addressFailuresPerMinute: number;
  addressFailureBurst: number;
  /** Wrong passwords per charger identity: sustained per minute, and the burst allowed. */
  identityFailuresPerMinute: number;
  identityFailureBurst: number;
  /** Password hashes (scrypt, ~50-100 ms each in the thread pool) running at once, and waiting. */
  maxConcurrentHashes: number;
  maxQueuedHashes: number;
  /** Open connections (TCP) per source address on the OCPP port(s): generous for NAT. */
  maxConnectionsPerAddress: number;
  /** A connection that has not sent its whole HTTP request head (or upgrade) in this long. */
  handshakeTimeoutMs: number;
  /** A socket silent this long before its upgrade, or between file requests, is closed. */
  idleTimeoutMs: number;
}

export const DEFAULT_LIMITS: OcppLimits = {
  maxFrameBytes: 1024 * 1024,
  maxDepth: 16,
  maxMessageIdLength: 36,
  messagesPerSecond: 50,
  messageBurst: 500,
  bytesPerSecond: 64 * 1024,
  byteBurst: 4 * 1024 * 1024,
  samplesPerSecond: 50,
  sampleBurst: 5_000,
  maxMeterValuesPerMessage: 100,
  maxSampledValuesPerElement: 200,
  maxTransactionData: 5_000,
  abuseCooldownMs: 60_000,
  addressFailuresPerMinute: 10,
  addressFailureBurst: 20,
  identityFailuresPerMinute: 2,
  identityFailureBurst: 10,
  maxConcurrentHashes: 2,
  maxQueuedHashes: 32,
  maxConnectionsPerAddress: 256,
  handshakeTimeoutMs: 10_000,
  // Under Node's 30 s headers-timeout sweep, which re-arms idle timers (http/connection-limits.ts).
  idleTimeoutMs: 25_000,
};

/** A token bucket on the injected clock (tests drive it with a ManualClock). */
export class TokenBucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }
  /** Takes `n` tokens; false (nothing taken) when the bucket does not hold them. */
  take(n: number, now: number): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
  /** Gives back `n` tokens taken for something that turned out fine (never above the burst). */
  put(n: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.burst, this.tokens + n);
  }
  /** Whether `n` tokens are there (nothing taken). */
  has(n: number, now: number): boolean {
    this.refill(now);
    return this.tokens >= n;
  }
  /** Refilled completely: nothing was taken recently (the entry can be forgotten). */
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }
  private refill(now: number) {
    if (now > this.at) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
      this.at = now;
    }
  }
}

/**
 * Frames shorter than this are not scanned for nesting: they cannot nest deeper than 512 levels,
 * which JSON.parse, the validator and structuredClone handle; the scan (~0.5 µs for a 250-byte
 * MeterValues, about half a JSON.parse) is kept off the frames every charger sends.
 */
export const DEPTH_SCAN_FROM_CHARS = 1024;

/**
 * Whether a JSON text nests deeper than `max` (strings skipped), in one pass over its characters
 * and without parsing: a 5,000- or 400,000-level frame is refused before JSON.parse and the schema
 * validator (which recurses: "Maximum call stack size exceeded") ever see it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/** The message id of a CALL frame's text, without parsing it (null: not a CALL's shape). */
export function callIdOf(text: string): string | null {
  const m = /^\s*\[\s*2\s*,\s*"((?:[^"\\]|\\.)*)"/.exec(text.slice(0, 4096));
  if (!m?.[1]) return null;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return null;
  }
}

/** Per charger identity, across its connections (a reconnection does not refill them). */
export class ChargerBudget {
  readonly messages: TokenBucket;
  readonly bytes: TokenBucket;
  readonly samples: TokenBucket;
  constructor(l: OcppLimits, now: number) {
    this.messages = new TokenBucket(l.messagesPerSecond, l.messageBurst, now);
    this.bytes = new TokenBucket(l.bytesPerSecond, l.byteBurst, now);
    this.samples = new TokenBucket(l.samplesPerSecond, l.sampleBurst, now);
  }
}

/**
 * Meter readings in a validated MeterValues / StopTransaction payload, bounded per message:
 * returns an error text for a MeterValues that no charger sends (refused), truncates a
 * StopTransaction's transactionData (the stop itself is money and must be kept) and returns the
 * number of readings to be stored.
 */
export function boundSamples(
  action: string,
  payload: Record<string, unknown>,
  l: OcppLimits,
): { refused: string } | { samples: number; truncatedFrom: number | null } {
  if (action === 'MeterValues') {
    const mv = payload.meterValue;
    if (!Array.isArray(mv)) return { samples: 0, truncatedFrom: null };
    if (mv.length > l.maxMeterValuesPerMessage)
      return {
        refused: `meterValue has ${mv.length} elements (at most ${l.maxMeterValuesPerMessage})`,
      };
    for (const e of mv as { sampledValue?: unknown }[]) {
      const n = Array.isArray(e.sampledValue) ? e.sampledValue.length : 0;
      if (n > l.maxSampledValuesPerElement)
        return {
          refused: `a meterValue has ${n} sampledValue entries (at most ${l.maxSampledValuesPerElement})`,
        };
    }
    return { samples: mv.length, truncatedFrom: null };
  }
  if (action === 'StopTransaction') {
    const td = payload.transactionData;
    if (!Array.isArray(td)) return { samples: 0, truncatedFrom: null };
    let truncatedFrom: number | null = null;
    if (td.length > l.maxTransactionData) {
      truncatedFrom = td.length;
      payload.transactionData = td.slice(0, l.maxTransactionData);
    }
    for (const e of payload.transactionData as { sampledValue?: unknown }[]) {
      if (Array.isArray(e.sampledValue) && e.sampledValue.length > l.maxSampledValuesPerElement)
        e.sampledValue = e.sampledValue.slice(0, l.maxSampledValuesPerElement);
    }
    return { samples: Math.min(td.length, l.maxTransactionData), truncatedFrom };
  }
  return { samples: 0, truncatedFrom: null };
}
