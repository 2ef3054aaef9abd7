// The review of flagged sessions: why a session was flagged, its raw readings, and the manager's
// decision (accept as is, set the stop reading from a meter sample, attribute to an account,
// exclude from billing), always with a reason. A decision never changes the charger's readings
// or the flag: it appends a session_reviews row (the history) carrying the whole billable state
// after it, and points session_review_state at it (docs/sessions.md).
import { ApiFailure } from '../../src-shared/api/result';
import type { ReviewAction, Session } from '../../src-shared/api/methods/sessions';
import type { Db } from '../db/open';
import type { DomainEvents } from '../platform/domain-events';

export interface ResolveInput {
  id: number;
  action: ReviewAction;
  reason: string;
  sampleId?: number;
  accountId?: number;
}

interface State {
  excluded: boolean;
  meterStopWh: number | null;
  stoppedAt: number | null;
  sampleId: number | null;
  accountId: number | null;
}

const SAMPLES_SHOWN = 2000;

export function createReview(db: Db, domainEvents: DomainEvents) {
  const sqlite = db.$client;

  function samples(transactionId: number) {
    const total = (
      sqlite
        .prepare(`SELECT count(*) AS n FROM meter_values WHERE transaction_id = ?`)
        .get(transactionId) as { n: number }
    ).n;
    const rows = sqlite
      .prepare(
        `SELECT id, timestamp, energy_wh AS energyWh, power_w AS powerW, sampled_values AS raw
         FROM meter_values WHERE transaction_id = ? ORDER BY timestamp, id LIMIT ?`,
      )
      .all(transactionId, SAMPLES_SHOWN) as {
      id: number;
      timestamp: number;
      energyWh: number | null;
      powerW: number | null;
      raw: string;
    }[];
    return { samples: rows, samplesTotal: total };
  }

  function history(transactionId: number) {
    return sqlite
      .prepare(
        `SELECT v.id, v.action, v.reason, v.flag, v.flag_reason AS flagReason, v.excluded,
           v.meter_stop_wh AS meterStopWh, v.stopped_at AS stoppedAt, v.account_id AS accountId,
           u.name AS userName, v.at
         FROM session_reviews v LEFT JOIN users u ON u.id = v.user_id
         WHERE v.transaction_id = ? ORDER BY v.id`,
      )
      .all(transactionId)
      .map((r) => {
        const row = r as { excluded: number } & Record<string, unknown>;
        return { ...row, excluded: row.excluded === 1 };
      }) as {
      id: number;
      action: ReviewAction;
      reason: string;
      flag: 'suspect' | 'review' | null;
      flagReason: string | null;
      excluded: boolean;
      meterStopWh: number | null;
      stoppedAt: number | null;
      accountId: number | null;
      userName: string | null;
      at: number;
    }[];
  }

  function previous(transactionId: number): State {
    const r = sqlite
      .prepare(
        `SELECT excluded, meter_stop_wh AS meterStopWh, stopped_at AS stoppedAt,
           sample_id AS sampleId, account_id AS accountId
         FROM session_reviews WHERE transaction_id = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(transactionId) as (Omit<State, 'excluded'> & { excluded: number }) | undefined;
    if (!r)
      return {
        excluded: false,
        meterStopWh: null,
        stoppedAt: null,
        sampleId: null,
        accountId: null,
      };
    return { ...r, excluded: r.excluded === 1 };
  }

  /** The state after `input`, or a failure naming the field that makes it impossible. */
  function next(session: Session, before: State, input: ResolveInput): State {
    switch (input.action) {
      case 'accept':
        // Billed as recorded (with any correction already made), included again if excluded.
        return { ...before, excluded: false };
      case 'exclude':
        return { ...before, excluded: true };
      case 'set-stop-reading': {
        const sample = (
          input.sampleId === undefined
            ? sqlite
                .prepare(
                  `SELECT id, timestamp, energy_wh AS energyWh FROM meter_values
                   WHERE transaction_id = ? AND energy_wh IS NOT NULL
                   ORDER BY timestamp DESC, id DESC LIMIT 1`,
                )
                .get(session.id)
            : sqlite
                .prepare(
                  `SELECT id, timestamp, energy_wh AS energyWh FROM meter_values
                   WHERE id = ? AND transaction_id = ?`,
                )
                .get(input.sampleId, session.id)
        ) as { id: number; timestamp: number; energyWh: number | null } | undefined;
        if (!sample) {
          throw new ApiFailure(
            'validation',
            input.sampleId === undefined
              ? 'This session has no meter sample with an energy reading to take the stop reading from: accept it or exclude it instead.'
              : 'The meter sample chosen is not one of this session’s.',
            { field: 'sampleId' },
          );
        }
        if (sample.energyWh === null) {
          throw new ApiFailure(
            'validation',
            'The meter sample chosen has no energy register reading: choose one that has.',
            { field: 'sampleId' },
          );
        }
        if (sample.energyWh < session.meterStartWh) {
          throw new ApiFailure(
            'validation',
            `The sample’s reading (${sample.energyWh.toLocaleString('en-AU')} Wh) is below the start reading (${session.meterStartWh.toLocaleString('en-AU')} Wh): choose a later sample, or exclude the session.`,
            { field: 'sampleId' },
          );
        }
        return {
          ...before,
          meterStopWh: sample.energyWh,
          // A session whose stop never came ends at the sample; a stopped one keeps its time.
          stoppedAt: session.stoppedAt === null ? sample.timestamp : null,
          sampleId: sample.id,
        };
      }
      case 'attribute': {
        if (input.accountId === undefined) {
          throw new ApiFailure('validation', 'Choose the account to bill this session to.', {
            field: 'accountId',
          });
        }
        const account = sqlite
          .prepare(`SELECT site_id AS siteId FROM accounts WHERE id = ?`)
          .get(input.accountId) as { siteId: number } | undefined;
        if (!account || account.siteId !== session.siteId) {
          throw new ApiFailure(
            'validation',
            'The account chosen is not one of this session’s site: choose an account of the building where it charged.',
            { field: 'accountId' },
          );
        }
        return { ...before, accountId: input.accountId };
      }
    }
  }

  const insertReview = sqlite.prepare(
    `INSERT INTO session_reviews (transaction_id, action, reason, flag, flag_reason, excluded,
       meter_stop_wh, stopped_at, sample_id, account_id, user_id, at)
     VALUES (@transactionId, @action, @reason, @flag, @flagReason, @excluded, @meterStopWh,
       @stoppedAt, @sampleId, @accountId, @userId, @at)`,
  );
  const upsertState = sqlite.prepare(
    `INSERT INTO session_review_state (transaction_id, review_id, action, flag, flag_reason,
       excluded, meter_stop_wh, stopped_at, account_id, at)
     VALUES (@transactionId, @reviewId, @action, @flag, @flagReason, @excluded, @meterStopWh,
       @stoppedAt, @accountId, @at)
     ON CONFLICT (transaction_id) DO UPDATE SET review_id = @reviewId, action = @action,
       flag = @flag, flag_reason = @flagReason, excluded = @excluded,
       meter_stop_wh = @meterStopWh, stopped_at = @stoppedAt, account_id = @accountId, at = @at`,
  );

  const liveInvoiceOf = sqlite
    .prepare(
      `SELECT i.number FROM invoice_sessions s JOIN invoices i ON i.id = s.invoice_id
       WHERE s.transaction_id = ? AND s.live = 1`,
    )
    .pluck();

  /** Records the decision in one transaction; the domain event goes out after commit. */
  function resolve(session: Session, input: ResolveInput, userId: number, now: number): void {
    domainEvents.transaction(
      (fn) => sqlite.transaction(fn)(),
      () => {
        // An issued invoice is never edited: a decision that changes what was billed would leave
        // the sessions page, reports and exports disagreeing with it. The way is void, resolve,
        // re-issue (the re-issue rates the session as resolved).
        const billedOn = liveInvoiceOf.get(session.id) as string | undefined;
        if (billedOn !== undefined) {
          throw new ApiFailure(
            'conflict',
            `This session is billed on invoice ${billedOn}: void that invoice first (Billing → Invoices), then resolve the session; its re-issue bills it as resolved.`,
            { field: 'id' },
          );
        }
        const state = next(session, previous(session.id), input);
        const row = {
          transactionId: session.id,
          action: input.action,
          reason: input.reason,
          flag: session.flag,
          flagReason: session.flagReason,
          excluded: state.excluded ? 1 : 0,
          meterStopWh: state.meterStopWh,
          stoppedAt: state.stoppedAt,
          sampleId: state.sampleId,
          accountId: state.accountId,
          userId,
          at: now,
        };
        const reviewId = Number(insertReview.run(row).lastInsertRowid);
        const { sampleId: _s, userId: _u, reason: _r, ...rest } = row;
        upsertState.run({ ...rest, reviewId });
        domainEvents.publish({
          type: 'session.resolved',
          transactionId: session.id,
          siteId: session.siteId,
          action: input.action,
          at: now,
        });
      },
    );
  }

  return { samples, history, resolve };
}
