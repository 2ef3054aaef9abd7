// What domains tell each other, delivered after the database transaction that produced it has
// committed (docs/ARCHITECTURE.md "Domain events"). A publisher inside a transaction only
// collects; the transaction's owner flushes on COMMIT and drops on ROLLBACK. Delivery is in
// commit order (so in order per station), at most once, in this process only: a subscriber
// that starts after a restart reads the current state from the database, it never replays.
import type { Logger } from './logger';
import type { DomainEventMap } from './domain-event-types';

export type { BalancingFault, DomainEventMap } from './domain-event-types';
export type DomainEventType = keyof DomainEventMap;
export type DomainEvent = {
  [K in DomainEventType]: { type: K } & DomainEventMap[K];
}[DomainEventType];
export type DomainEventOf<K extends DomainEventType> = Extract<DomainEvent, { type: K }>;

type Subscriber = (event: DomainEvent) => void;

/** A place in the delivery order reserved at COMMIT, filled once the commit is durable. */
interface Slot {
  events: DomainEvent[] | null;
}

/** The database's transaction wrapper (drizzle's and better-sqlite3's both fit). */
type RunInTransaction = <T>(fn: () => T) => T;

export class DomainEvents {
  private readonly byType = new Map<DomainEventType, Set<Subscriber>>();
  private readonly all = new Set<Subscriber>();
  /** Events of the transaction running now (null: none collecting). */
  private collecting: DomainEvent[] | null = null;
  /** Committed, not yet delivered, in commit order. */
  private readonly queue: Slot[] = [];
  private delivering = false;

  constructor(private readonly logger: Logger) {}

  subscribe<K extends DomainEventType>(
    type: K,
    handler: (event: DomainEventOf<K>) => void,
  ): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    const s = handler as Subscriber;
    set.add(s);
    return () => set.delete(s);
  }
  /** Every event (the UI projector, tests). */
  subscribeAll(handler: Subscriber): () => void {
    this.all.add(handler);
    return () => this.all.delete(handler);
  }

  /**
   * Inside a collecting transaction: kept until its COMMIT (dropped on rollback). Outside: for
   * facts that are not database writes (a charger connected), delivered in commit order.
   */
  publish(event: DomainEvent): void {
    if (this.collecting) this.collecting.push(event);
    else this.enqueue([event]);
  }

  /**
   * Runs `fn` in a database transaction; its events are delivered after COMMIT, dropped if it
   * throws. Nested inside another collecting transaction (a savepoint), they join the outer one.
   */
  transaction<T>(run: RunInTransaction, fn: () => T): T {
    if (this.collecting) {
      const mark = this.collecting.length;
      try {
        return run(fn);
      } catch (e) {
        this.collecting.length = mark;
        throw e;
      }
    }
    const events: DomainEvent[] = [];
    this.collecting = events;
    let value: T;
    try {
      value = run(fn);
    } finally {
      this.collecting = null;
    }
    if (events.length) this.enqueue(events);
    return value;
  }

  // ── For a transaction owner that commits later than `fn` returns (the OCPP group commit) ──
  /** Starts collecting into a fresh list (returned); pair with stopCollecting. */
  startCollecting(): DomainEvent[] {
    const events: DomainEvent[] = [];
    this.collecting = events;
    return events;
  }
  stopCollecting(): void {
    this.collecting = null;
  }
  /** How many events are collected so far (to drop one failed savepoint's: truncateTo). */
  mark(): number {
    return this.collecting ? this.collecting.length : 0;
  }
  truncateTo(mark: number): void {
    if (this.collecting) this.collecting.length = mark;
  }
  /**
   * Reserves the place of a COMMITTED group in the delivery order; later events wait behind it
   * until `release(slot, events)` (durable: delivered) or `release(slot, null)` (dropped).
   */
  reserve(): Slot {
    const slot: Slot = { events: null };
    this.queue.push(slot);
    return slot;
  }
  release(slot: Slot, events: DomainEvent[] | null): void {
    slot.events = events ?? [];
    this.drain();
  }
  private enqueue(events: DomainEvent[]): void {
    this.queue.push({ events });
    this.drain();
  }

  private drain(): void {
    // A subscriber that publishes is delivered after the current event, not in the middle.
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (;;) {
        const events = this.queue[0]?.events;
        if (!events) break;
        this.queue.shift();
        for (const e of events) this.deliver(e);
      }
    } finally {
      this.delivering = false;
    }
  }

  private deliver(event: DomainEvent): void {
    const typed = this.byType.get(event.type);
    if (typed) for (const s of typed) this.call(s, event);
    for (const s of this.all) this.call(s, event);
  }

  private call(s: Subscriber, event: DomainEvent): void {
    try {
      s(event);
    } catch (cause) {
      // Never the publisher's problem: the charger was answered, the other subscribers run.
      this.logger.error('domain event subscriber failed', { type: event.type, cause });
    }
  }
}
