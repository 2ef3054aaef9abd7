// What the parts of the model service share: the database, the OCPP-side facts (ModelHooks),
// and one way to write: `inTransaction`, whose domain events are delivered after COMMIT.
import type { Site } from '../../src-shared/model';
import type { Db } from '../db/open';
import type { DomainEvent } from '../platform/domain-events';

/**
 * Seams other domains fill in: the OCPP server knows which chargers are connected and the
 * transactions table knows which stations have charging sessions. Until they are provided the
 * model behaves as if no charger were connected and none had sessions.
 */
export interface ModelHooks {
  hasTransactions(stationId: number): boolean;
  isConnected(identity: string): boolean;
}

export interface ModelContext {
  db: Db;
  hooks: ModelHooks;
  /** Runs `fn` in one database transaction; events published in it are delivered after COMMIT. */
  inTransaction<T>(fn: () => T): T;
  /** Publishes a domain event (inside `inTransaction`: collected until COMMIT). */
  publish(event: DomainEvent): void;
  /** The site, or not-found in words. */
  getSite(id: number): Site;
}
