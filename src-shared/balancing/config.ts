// A site's load-balancing configuration as the API and the model editor hold it: the electrical
// model (model.ts) with stations named by their database id, plus what the allocation does not
// need to know about: where measured loads come from, and priorities and caps per account.
// Validation (validateConfig) is the model's (validate.ts) plus the checks that need the site's
// stations and accounts; the core runs it on save, the editor as the user types.
import type { FieldError } from '../api/result';
import {
  PRIORITIES,
  type BalancingPolicy,
  type Circuit,
  type ElectricalModel,
  type Priority,
  type Rotation,
  type Supply,
  type Wiring,
} from './model';
import { validateModel } from './validate';
import { REGISTER_MAPS, validateRegisterMap, type RegisterMap } from './register-maps';

/** A station on a circuit. Its maximum current is the station's own (the stations page). */
export interface StationWiringInput {
  stationId: number;
  circuitId: string;
  wiring: Wiring;
  rotation: Rotation;
  priority: Priority;
  capA: number | null;
}

/** Register maps shipped for common DIN-rail meters, or 'custom': the installer's own `map`. */
export const METER_MODELS = ['eastron-sdm630', 'carlo-gavazzi-em24', 'custom'] as const;
export type MeterModel = (typeof METER_MODELS)[number];

export interface ModbusMeterConfig {
  host: string;
  port: number;
  unitId: number;
  model: MeterModel;
  /** For 'custom': the installer's register map (register-maps.ts); null otherwise. */
  map?: RegisterMap | null;
  pollSeconds: number;
  /** Silent longer than this: the worst case (the assumed load) applies and an alarm is raised. */
  timeoutSeconds: number;
}

/**
 * The rest of the building's draw on the supply or a circuit: a value typed in (A per phase), or
 * a Modbus TCP meter (read by the meter poller, a separate part).
 */
export interface LoadSource {
  /** 'supply' or a circuit id. */
  target: string;
  kind: 'typed' | 'modbus';
  /** For 'typed': amps on L1, L2, L3. */
  typedA: number[] | null;
  modbus: ModbusMeterConfig | null;
}

export interface AccountPolicy {
  accountId: number;
  priority: Priority;
  capA: number | null;
}

export interface BalancingConfig {
  /** Off: nothing is sent to the chargers (the model can be prepared first). */
  enabled: boolean;
  supply: Supply;
  circuits: Circuit[];
  stations: StationWiringInput[];
  policy: BalancingPolicy;
  loadSources: LoadSource[];
  accountPolicies: AccountPolicy[];
  /**
   * The site's own register maps (meters not shipped in register-maps.ts), named by their label
   * and selectable for any meter of the site. Optional for callers that predate it: a custom map
   * sent inline with a meter joins the site's maps on save (resolveCustomMaps).
   */
  registerMaps?: RegisterMap[];
}

/**
 * The site's maps are the truth for custom meters: a meter whose map's label names one of them
 * reads with that map; an inline map with a new label joins the list. Run after validation.
 */
export function resolveCustomMaps(config: BalancingConfig): BalancingConfig {
  const maps = [...(config.registerMaps ?? [])];
  const byLabel = new Map(maps.map((m) => [m.label.trim(), m]));
  const loadSources = config.loadSources.map((l) => {
    const m = l.modbus;
    if (!m || m.model !== 'custom' || !m.map) return l;
    const label = m.map.label.trim();
    let map = byLabel.get(label);
    if (!map) {
      map = { ...m.map, label };
      byLabel.set(label, map);
      maps.push(map);
    }
    return { ...l, modbus: { ...m, map } };
  });
  return { ...config, loadSources, registerMaps: maps };
}

/** What of the site the validation needs: its stations (name, rating) and accounts. */
export interface SiteFacts {
  stations: ReadonlyMap<number, { name: string; maxCurrentA: number }>;
  accounts: ReadonlyMap<number, { name: string }>;
}

/** The electrical model the allocator uses (station ids as strings, ratings from the stations). */
export function toModel(config: BalancingConfig, site: SiteFacts): ElectricalModel {
  return {
    supply: config.supply,
    circuits: config.circuits,
    stations: config.stations.map((s) => {
      const st = site.stations.get(s.stationId);
      return {
        stationId: String(s.stationId),
        name: st?.name,
        circuitId: s.circuitId,
        wiring: s.wiring,
        rotation: s.rotation,
        maxCurrentA: st?.maxCurrentA ?? 0,
        priority: s.priority,
        capA: s.capA,
      };
    }),
    policy: config.policy,
  };
}

