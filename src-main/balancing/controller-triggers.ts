// When the controller recomputes a site (split from controller.ts). Two kinds of trigger:
// - now: a car arrived or left, a charger came, went or failed, a status changed, the model was
//   saved, a measured load moved, a retry or the review is due. These are what keep the building
//   within its limits or a car waiting, so they recompute at the next turn of the event loop
//   (a burst in one turn is one recompute);
// - a meter sample whose draw moved: what it changes is how the spare current is shared (a car
//   drawing less than its allowance is capped near its draw, the rest goes to the others), never
//   whether a limit holds (a car cannot draw above the limit it was sent). With every car sampling
//   every few seconds a site of 200 chargers sees tens of samples a second, each one a recompute
//   of the whole site; so samples wait for a trailing recompute, at most one per
//   `sampleDebounceMs` per site, on the scheduler's clock. The sample's draw is in memory at once
//   (the views), so whichever recompute comes first reads it, and a recompute for any other reason
//   takes the waiting one's place.
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Scheduler } from '../platform/scheduler';

export function createRecomputeTriggers(deps: {
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  sampleDebounceMs: () => number;
  recompute(siteId: number): void;
}) {
  const { clock, scheduler, logger } = deps;
  const dirty = new Set<number>();
  /** Sites with a sample-triggered recompute waiting on the scheduler. */
  const waiting = new Set<number>();
  let flushing = false;
  let stopped = false;
  const keyOf = (siteId: number) => `balancing.samples.${siteId}`;

  function run(siteId: number): void {
    try {
      deps.recompute(siteId);
    } catch (error) {
      logger.error('load balancing failed for a site', { siteId, error });
    }
  }

  /** Recompute at the next turn of the event loop. */
  function now(siteId: number): void {
    if (stopped) return;
    dirty.add(siteId);
    if (flushing) return;
    flushing = true;
    setImmediate(() => {
      flushing = false;
      // Stopped meanwhile (the app is closing its database): nothing more to steer.
      if (stopped) return;
      const sites = [...dirty];
      dirty.clear();
      for (const s of sites) run(s);
    });
  }

  /** A meter sample moved a car's draw: recompute within `sampleDebounceMs`. */
  function sample(siteId: number): void {
    if (stopped || waiting.has(siteId) || dirty.has(siteId)) return;
    const ms = deps.sampleDebounceMs();
    if (ms <= 0) return now(siteId);
    waiting.add(siteId);
    // Recomputed in the wake-up itself (its own turn of the event loop), at the clock's time then.
    scheduler.wakeAt(keyOf(siteId), clock.now() + ms, () => {
      if (waiting.delete(siteId)) run(siteId);
    });
  }

  /** The site was recomputed: a waiting sample-triggered recompute has nothing left to do. */
  function recomputed(siteId: number): void {
    if (!waiting.delete(siteId)) return;
    scheduler.wakeAt(keyOf(siteId), null, () => undefined);
  }

  function cancelAll(): void {
    for (const s of waiting) scheduler.wakeAt(keyOf(s), null, () => undefined);
    waiting.clear();
  }

  return {
    now,
    sample,
    recomputed,
    /** After a live restore: nothing waits for the data that was replaced. */
    reset: cancelAll,
    stop(): void {
      stopped = true;
      cancelAll();
    },
  };
}
