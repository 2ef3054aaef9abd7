// Shows how a charger operation went: the charger's own answer, or the error and how to fix it.
import { Alert } from '@mantine/core';
import type { ApiError } from '../../../src-shared/api/result';
import { describeError } from '../lib/errors';

export type Outcome =
  { ok: true; status: string; detail?: string } | { ok: false; error: ApiError } | null;

const GOOD = new Set(['Accepted', 'Unlocked', 'Scheduled']);
const EXPLAIN: Record<string, string> = {
  Accepted: 'The charger accepted the request.',
  Rejected: 'The charger rejected the request (it may be busy, or the value is not allowed).',
  RebootRequired: 'Saved on the charger; it takes effect after a reset.',
  NotSupported: 'The charger does not support this.',
  NotImplemented: 'The charger does not implement this message.',
  Scheduled: 'The charger will apply it when the current session ends.',
  Unlocked: 'The connector was unlocked.',
  UnlockFailed: 'The charger tried but could not unlock the connector.',
  NoFile: 'The charger has no diagnostics to upload.',
};

export function OutcomeAlert({ outcome, what }: { outcome: Outcome; what: string }) {
  if (!outcome) return null;
  if (outcome.ok) {
    const good = GOOD.has(outcome.status);
    return (
      <Alert
        color={good ? 'green' : 'orange'}
        title={`${what}: ${outcome.status}`}
        data-testid="outcome"
        data-status={outcome.status}
      >
        {EXPLAIN[outcome.status] ?? `The charger answered ${outcome.status}.`}
        {outcome.detail ? ` ${outcome.detail}` : ''}
      </Alert>
    );
  }
  return (
    <Alert
      color="red"
      title={`${what} failed`}
      data-testid="outcome"
      data-status={outcome.error.code}
      role="alert"
    >
      {describeError(outcome.error)}
    </Alert>
  );
}
