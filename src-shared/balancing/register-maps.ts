// Modbus register maps as data: where a three-phase energy meter keeps its per-phase currents,
// how they are encoded, and which function code reads them. The poller (src-main/balancing/
// meters) decodes any map the same way, so a meter not shipped here is one object away: an
// installer enters a custom map with the meter (stored with the site's model, validated here).
import type { FieldError } from '../api/result';

export const REGISTER_TYPES = ['float32', 'int32', 'uint32', 'int16', 'uint16'] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];
/** 32-bit values span two registers; meters disagree on which comes first. */
export const WORD_ORDERS = ['high-first', 'low-first'] as const;
export type WordOrder = (typeof WORD_ORDERS)[number];

export interface RegisterMap {
  label: string;
  /** 3 = read holding registers, 4 = read input registers. */
  functionCode: 3 | 4;
  type: RegisterType;
  wordOrder: WordOrder;
  /** Register addresses (0-based, as on the wire) of the current on L1, L2, L3. */
  currentRegisters: [number, number, number];
  /** Amps = raw value × scale (e.g. 0.001 for a meter counting milliamps). */
  currentScale: number;
  /** Optional: active power per phase (W = raw × powerScale), shown, not used to allocate. */
  powerRegisters: [number, number, number] | null;
  powerScale: number;
  /** The meter's factory Modbus address. */
  defaultUnitId: number;
}

export const REGISTER_MAPS = {
  // Eastron SDM630 Modbus protocol (v1.5 / SDM630MCT v2): input registers (FC 04), IEEE 754
  // float32 with the high word first. 30007/30009/30011 "Phase 1/2/3 current" (A) = wire
  // addresses 0x0006/0x0008/0x000A; 30013/30015/30017 "Phase 1/2/3 power" (W) = 0x000C/0x000E/
  // 0x0010. Factory address 1.
  'eastron-sdm630': {
    label: 'Eastron SDM630',
    functionCode: 4,
    type: 'float32',
    wordOrder: 'high-first',
    currentRegisters: [0x0006, 0x0008, 0x000a],
    currentScale: 1,
    powerRegisters: [0x000c, 0x000e, 0x0010],
    powerScale: 1,
    defaultUnitId: 1,
  },
  // Carlo Gavazzi EM24-DIN communication protocol (the "EM24 DIN" Modbus document, instantaneous
  // variables table): INT32 with the least significant word first; "A L1/L2/L3" at 0x000C/
  // 0x000E/0x0010, weight A × 1000; "W L1/L2/L3" at 0x0012/0x0014/0x0016, weight W × 10. The
  // document lists both FC 03 and FC 04 for these; we read holding registers (03). Factory
  // address 1. These values are from the published map, not from a meter on our bench: verify
  // them on site with "Test meter" (the amps shown should match the meter's own display).
  'carlo-gavazzi-em24': {
    label: 'Carlo Gavazzi EM24',
    functionCode: 3,
    type: 'int32',
    wordOrder: 'low-first',
    currentRegisters: [0x000c, 0x000e, 0x0010],
    currentScale: 0.001,
    powerRegisters: [0x0012, 0x0014, 0x0016],
    powerScale: 0.1,
    defaultUnitId: 1,
  },
} as const satisfies Record<string, RegisterMap>;

export type ShippedMeterModel = keyof typeof REGISTER_MAPS;

/** Registers one value occupies. */
export const registerWidth = (type: RegisterType): 1 | 2 =>
  type === 'int16' || type === 'uint16' ? 1 : 2;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const address = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65_534;

/**
 * An installer's map, every fault named: `at` is the field prefix (e.g. registerMaps.0), `lead`
 * opens each message (e.g. "Register map “PM5110”").
 */
export function validateRegisterMap(map: RegisterMap, at: string, lead: string): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) =>
    errors.push({ field: `${at}.${field}`, message: `${lead}: ${message}` });
  if (map.functionCode !== 3 && map.functionCode !== 4)
    err('functionCode', 'the function code is 3 (holding registers) or 4 (input registers).');
  if (!(REGISTER_TYPES as readonly string[]).includes(map.type))
    err('type', `the data type is one of ${REGISTER_TYPES.join(', ')}.`);
  if (!(WORD_ORDERS as readonly string[]).includes(map.wordOrder))
    err('wordOrder', 'the word order is high word first or low word first.');
  const check = (name: 'currentRegisters' | 'powerRegisters', what: string) => {
    const regs = map[name];
    if (regs === null) return;
    if (regs.length !== 3 || !regs.every(address))
      err(name, `give three ${what} register addresses (L1, L2, L3) between 0 and 65534.`);
    else if (Math.max(...regs) - Math.min(...regs) > 100)
      err(name, `the three ${what} registers must lie within 100 registers of each other.`);
  };
  check('currentRegisters', 'current');
  check('powerRegisters', 'power');
  if (!finite(map.currentScale) || map.currentScale <= 0)
    err(
      'currentScale',
      'the current scale must be a number above 0 (1 when the meter gives amps).',
    );
  if (map.powerRegisters !== null && (!finite(map.powerScale) || map.powerScale <= 0))
    err('powerScale', 'the power scale must be a number above 0 (1 when the meter gives watts).');
  if (!Number.isInteger(map.defaultUnitId) || map.defaultUnitId < 0 || map.defaultUnitId > 247)
    err('defaultUnitId', 'the unit id is between 0 and 247.');
  return errors;
}
