// Validation of an electrical model, in words a strata manager or an installer understands, every
// fault at once (one round trip per mistake otherwise). Nothing is saved while any remains.
import type { FieldError } from '../api/result';
import {
  PHASES,
  PRIORITIES,
  ROTATIONS,
  WIRINGS,
  stationPhases,
  supplyPhases,
  supplyUsableA,
  type ElectricalModel,
  type Phase,
} from './model';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function validateModel(model: ElectricalModel): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  const { supply, policy } = model;

  const num = (field: string, v: unknown, label: string, min: number, max: number) => {
    if (!finite(v)) err(field, `${label} must be a number.`);
    else if (v < min || v > max) err(field, `${label} must be between ${min} and ${max}.`);
  };
  num('supply.phaseLimitA', supply.phaseLimitA, 'The supply limit per phase (A)', 1, 10_000);
  num('supply.nominalVoltageV', supply.nominalVoltageV, 'The nominal voltage (V)', 100, 1_000);
  if (supply.phases !== 1 && supply.phases !== 3)
    err('supply.phases', 'The supply has 1 or 3 phases.');
  num('supply.usablePercent', supply.usablePercent, 'The share of the supply usable (%)', 1, 100);
  num('supply.reserveA', supply.reserveA, 'The reserve (A)', 0, 10_000);
  num(
    'supply.assumedOtherLoadA',
    supply.assumedOtherLoadA,
    'The assumed building load (A)',
    0,
    10_000,
  );
  if (errors.length === 0 && supplyUsableA(supply) - supply.assumedOtherLoadA < 0)
    err(
      'supply.reserveA',
      `The reserve and the assumed building load leave nothing for the chargers: ${supply.usablePercent} % of ${supply.phaseLimitA} A is ${((supply.phaseLimitA * supply.usablePercent) / 100).toFixed(1)} A per phase.`,
    );

  num('policy.minCurrentA', policy.minCurrentA, 'The minimum charging current (A)', 6, 80);
  num(
    'policy.rotationPeriodS',
    policy.rotationPeriodS,
    'The rotation period (seconds)',
    60,
    86_400,
  );
  num('policy.hysteresisA', policy.hysteresisA, 'The hysteresis (A)', 0, 10);
  num('policy.drawMarginA', policy.drawMarginA, 'The margin above a car’s draw (A)', 0.5, 16);

  // Circuits: ids unique, parents exist, no loops, each within its parent (limit and phases).
  const byId = new Map<string, (typeof model.circuits)[number]>();
  model.circuits.forEach((c, i) => {
    const at = `circuits.${i}`;
    if (!c.id) err(`${at}.id`, `Circuit ${i + 1} needs an identifier.`);
    else if (byId.has(c.id))
      err(`${at}.id`, `Two circuits are called “${c.id}”; each needs its own.`);
    else byId.set(c.id, c);
    if (!c.name.trim()) err(`${at}.name`, `Circuit ${i + 1} needs a name.`);
  });
  const label = (c: { name: string; id: string }) => `“${c.name.trim() || c.id}”`;
  const limitOf = (parentId: string | null): number | undefined =>
    parentId === null ? supply.phaseLimitA : byId.get(parentId)?.limitA;
  const phasesOf = (parentId: string | null): Phase[] | undefined =>
    parentId === null ? supplyPhases(supply) : byId.get(parentId)?.phases;
  const parentLabel = (parentId: string | null) => {
    const parent = parentId === null ? undefined : byId.get(parentId);
    return parent ? `circuit ${label(parent)}` : 'the supply';
  };

  model.circuits.forEach((c, i) => {
    const at = `circuits.${i}`;
    if (c.parentId !== null && !byId.has(c.parentId)) {
      err(`${at}.parentId`, `Circuit ${label(c)} is fed from a circuit that does not exist.`);
      return;
    }
    // Follow the parents up: a loop means the tree is not a tree.
    const seen = new Set<string>([c.id]);
    for (let p = c.parentId; p !== null; p = byId.get(p)?.parentId ?? null) {
      if (seen.has(p)) {
        err(`${at}.parentId`, `Circuit ${label(c)} is fed (through others) from itself.`);
        return;
      }
      seen.add(p);
    }
    if (!finite(c.limitA) || c.limitA <= 0)
      err(`${at}.limitA`, `The limit of circuit ${label(c)} must be a number of amps above 0.`);
    else {
      const parentLimit = limitOf(c.parentId);
      if (parentLimit !== undefined && c.limitA > parentLimit)
        err(
          `${at}.limitA`,
          `Circuit ${label(c)} (${c.limitA} A) cannot be above ${parentLabel(c.parentId)} that feeds it (${parentLimit} A).`,
        );
    }
    if (!finite(c.assumedOtherLoadA) || c.assumedOtherLoadA < 0)
      err(`${at}.assumedOtherLoadA`, `The assumed other load on ${label(c)} must be 0 A or more.`);
    else if (finite(c.limitA) && c.assumedOtherLoadA >= c.limitA)
      err(
        `${at}.assumedOtherLoadA`,
        `The assumed other load on ${label(c)} leaves nothing of its ${c.limitA} A for the chargers.`,
      );
    const phases = c.phases.filter((p) => (PHASES as readonly string[]).includes(p));
    if (phases.length === 0 || phases.length !== c.phases.length)
      err(`${at}.phases`, `Circuit ${label(c)} must carry at least one of L1, L2 and L3.`);
    else if (new Set(phases).size !== phases.length)
      err(`${at}.phases`, `Circuit ${label(c)} lists a phase twice.`);
    else {
      const parentPhases = phasesOf(c.parentId) ?? [];
      const missing = phases.filter((p) => !parentPhases.includes(p));
      if (missing.length > 0)
        err(
          `${at}.phases`,
          `Circuit ${label(c)} carries ${missing.join(', ')}, which ${parentLabel(c.parentId)} that feeds it does not.`,
        );
    }
  });

  const stationIds = new Set<string>();
  model.stations.forEach((s, i) => {
    const at = `stations.${i}`;
    const name = `Station ${s.name?.trim() ? `“${s.name.trim()}”` : s.stationId || i + 1}`;
    if (!s.stationId) err(`${at}.stationId`, `Station ${i + 1} needs its identifier.`);
    else if (stationIds.has(s.stationId))
      err(`${at}.stationId`, `${name} is wired twice; a station hangs on one circuit.`);
    else stationIds.add(s.stationId);
    if (!(WIRINGS as readonly string[]).includes(s.wiring))
      err(`${at}.wiring`, `${name}: choose three-phase, or single-phase on L1, L2 or L3.`);
    if (!(ROTATIONS as readonly string[]).includes(s.rotation))
      err(`${at}.rotation`, `${name}: the phase rotation must be one of ${ROTATIONS.join(', ')}.`);
    if (!(PRIORITIES as readonly string[]).includes(s.priority))
      err(`${at}.priority`, `${name}: the priority is high, normal or low.`);
    const circuit = byId.get(s.circuitId);
    if (!circuit) {
      err(`${at}.circuitId`, `${name} hangs on a circuit that does not exist.`);
      return;
    }
    if (!finite(s.maxCurrentA) || s.maxCurrentA < policy.minCurrentA)
      err(
        `${at}.maxCurrentA`,
        `${name}: its maximum current must be at least the minimum charging current (${policy.minCurrentA} A).`,
      );
    else if (finite(circuit.limitA) && s.maxCurrentA > circuit.limitA)
      err(
        `${at}.maxCurrentA`,
        `${name} (${s.maxCurrentA} A) cannot be above circuit ${label(circuit)} that feeds it (${circuit.limitA} A).`,
      );
    if (s.capA !== null && (!finite(s.capA) || s.capA < policy.minCurrentA))
      err(
        `${at}.capA`,
        `${name}: a cap must be at least the minimum charging current (${policy.minCurrentA} A), or none.`,
      );
    if (
      (WIRINGS as readonly string[]).includes(s.wiring) &&
      (ROTATIONS as readonly string[]).includes(s.rotation)
    ) {
      const missing = stationPhases(s).filter((p) => !circuit.phases.includes(p));
      if (missing.length > 0)
        err(
          `${at}.wiring`,
          `${name} draws on building phase ${missing.join(', ')} (wiring ${s.wiring}, rotation ${s.rotation}), which circuit ${label(circuit)} does not carry.`,
        );
    }
  });
  return errors;
}
