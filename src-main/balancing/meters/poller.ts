// The Modbus meter poller: reads every meter of every site that balances, at the meter's own
// period, on the scheduler's wake-ups (the injected clock), and reports its per-phase amps to the
// measured-load board (measured-load.ts), which the controller allocates from. A meter that has
// not answered within its timeout, or that answers garbage, is reported lost: the controller then
// counts the circuit's assumed load (the static allowance, the worst case) and a
// `balancing.meter-quiet` domain event lets the alarms raise one; `balancing.meter-restored` when
// a good reading comes back. A dropped connection is re-opened with back-off; nothing here throws.
import type { BalancingConfig, ModbusMeterConfig } from '../../../src-shared/balancing/config';
import type { FieldError } from '../../../src-shared/api/result';
import { REGISTER_MAPS, type RegisterMap } from '../../../src-shared/balancing/register-maps';
import type { Seams } from '../../platform/seams';
import { loadConfig } from '../config-store';
import type { MeasuredLoadSink } from '../measured-load';
import { MeterConnection, type MeterRead } from './connection';
import type { PerPhase3 } from './decode';

/** How long one reading may take on the LAN (a healthy meter answers in milliseconds). */
export const READ_TIMEOUT_MS = 2_000;
/** Back-off after failures: the period doubles per failure up to this. */
const MAX_BACKOFF_MS = 60_000;

/** The map a meter is read with: a shipped one, or the installer's (validated on save). */
export function mapOf(cfg: Pick<ModbusMeterConfig, 'model' | 'map'>): RegisterMap | null {
  return cfg.model === 'custom' ? (cfg.map ?? null) : REGISTER_MAPS[cfg.model];
}

interface Meter {
  key: string;
  siteId: number;
  target: string;
  cfg: ModbusMeterConfig;
  conn: MeterConnection;
  /** When polling began (a meter never heard is quiet from here + timeout). */
  since: number;
  lastGoodAt: number | null;
  lastAmps: PerPhase3 | null;
  lastError: string | null;
  failures: number;
  quiet: boolean;
  reading: boolean;
}

export interface MeterStatus {
  target: string;
  lastGoodAt: number | null;
  amps: PerPhase3 | null;
  quiet: boolean;
  lastError: string | null;
}

