// Seeded randomness for the reliability suite: every random choice comes from one seed, printed
// when a test fails, so a failure can be replayed with RELIABILITY_SEED=<seed>.
import { onTestFailed } from 'vitest';

export interface Rng {
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: tiny, fast, good enough to choose kill moments and mutate frames. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    chance: (p) => next() < p,
  };
}

/**
 * The seed for this test: RELIABILITY_SEED if set, else a fresh one. Registers a hook that prints
 * it (with the command to replay) if the test fails.
 */
export function testRng(name: string): Rng {
  const fromEnv = process.env.RELIABILITY_SEED;
  const seed =
    fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed))
    throw new Error(`RELIABILITY_SEED is not an integer: ${fromEnv}`);
  onTestFailed(() => {
    console.error(
      `[reliability] "${name}" failed with seed ${seed}: replay with RELIABILITY_SEED=${seed} npm run test:reliability`,
    );
  });
  return rng(seed);
}
