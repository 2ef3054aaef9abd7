// Turning a block of registers into per-phase amps with a register map, and refusing garbage:
// a meter that answers NaN, a negative current or more than any building draws is treated as a
// meter that did not answer (the worst case applies), never as a reading.
import {
  registerWidth,
  type RegisterMap,
  type RegisterType,
} from '../../../src-shared/balancing/register-maps';

/** Above this on any phase the reading is garbage (no strata supply is anywhere near it). */
export const ABSURD_A = 5_000;

export type PerPhase3 = [number, number, number];

/** The contiguous block a map needs read: from its lowest register to the end of its highest. */
export function blockOf(map: RegisterMap): { start: number; count: number } {
  const regs = [...map.currentRegisters, ...(map.powerRegisters ?? [])];
  const start = Math.min(...regs);
  const count = Math.max(...regs) - start + registerWidth(map.type);
  return { start, count };
}

function word32(buf: Buffer, offset: number, lowFirst: boolean): Buffer {
  const b = Buffer.alloc(4);
  const hi = lowFirst ? offset + 2 : offset;
  const lo = lowFirst ? offset : offset + 2;
  buf.copy(b, 0, hi, hi + 2);
  buf.copy(b, 2, lo, lo + 2);
  return b;
}

export function decodeValue(buf: Buffer, offset: number, type: RegisterType, lowFirst: boolean) {
  switch (type) {
    case 'int16':
      return buf.readInt16BE(offset);
    case 'uint16':
      return buf.readUInt16BE(offset);
    case 'float32':
      return word32(buf, offset, lowFirst).readFloatBE(0);
    case 'int32':
      return word32(buf, offset, lowFirst).readInt32BE(0);
    case 'uint32':
      return word32(buf, offset, lowFirst).readUInt32BE(0);
  }
}

export type Decoded =
  { ok: true; amps: PerPhase3; watts: PerPhase3 | null } | { ok: false; reason: string };

/** `buf` holds the block from `blockOf(map).start` (two bytes per register, big-endian). */
export function decodeReading(map: RegisterMap, buf: Buffer): Decoded {
  const { start, count } = blockOf(map);
  if (buf.length < count * 2)
    return { ok: false, reason: `the meter sent ${buf.length / 2} registers, not ${count}` };
  const lowFirst = map.wordOrder === 'low-first';
  const read = (regs: readonly number[], scale: number): PerPhase3 => {
    const [a, b, c] = regs.map(
      (r) => decodeValue(buf, (r - start) * 2, map.type, lowFirst) * scale,
    );
    return [a ?? NaN, b ?? NaN, c ?? NaN];
  };
  const amps = read(map.currentRegisters, map.currentScale);
  const bad = amps.find((a) => !Number.isFinite(a) || a < 0 || a > ABSURD_A);
  if (bad !== undefined)
    return {
      ok: false,
      reason: `the meter answered an impossible current (${Number.isFinite(bad) ? `${Math.round(bad * 10) / 10} A` : 'not a number'})`,
    };
  return {
    ok: true,
    amps,
    watts: map.powerRegisters ? read(map.powerRegisters, map.powerScale) : null,
  };
}
