// Alarm records: raise (a repeat of an active alarm counts up on it instead of adding a row),
// clear by itself or by a person, acknowledge. Each change is one transaction with its event-log
// row and its domain event (delivered after commit); a newly raised alarm's emails are queued in
// the same transaction (the outbox's rule), so a rollback leaves neither.
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/open';
import { alarmEvents, alarmRules, alarms } from '../db/schema';
import type { DomainEvents } from '../platform/domain-events';
import { ALARM_RULES, isAlarmRule, type AlarmRuleId, type Severity } from '../../src-shared/alarms';
import { ApiFailure } from '../../src-shared/api/result';

export type AlarmRow = typeof alarms.$inferSelect;

export interface RaiseInput {
  rule: AlarmRuleId;
  foldKey: string;
  siteId: number | null;
  stationId: number | null;
  connectorNumber: number | null;
  title: string;
  detail: string | null;
  at: number;
  /** false: no immediate email (the mail server itself is failing, so it would fail too). */
  email?: boolean;
}

export interface Person {
  userId: number;
  name: string;
}

/** Which active alarms an automatic clear closes. */
export type ClearTarget =
  | { foldKey: string }
  | {
      rule: AlarmRuleId;
      stationId: number;
      connectorNumber?: number;
      /** Keep this one (the error the charger reports now). */
      except?: string | null;
    };

export interface RuleSetting {
  rule: AlarmRuleId;
  severity: Severity;
  /** Seconds, for rules with a delay (null otherwise). */
  delaySeconds: number | null;
  customised: boolean;
}