/** The site's own maps: each valid, each label given, unique and not a shipped meter's. */
function validateSiteMaps(config: BalancingConfig): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const shipped = new Set<string>(Object.values(REGISTER_MAPS).map((m) => m.label.toLowerCase()));
  (config.registerMaps ?? []).forEach((map, i) => {
    const at = `registerMaps.${i}`;
    const label = map.label.trim();
    const where = label ? `“${label}”` : `register map ${i + 1}`;
    if (!label)
      errors.push({ field: `${at}.label`, message: `Register map ${i + 1} needs a name.` });
    else if (shipped.has(label.toLowerCase()))
      errors.push({
        field: `${at}.label`,
        message: `Register map “${label}” has the name of a shipped meter; choose that meter instead, or another name.`,
      });
    else if (seen.has(label.toLowerCase()))
      errors.push({
        field: `${at}.label`,
        message: `Two register maps are called “${label}”; each needs its own name.`,
      });
    seen.add(label.toLowerCase());
    errors.push(...validateRegisterMap(map, at, `Register map ${where}`));
  });
  return errors;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

export function validateConfig(config: BalancingConfig, site: SiteFacts): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  config.stations.forEach((s, i) => {
    if (!site.stations.has(s.stationId))
      err(`stations.${i}.stationId`, `Station ${i + 1} is not a station of this site.`);
  });
  const circuitName = new Map(config.circuits.map((c) => [c.id, c.name.trim() || c.id]));
  const targets = new Set<string>();
  const siteMapLabels = new Set((config.registerMaps ?? []).map((m) => m.label.trim()));
  config.loadSources.forEach((l, i) => {
    const at = `loadSources.${i}`;
    const where =
      l.target === 'supply' ? 'the supply' : `circuit “${circuitName.get(l.target) ?? l.target}”`;
    if (l.target !== 'supply' && !circuitName.has(l.target))
      err(`${at}.target`, `Measured load ${i + 1} is on a circuit that does not exist.`);
    else if (targets.has(l.target))
      err(`${at}.target`, `Two measured loads are on ${where}; keep one.`);
    targets.add(l.target);
    if (l.kind === 'typed') {
      const a = l.typedA;
      if (!a || a.length !== 3 || !a.every((v) => finite(v) && v >= 0 && v <= 10_000))
        err(
          `${at}.typedA`,
          `The measured load on ${where} must be three amounts of 0 A or more (L1, L2, L3).`,
        );
    } else {
      const m = l.modbus;
      if (!m) {
        err(`${at}.modbus`, `The meter on ${where} needs its address.`);
        return;
      }
      if (!HOST.test(m.host))
        err(`${at}.modbus.host`, `The meter address on ${where} must be an IP address or name.`);
      if (!Number.isInteger(m.port) || m.port < 1 || m.port > 65_535)
        err(`${at}.modbus.port`, `The meter port on ${where} must be between 1 and 65535.`);
      if (!Number.isInteger(m.unitId) || m.unitId < 0 || m.unitId > 247)
        err(`${at}.modbus.unitId`, `The meter unit id on ${where} must be between 0 and 247.`);
      if (m.model === 'custom') {
        if (!m.map) err(`${at}.modbus.map`, `The meter on ${where} needs its register map.`);
        // A map of the site's list is checked there (once, on its own fields).
        else if (!siteMapLabels.has(m.map.label.trim()))
          errors.push(...validateRegisterMap(m.map, `${at}.modbus.map`, `Meter map on ${where}`));
      }
      if (!finite(m.pollSeconds) || m.pollSeconds < 1 || m.pollSeconds > 300)
        err(`${at}.modbus.pollSeconds`, `The meter on ${where} is read every 1 to 300 seconds.`);
      if (!finite(m.timeoutSeconds) || m.timeoutSeconds < m.pollSeconds * 2)
        err(
          `${at}.modbus.timeoutSeconds`,
          `The meter timeout on ${where} must be at least two readings (${(m.pollSeconds || 1) * 2} seconds).`,
        );
    }
  });
  errors.push(...validateSiteMaps(config));
  const accounts = new Set<number>();
  config.accountPolicies.forEach((p, i) => {
    const at = `accountPolicies.${i}`;
    const account = site.accounts.get(p.accountId);
    if (!account) {
      err(`${at}.accountId`, `Account ${i + 1} is not an account of this site.`);
      return;
    }
    if (accounts.has(p.accountId))
      err(`${at}.accountId`, `Account “${account.name}” is listed twice.`);
    accounts.add(p.accountId);
    if (!(PRIORITIES as readonly string[]).includes(p.priority))
      err(`${at}.priority`, `Account “${account.name}”: the priority is high, normal or low.`);
    if (p.capA !== null && (!finite(p.capA) || p.capA < config.policy.minCurrentA))
      err(
        `${at}.capA`,
        `Account “${account.name}”: a cap must be at least the minimum charging current (${config.policy.minCurrentA} A), or none.`,
      );
  });
  // The model's own rules, with its station fields mapped back to this config's.
  return [...errors, ...validateModel(toModel(config, site))];
}
