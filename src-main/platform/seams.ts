// What every domain service is built from: the injected platform parts. Below the composition
// root (services.ts, core.ts) so that a domain can take its seams without importing it.
import type { Db } from '../db/open';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { EventBus } from './events';
import type { DomainEvents } from './domain-events';
import type { Scheduler } from './scheduler';
import type { RestoreHooks } from './restore-hooks';

export interface CoreInfo {
  version: string;
  dataDir: string;
  startedAt: number;
  ocppUrl: string;
  ocppTlsUrl: string | null;
  httpUrl: string | null;
}

export interface Seams {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** The UI's events: fed by the projector (platform/event-projector.ts) and a few domains. */
  events: EventBus;
  /** What domains tell each other, after commit (platform/domain-events.ts). */
  domainEvents: DomainEvents;
  /** Interval and calendar jobs on the injected clock (platform/scheduler.ts). */
  scheduler: Scheduler;
  dataDir: string;
  info: CoreInfo;
  /** What a live restore runs around the swap: register state derived from the data here. */
  restoreHooks: RestoreHooks;
}