export function createAlarmStore(deps: {
  db: Db;
  domainEvents: DomainEvents;
  /** Runs inside the raise's transaction for a NEW alarm (not a repeat): queue its emails. */
  onRaised: (alarm: AlarmRow) => void;
}) {
  const { db, domainEvents } = deps;
  const inTx = <T>(fn: () => T): T =>
    domainEvents.transaction((run) => db.transaction(() => run()), fn);

  function ruleSetting(rule: AlarmRuleId): RuleSetting {
    const def = ALARM_RULES[rule];
    const row = db.select().from(alarmRules).where(eq(alarmRules.rule, rule)).get();
    return {
      rule,
      severity: (row?.severity as Severity | undefined) ?? def.severity,
      delaySeconds: def.delay ? (row?.delaySeconds ?? def.delay.seconds) : null,
      customised: row !== undefined,
    };
  }

  function logEvent(
    a: AlarmRow,
    kind: 'raised' | 'repeated' | 'acknowledged' | 'cleared' | 'auto-cleared',
    at: number,
    detail: string | null,
    person: Person | null,
  ): void {
    db.insert(alarmEvents)
      .values({
        alarmId: a.id,
        at,
        kind,
        rule: a.rule,
        severity: a.severity,
        siteId: a.siteId,
        stationId: a.stationId,
        title: a.title,
        detail,
        userId: person?.userId ?? null,
        userName: person?.name ?? null,
      })
      .run();
  }

  /** Raises an alarm, or counts a repeat on the active one with the same key. */
  function raise({ email = true, ...input }: RaiseInput): { alarm: AlarmRow; isNew: boolean } {
    return inTx(() => {
      const existing = db
        .select()
        .from(alarms)
        .where(and(eq(alarms.foldKey, input.foldKey), eq(alarms.state, 'active')))
        .get();
      if (existing) {
        const alarm = db
          .update(alarms)
          .set({
            count: existing.count + 1,
            lastAt: Math.max(existing.lastAt, input.at),
            detail: input.detail ?? existing.detail,
          })
          .where(eq(alarms.id, existing.id))
          .returning()
          .get();
        logEvent(alarm, 'repeated', input.at, input.detail, null);
        domainEvents.publish({
          type: 'alarm.changed',
          alarmId: alarm.id,
          siteId: alarm.siteId,
          stationId: alarm.stationId,
          change: 'repeated',
          at: input.at,
        });
        return { alarm, isNew: false };
      }
      const { severity } = ruleSetting(input.rule);
      const alarm = db
        .insert(alarms)
        .values({
          ...input,
          severity,
          firstAt: input.at,
          lastAt: input.at,
          count: 1,
          state: 'active',
        })
        .returning()
        .get();
      logEvent(alarm, 'raised', input.at, input.detail, null);
      if (email) deps.onRaised(alarm);
      domainEvents.publish({
        type: 'alarm.raised',
        alarmId: alarm.id,
        siteId: alarm.siteId,
        stationId: alarm.stationId,
        rule: alarm.rule,
        severity,
        title: alarm.title,
        detail: alarm.detail,
        at: input.at,
      });
      return { alarm, isNew: true };
    });
  }

  function close(a: AlarmRow, at: number, reason: string, person: Person | null): AlarmRow {
    const cleared = db
      .update(alarms)
      .set({
        state: 'cleared',
        clearedAt: at,
        clearedBy: person?.userId ?? null,
        clearedByName: person?.name ?? null,
        clearReason: reason,
      })
      .where(eq(alarms.id, a.id))
      .returning()
      .get();
    logEvent(cleared, person ? 'cleared' : 'auto-cleared', at, reason, person);
    domainEvents.publish({
      type: 'alarm.changed',
      alarmId: a.id,
      siteId: a.siteId,
      stationId: a.stationId,
      change: 'cleared',
      at,
    });
    return cleared;
  }

  /** Closes the active alarms the condition no longer holds for (the fault went away). */
  function clearAuto(target: ClearTarget, at: number, reason: string): number {
    const where =
      'foldKey' in target
        ? eq(alarms.foldKey, target.foldKey)
        : and(
            eq(alarms.rule, target.rule),
            eq(alarms.stationId, target.stationId),
            target.connectorNumber === undefined
              ? undefined
              : eq(alarms.connectorNumber, target.connectorNumber),
            target.except ? ne(alarms.foldKey, target.except) : undefined,
          );
    const find = () =>
      db
        .select()
        .from(alarms)
        .where(and(where, eq(alarms.state, 'active')))
        .all();
    // Most status reports clear nothing: look first, open a transaction only to write.
    if (find().length === 0) return 0;
    return inTx(() => {
      const active = find();
      for (const a of active) close(a, at, reason, null);
      return active.length;
    });
  }

  function get(id: number): AlarmRow | null {
    return db.select().from(alarms).where(eq(alarms.id, id)).get() ?? null;
  }

  function mustGet(id: number): AlarmRow {
    const a = get(id);
    if (!a) throw new ApiFailure('not-found', 'That alarm no longer exists.', { field: 'id' });
    return a;
  }

  return {
    raise,
    clearAuto,
    get,
    ruleSetting,
    isActive(foldKey: string): boolean {
      return (
        db
          .select({ id: alarms.id })
          .from(alarms)
          .where(and(eq(alarms.foldKey, foldKey), eq(alarms.state, 'active')))
          .get() !== undefined
      );
    },
    /** Active alarms of a rule (start-up and restore: what the timers must know). */
    activeOf(rule: AlarmRuleId): AlarmRow[] {
      return db
        .select()
        .from(alarms)
        .where(and(eq(alarms.rule, rule), eq(alarms.state, 'active')))
        .all();
    },
    /** A person clears an alarm, saying why. */
    clearManual(id: number, person: Person, reason: string, at: number) {
      return inTx(() => {
        const a = mustGet(id);
        if (a.state !== 'active') {
          throw new ApiFailure(
            'conflict',
            `This alarm was already cleared${a.clearedByName ? ` by ${a.clearedByName}` : ''}.`,
          );
        }
        return { before: a, after: close(a, at, reason, person) };
      });
    },
    /** A person says they have seen it (it stays active until cleared). */
    acknowledge(id: number, person: Person, note: string | null, at: number) {
      return inTx(() => {
        const a = mustGet(id);
        if (a.state !== 'active') {
          throw new ApiFailure('conflict', 'This alarm is already cleared.');
        }
        if (a.acknowledgedAt !== null) {
          throw new ApiFailure(
            'conflict',
            `This alarm was already acknowledged by ${a.acknowledgedByName ?? 'someone'}.`,
          );
        }
        const after = db
          .update(alarms)
          .set({
            acknowledgedAt: at,
            acknowledgedBy: person.userId,
            acknowledgedByName: person.name,
          })
          .where(and(eq(alarms.id, id), isNull(alarms.acknowledgedAt)))
          .returning()
          .get();
        logEvent(after, 'acknowledged', at, note, person);
        domainEvents.publish({
          type: 'alarm.changed',
          alarmId: id,
          siteId: a.siteId,
          stationId: a.stationId,
          change: 'acknowledged',
          at,
        });
        return { before: a, after };
      });
    },
    rules(): RuleSetting[] {
      return Object.keys(ALARM_RULES).filter(isAlarmRule).map(ruleSetting);
    },
    /** Changes a rule's severity (new alarms only) and its delay; returns before and after. */
    updateRule(
      rule: AlarmRuleId,
      change: { severity?: Severity; delaySeconds?: number | null },
      at: number,
    ) {
      const def = ALARM_RULES[rule];
      const before = ruleSetting(rule);
      if (change.delaySeconds !== undefined && change.delaySeconds !== null) {
        if (!def.delay) {
          throw new ApiFailure('validation', `“${def.label}” has no delay to set.`, {
            field: 'delaySeconds',
          });
        }
        if (change.delaySeconds < def.delay.min || change.delaySeconds > def.delay.max) {
          throw new ApiFailure(
            'validation',
            `${def.delay.label} must be between ${def.delay.min} and ${def.delay.max.toLocaleString('en-AU')}.`,
            { field: 'delaySeconds' },
          );
        }
      }
      const severity = change.severity ?? before.severity;
      const delaySeconds =
        change.delaySeconds === undefined
          ? before.customised
            ? before.delaySeconds
            : null
          : change.delaySeconds;
      db.insert(alarmRules)
        .values({ rule, severity, delaySeconds, updatedAt: at })
        .onConflictDoUpdate({
          target: alarmRules.rule,
          set: { severity, delaySeconds, updatedAt: at },
        })
        .run();
      return { before, after: ruleSetting(rule) };
    },
  };
}

export type AlarmStore = ReturnType<typeof createAlarmStore>;
