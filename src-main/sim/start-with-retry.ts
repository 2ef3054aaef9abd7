// How the command-line simulator starts a charger: a real charger that is refused (unknown id,
// wrong password, server down) or told Pending/Rejected at boot tries again later, with a
// growing pause; it does not sit idle for ever. Each attempt and the pause are reported.
import type { SimCharger } from './charger';

/** Pauses between attempts: 5 s doubling to 60 s, then every 60 s. */
export const RETRY_DELAYS_MS = [5_000, 10_000, 20_000, 40_000, 60_000];

export interface RetryOptions {
  delaysMs?: readonly number[];
  log: (line: string) => void;
  /** Stops retrying (Ctrl-C). */
  signal?: AbortSignal;
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Starts (connect + boot) until Accepted; resolves false if aborted first. */
export async function startWithRetry(charger: SimCharger, opts: RetryOptions): Promise<boolean> {
  const delays = opts.delaysMs ?? RETRY_DELAYS_MS;
  for (let attempt = 0; !opts.signal?.aborted; attempt++) {
    let why: string;
    try {
      const status = await charger.start();
      if (status === 'Accepted') {
        opts.log(`${charger.identity}: Accepted${attempt > 0 ? ` (attempt ${attempt + 1})` : ''}`);
        return true;
      }
      why = `boot answered ${status}`;
      await charger.close();
    } catch (e) {
      why = `refused (${(e as Error).message})`;
      await charger.close();
    }
    const delay = delays[Math.min(attempt, delays.length - 1)] ?? 60_000;
    opts.log(`${charger.identity}: ${why}; retrying in ${Math.round(delay / 1000)} s`);
    await wait(delay, opts.signal);
  }
  return false;
}
