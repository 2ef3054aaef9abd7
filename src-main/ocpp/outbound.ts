// One call of ours to a charger, as data: its validated answer or why there is none. The API
// path (operations.ts `callOn`) turns a failure into an ApiFailure with the same wording; other
// domains get it typed through the ChargerGateway (gateway.ts).
import { ApiFailure } from '../../src-shared/api/result';
import type { CentralSystemAction } from '../../src-shared/ocpp/types';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { priorityOf, type CallPriority } from './outbound-queue';
import type { Session } from './session';
import { validateInbound, validateOutbound } from './validation';

/** Why a call has no usable answer. */
export type CallFailure =
  /** Not connected, or disconnected before answering. */
  | { kind: 'offline'; message: string }
  /** No answer within the timeout (counted from sending, not from queueing). */
  | { kind: 'timeout'; message: string }
  /** The charger answered CALLERROR (`code`: NotImplemented, NotSupported, ...). */
  | { kind: 'call-error'; code: string; message: string }
  /** It answered with a status that is not a success (Rejected, NotSupported, Unknown, ...). */
  | { kind: 'rejected'; status: string; message: string }
  /** Our request is outside the OCPP 1.6 schema, or its answer was (a charger bug). */
  | { kind: 'invalid'; message: string };

export type CallResult<T> = { ok: true; answer: T } | { ok: false; failure: CallFailure };

export interface SendOptions {
  /** Default: priorityOf(action) (outbound-queue.ts). */
  priority?: CallPriority;
  timeoutMs?: number;
}

/** The ApiFailure the API has always answered for each failure. */
export function toApiFailure(f: CallFailure): ApiFailure {
  switch (f.kind) {
    case 'offline':
      return new ApiFailure('charger-offline', f.message);
    case 'timeout':
      return new ApiFailure('timeout', f.message);
    case 'call-error':
    case 'rejected':
      return new ApiFailure('charger-rejected', f.message);
    case 'invalid':
      return new ApiFailure(
        f.message.startsWith('The charger cannot be sent') ? 'validation' : 'charger-rejected',
        f.message,
      );
    default:
      return f satisfies never;
  }
}

/** Answer statuses that mean "done" or "will be done" (as gateway.ts reads them). */
const DONE: ReadonlySet<string> = new Set(['Accepted', 'RebootRequired', 'Scheduled', 'Unlocked']);

export function createOutbound(deps: {
  clock: Clock;
  logger: Logger;
  callTimeoutMs: number;
  /** Told of every call that failed or was answered with a refusal (the alarms hear of it). */
  onFailure?: (session: Session, action: CentralSystemAction, message: string) => void;
  /** Told of every call answered with a success (a failed command's alarm then closes). */
  onSuccess?: (session: Session, action: CentralSystemAction) => void;
}) {
  const { clock, logger } = deps;

  /** Sends `action` on `session` through its priority queue; never throws. */
  async function send(
    session: Session,
    action: CentralSystemAction,
    payload: Record<string, unknown>,
    opts: SendOptions = {},
  ): Promise<CallResult<Record<string, unknown>>> {
    const r = await sendOnce(session, action, payload, opts);
    const status = r.ok ? (r.answer as { status?: unknown }).status : null;
    if (!r.ok) deps.onFailure?.(session, action, r.failure.message);
    else if (typeof status === 'string' && !DONE.has(status))
      deps.onFailure?.(session, action, `${session.identity} answered ${action} with ${status}.`);
    else deps.onSuccess?.(session, action);
    return r;
  }

  async function sendOnce(
    session: Session,
    action: CentralSystemAction,
    payload: Record<string, unknown>,
    opts: SendOptions = {},
  ): Promise<CallResult<Record<string, unknown>>> {
    const timeoutMs = opts.timeoutMs ?? deps.callTimeoutMs;
    try {
      validateOutbound(`urn:${action}.req`, payload);
    } catch (e) {
      // The contract should have refused this input already (src-shared/api/methods/ocpp.ts);
      // the schema's wording goes to the log, the person gets a sentence.
      logger.warn('outbound OCPP message failed its schema', { action, cause: e });
      return {
        ok: false,
        failure: {
          kind: 'invalid',
          message: `The charger cannot be sent this ${action} request: a value is outside what OCPP 1.6 allows. Check the numbers and try again.`,
        },
      };
    }
    const asksBoot = action === 'TriggerMessage' && payload.requestedMessage === 'BootNotification';
    let answer: unknown;
    try {
      answer = await session.outbound.run(opts.priority ?? priorityOf(action), () => {
        // Marked before sending: a charger may send the BootNotification before its answer.
        if (asksBoot) session.bootRequestedAt = clock.now();
        return session.client.call(action, payload, { callTimeoutMs: timeoutMs });
      });
      if (asksBoot && (answer as { status?: unknown } | null)?.status !== 'Accepted')
        session.bootRequestedAt = null;
    } catch (e) {
      if (asksBoot) session.bootRequestedAt = null;
      const err = e as Error & { rpcErrorCode?: string };
      if (err.name === 'TimeoutError' || err.constructor.name === 'TimeoutError')
        return {
          ok: false,
          failure: {
            kind: 'timeout',
            message: `${session.identity} did not answer ${action} within ${Math.round(timeoutMs / 1000)} s.`,
          },
        };
      if (err.rpcErrorCode)
        return {
          ok: false,
          failure: {
            kind: 'call-error',
            code: err.rpcErrorCode,
            message: `${session.identity} answered ${action} with ${err.rpcErrorCode}${err.message ? `: ${err.message}` : ''}.`,
          },
        };
      return {
        ok: false,
        failure: {
          kind: 'offline',
          message: `${session.identity} disconnected before answering ${action}.`,
        },
      };
    }
    try {
      const v = validateInbound(`urn:${action}.conf`, answer);
      if (v.quirks.length)
        logger.warn('charger answer quirks repaired', {
          identity: session.identity,
          action,
          quirks: v.quirks,
        });
      return { ok: true, answer: v.value as Record<string, unknown> };
    } catch (e) {
      return {
        ok: false,
        failure: {
          kind: 'invalid',
          message: `${session.identity} sent an invalid ${action} answer: ${(e as Error).message}`,
        },
      };
    }
  }

  /** The API's form: the answer, or the ApiFailure (wording unchanged). */
  async function call(
    session: Session,
    action: CentralSystemAction,
    payload: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>> {
    const r = await send(session, action, payload, { timeoutMs });
    if (r.ok) return r.answer;
    throw toApiFailure(r.failure);
  }

  return { send, call };
}
