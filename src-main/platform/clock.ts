/** The injected clock. Every time-dependent rule reads it, so tests can move time. */
export interface Clock {
  /** UTC epoch milliseconds. */
  now(): number;
  /**
   * A clock that drives its own timers (ManualClock) takes the scheduler here instead of the
   * scheduler arming real timers; returns the detach function. The system clock has none.
   */
  attach?(driven: ClockDriven): () => void;
}

/** Something that wants to be woken when the clock reaches a time (the scheduler). */
export interface ClockDriven {
  /** The earliest time it wants to be woken at, or null for none. */
  nextDue(): number | null;
  /** Called with the clock set to (at least) nextDue(); resolves when what was due has run. */
  fire(): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private readonly driven = new Set<ClockDriven>();
  constructor(private t: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.t;
  }
  attach(d: ClockDriven): () => void {
    this.driven.add(d);
    return () => this.driven.delete(d);
  }
  /** Sets the time without firing anything (a clock jump, or a restart's "while it was off"). */
  set(t: number): void {
    this.t = t;
  }
  /**
   * Moves time forward like real time passes: stops at each instant something attached is due,
   * fires it with the clock showing that instant, then goes on; resolves once the clock shows
   * now + ms and everything due by then has run. Await it when a scheduler is attached (every
   * core has one); with nothing due it moves the clock synchronously.
   */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    // Bounded so that a job that keeps itself due cannot hang a test.
    for (let steps = 0; steps < 100_000; steps++) {
      let due: ClockDriven | null = null;
      let dueAt = Infinity;
      for (const d of this.driven) {
        const at = d.nextDue();
        if (at !== null && at <= target && at < dueAt) [due, dueAt] = [d, at];
      }
      if (!due) {
        this.t = target;
        return;
      }
      this.t = Math.max(this.t, dueAt);
      await due.fire();
    }
    throw new Error('ManualClock.advance: something attached stays due (did a job not move on?)');
  }
}