export function createMeterPoller(
  seams: Pick<Seams, 'db' | 'clock' | 'logger' | 'domainEvents' | 'scheduler'>,
  deps: { sink: MeasuredLoadSink; readTimeoutMs?: number },
) {
  const { db, clock, domainEvents, scheduler } = seams;
  const logger = seams.logger.child({ component: 'meters' });
  const readTimeoutMs = deps.readTimeoutMs ?? READ_TIMEOUT_MS;
  const meters = new Map<string, Meter>();
  let stopped = true;
  const unsubscribe: (() => void)[] = [];

  const pollKey = (m: Meter) => `balancing.meter.${m.key}`;
  const quietKey = (m: Meter) => `balancing.meter-quiet.${m.key}`;
  const timeoutMs = (m: Meter) => m.cfg.timeoutSeconds * 1000;

  function goQuiet(m: Meter, reason: string): void {
    if (m.quiet || meters.get(m.key) !== m) return;
    m.quiet = true;
    const at = clock.now();
    deps.sink.lost(m.siteId, m.target, at);
    logger.warn('meter quiet: the assumed load applies', { target: m.target, reason });
    domainEvents.publish({
      type: 'balancing.meter-quiet',
      siteId: m.siteId,
      target: m.target,
      host: `${m.cfg.host}:${m.cfg.port}`,
      reason,
      at,
    });
  }

  function armQuiet(m: Meter): void {
    const at = (m.lastGoodAt ?? m.since) + timeoutMs(m);
    scheduler.wakeAt(quietKey(m), at, () =>
      goQuiet(m, m.lastError ?? `No reading for ${m.cfg.timeoutSeconds} s.`),
    );
  }

  function settle(m: Meter, r: MeterRead): void {
    const now = clock.now();
    if (r.ok) {
      const wasQuiet = m.quiet;
      m.lastGoodAt = now;
      m.lastAmps = r.amps;
      m.lastError = null;
      m.failures = 0;
      m.quiet = false;
      deps.sink.report(m.siteId, m.target, r.amps, now);
      armQuiet(m);
      if (wasQuiet)
        domainEvents.publish({
          type: 'balancing.meter-restored',
          siteId: m.siteId,
          target: m.target,
          host: `${m.cfg.host}:${m.cfg.port}`,
          at: now,
        });
      return schedule(m, now + m.cfg.pollSeconds * 1000);
    }
    m.failures += 1;
    m.lastError = r.message;
    // Garbage is worse than silence: the last good reading may be as wrong, so it goes now.
    if (r.kind === 'garbage' || now - (m.lastGoodAt ?? m.since) >= timeoutMs(m))
      goQuiet(m, r.message);
    const backoff = Math.min(
      m.cfg.pollSeconds * 1000 * 2 ** Math.min(m.failures - 1, 10),
      Math.max(MAX_BACKOFF_MS, m.cfg.pollSeconds * 1000),
    );
    schedule(m, now + backoff);
  }

  function schedule(m: Meter, at: number): void {
    if (stopped || meters.get(m.key) !== m) return;
    scheduler.wakeAt(pollKey(m), at, () => poll(m));
  }

  async function poll(m: Meter): Promise<void> {
    if (m.reading || meters.get(m.key) !== m) return;
    m.reading = true;
    let r: MeterRead;
    try {
      const map = mapOf(m.cfg);
      r = map
        ? await m.conn.read(map)
        : { ok: false, kind: 'garbage', message: 'The meter has no register map.' };
    } catch (error) {
      logger.error('meter read failed', { target: m.target, error });
      r = { ok: false, kind: 'no-answer', message: 'The meter could not be read.' };
    } finally {
      m.reading = false;
    }
    if (stopped || meters.get(m.key) !== m) return;
    settle(m, r);
  }

  function remove(m: Meter): void {
    meters.delete(m.key);
    scheduler.wakeAt(pollKey(m), null, () => undefined);
    scheduler.wakeAt(quietKey(m), null, () => undefined);
    m.conn.close();
  }

  /** The meters of every site that balances, from the stored models (start, save, restore). */
  function reload(): void {
    if (stopped) return;
    const sites = db.$client
      .prepare('SELECT site_id AS siteId FROM balancing_sites WHERE enabled = 1')
      .all() as { siteId: number }[];
    const wanted = new Map<string, { siteId: number; target: string; cfg: ModbusMeterConfig }>();
    for (const { siteId } of sites)
      for (const s of loadConfig(db, siteId)?.loadSources ?? [])
        if (s.kind === 'modbus' && s.modbus)
          wanted.set(`${siteId}.${s.target}`, { siteId, target: s.target, cfg: s.modbus });
    for (const m of [...meters.values()]) {
      const w = wanted.get(m.key);
      if (!w || JSON.stringify(w.cfg) !== JSON.stringify(m.cfg)) remove(m);
    }
    const now = clock.now();
    for (const [key, w] of wanted) {
      if (meters.has(key)) continue;
      const m: Meter = {
        key,
        ...w,
        conn: new MeterConnection(w.cfg, readTimeoutMs),
        since: now,
        lastGoodAt: null,
        lastAmps: null,
        lastError: null,
        failures: 0,
        quiet: false,
        reading: false,
      };
      meters.set(key, m);
      armQuiet(m);
      void poll(m);
    }
  }

  return {
    start(): void {
      stopped = false;
      unsubscribe.push(domainEvents.subscribe('balancing.model-saved', () => reload()));
      reload();
    },
    stop(): void {
      stopped = true;
      for (const u of unsubscribe.splice(0)) u();
      for (const m of [...meters.values()]) remove(m);
    },
    /** After a live restore: the meters of the restored models. */
    reset(): void {
      for (const m of [...meters.values()]) remove(m);
      reload();
    },
    status(siteId: number): MeterStatus[] {
      return [...meters.values()]
        .filter((m) => m.siteId === siteId)
        .map((m) => ({
          target: m.target,
          lastGoodAt: m.lastGoodAt,
          amps: m.lastAmps,
          quiet: m.quiet,
          lastError: m.lastError,
        }));
    },
  };
}

export type MeterPoller = ReturnType<typeof createMeterPoller>;

/** One reading now, for "Test meter" and the check on save (its own connection, then closed). */
export async function readMeterOnce(
  cfg: Pick<ModbusMeterConfig, 'host' | 'port' | 'unitId' | 'model' | 'map'>,
  readTimeoutMs = READ_TIMEOUT_MS,
): Promise<MeterRead> {
  const map = mapOf(cfg);
  if (!map)
    return { ok: false, kind: 'garbage', message: 'Give the meter its register map first.' };
  const conn = new MeterConnection(cfg, readTimeoutMs);
  try {
    return await conn.read(map);
  } finally {
    conn.close();
  }
}

const sameMeter = (a: ModbusMeterConfig, b: ModbusMeterConfig) =>
  a.host === b.host &&
  a.port === b.port &&
  a.unitId === b.unitId &&
  a.model === b.model &&
  JSON.stringify(a.map ?? null) === JSON.stringify(b.map ?? null);

/**
 * The meters of `config` that are new or moved (address, port, unit id or model changed from
 * `saved`) read once, in parallel; a meter that does not answer, or answers garbage, is a fault
 * on its host field. Unchanged meters are not re-checked: a meter down for a moment must not
 * stop a manager saving another change (the poller raises its own alarm).
 */
export async function checkMeters(
  config: BalancingConfig,
  saved: BalancingConfig | null,
  readTimeoutMs = READ_TIMEOUT_MS,
): Promise<FieldError[]> {
  const before = new Map(
    (saved?.loadSources ?? []).flatMap((s) => (s.modbus ? [[s.target, s.modbus] as const] : [])),
  );
  const checks = config.loadSources.map(async (s, i) => {
    if (s.kind !== 'modbus' || !s.modbus) return null;
    const old = before.get(s.target);
    if (old && sameMeter(old, s.modbus)) return null;
    const r = await readMeterOnce(s.modbus, readTimeoutMs);
    return r.ok ? null : { field: `loadSources.${i}.modbus.host`, message: r.message };
  });
  return (await Promise.all(checks)).filter((e): e is FieldError => e !== null);
}
