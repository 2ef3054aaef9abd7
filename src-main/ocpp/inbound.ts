// Charger-initiated CALLs, answered: lenient inbound validation, per-charger budgets
// (limits.ts), the OCPP 1.6 handlers (handlers-16.ts), the group commit before the answer, and
// strict validation of our answer. Two entry points with the same behaviour: ocpp-rpc's own
// handler path (`answer`), and the lean path (`leanInboundCalls`) that answers well-formed
// CALLs without ocpp-rpc's per-message promise machinery (the server's hot path).
import { createRPCError } from 'ocpp-rpc';
import type { createHandlers16, Handler, Payload } from './handlers-16';
import { boundSamples, callIdOf, DEPTH_SCAN_FROM_CHARS, nestsDeeperThan } from './limits';
import { clip, type FrameLog } from './frame-log';
import { closeFailed, type OcppRuntime } from './runtime';
import { MAX_BAD_FRAMES } from './server';
import type { Session } from './session';
import { OcppValidationError, validateInbound, validateOutbound } from './validation';

/**
 * Charger messages whose handling writes nothing that must be durable before the answer:
 * Heartbeat only touches the in-memory last-seen state, Authorize and DataTransfer only read.
 */
const NO_COMMIT: ReadonlySet<string> = new Set(['Heartbeat', 'Authorize', 'DataTransfer']);

type Handlers16 = ReturnType<typeof createHandlers16>;
export type Inbound = ReturnType<typeof createInbound>;

export function createInbound(
  rt: OcppRuntime,
  handlers: Handlers16,
  frameLog: FrameLog,
  noteAttempt: (identity: string, ip: string | null, reason: string, now: number) => void,
) {
  const { clock, logger, store, limits, flags, abusiveUntil, budgetOf } = rt;
  const { domainEvents } = rt.seams;
  const { logFrame, holdCall, inFlight, leanCallIn, leanAnswer } = frameLog;

  /**
   * A charger's CALL, answered: lenient inbound validation (quirks repaired and logged), the
   * handler, strict validation of our answer. Throws an ocpp-rpc RPC error for the CALLERROR.
   * Messages that write nothing transactional are answered at once; the others after the group
   * commit (store.group), so that "answered" implies "stored".
   */
  function answer(s: Session, action: string, params: unknown): Payload | Promise<Payload> {
    const handler = (handlers as Record<string, Handler | undefined>)[action];
    if (!handler) throw createRPCError('NotImplemented', `Unable to handle '${action}' calls`);
    const payload = validated(s, action, params);
    if (NO_COMMIT.has(action)) return checkAnswer(action, run(handler, s, payload));
    return store.group(() => run(handler, s, payload)).then((r) => checkAnswer(action, r));
  }
  /**
   * A session from before a restore must not write into the restored data: its station id may
   * now name another station, or none (its queued messages are refused, never answered on the
   * closed connection, so the charger sends them again once it has reconnected).
   */
  function run(handler: Handler, s: Session, payload: Payload): Payload {
    if (s.epoch !== rt.dataEpoch)
      throw createRPCError('GenericError', 'The server restored its data: reconnect.');
    flags.holding = true;
    flags.held.length = 0;
    try {
      const out = handler(s, payload);
      for (const e of flags.held) domainEvents.publish(e);
      return out;
    } finally {
      flags.holding = false;
      flags.held.length = 0;
    }
  }
  /** Lenient inbound validation (quirks repaired and logged); throws the RPC error. */
  function validated(s: Session, action: string, params: unknown): Payload {
    try {
      const v = validateInbound(`urn:${action}.req`, params);
      if (v.quirks.length)
        logger.warn('charger message quirks repaired', {
          identity: s.identity,
          action,
          quirks: v.quirks,
        });
      if (action === 'MeterValues' || action === 'StopTransaction')
        boundReadings(s, action, v.value as Payload);
      return v.value as Payload;
    } catch (e) {
      if (e instanceof OcppValidationError) {
        logger.warn('invalid message from charger', {
          identity: s.identity,
          action,
          error: e.message,
        });
        throw e.toRpcError();
      }
      throw e;
    }
  }
  /** Meter readings per message and per second (limits.ts): a flood is refused, not stored. */
  function boundReadings(s: Session, action: string, payload: Payload) {
    const b = boundSamples(action, payload, limits);
    if ('refused' in b) throw new OcppValidationError('OccurrenceConstraintViolation', b.refused);
    if (b.truncatedFrom !== null)
      logger.warn('StopTransaction transactionData truncated', {
        identity: s.identity,
        received: b.truncatedFrom,
        kept: limits.maxTransactionData,
      });
    if (b.samples > 0 && !budgetOf(s.identity).samples.take(b.samples, clock.now())) {
      disconnectFlood(s, `more than ${limits.samplesPerSecond} meter readings per second`);
      throw new OcppValidationError('GenericError', 'Too many meter readings: disconnected');
    }
  }

  /**
   * A charger over its budget (limits.ts) is disconnected, its reconnections refused for
   * `abuseCooldownMs`, and the event raised where an operator sees it: an error in the log and
   * a row on the chargers page (charger attempts), with the reason.
   */
  function disconnectFlood(s: Session, what: string) {
    if (s.flooded) return;
    s.flooded = true;
    const now = clock.now();
    abusiveUntil.set(s.identity, now + limits.abuseCooldownMs);
    logger.error('charger disconnected for flooding', { identity: s.identity, ip: s.ip, what });
    noteAttempt(s.identity, s.ip, `disconnected: ${what}`, now);
    void s.client.close({ code: 1008, reason: 'Rate limit exceeded' }).catch(closeFailed);
  }

  function checkAnswer(action: string, result: Payload): Payload {
    try {
      validateOutbound(`urn:${action}.conf`, result);
    } catch (e) {
      logger.error('our answer failed schema validation (bug)', {
        action,
        error: (e as Error).message,
      });
      throw new OcppValidationError('InternalError', 'Internal error').toRpcError();
    }
    return result;
  }

  /**
   * The lean inbound CALL path. ocpp-rpc spends, per inbound call, an AbortController, a
   * promise chain and five event objects (~10 % of the server's CPU per message and a good
   * part of its garbage, docs/benchmarks.md). A well-formed CALL for an action we handle is
   * answered here instead, with the same validation, handlers and CALLERROR mapping; anything
   * else (our calls' answers, malformed frames, unknown actions) goes to ocpp-rpc as before,
   * which also keeps outbound call correlation, timeouts and pings. Hooks ocpp-rpc 2.2's
   * `_onMessage` (called per frame by its ws listener) and `sendRaw`: ocpp-rpc is pinned to an
   * exact version in package.json and test/ocpp/lean-path.test.ts fails if the hook is not
   * active. On an upgrade re-check: `_onMessage(buffer)` still the per-frame entry point,
   * `_badMessagesCount` still the bad-frame counter, `sendRaw` still emits 'message'
   * {message, outbound: true}, and the handled/unhandled split of CALLs unchanged.
   */
  function leanInboundCalls(client: unknown, s: Session, heard: () => void) {
    const c = client as {
      _onMessage?: (buffer: Buffer | string) => void;
      _deferNextPing?: () => void;
      _badMessagesCount?: number;
      protocol?: string;
      sendRaw(message: string): void;
    };
    const viaRpc = c._onMessage;
    if (typeof viaRpc !== 'function') return; // another ocpp-rpc version: its own path only
    s.leanCalls = 0;
    const send = (id: string, kind: 'result' | 'error', message: string) => {
      leanAnswer.id = id;
      leanAnswer.kind = kind;
      try {
        c.sendRaw(message);
      } catch {
        // Closed meanwhile: nothing to answer on (ocpp-rpc drops these too).
      } finally {
        leanAnswer.id = null;
      }
    };
    const fail = (id: string, e: unknown) => send(id, 'error', JSON.stringify(callError(id, e)));
    const budget = budgetOf(s.identity);
    /** A frame refused before parsing: FormationViolation when it is a CALL we can answer. */
    const badFrame = (text: string, message: string) => {
      c._badMessagesCount = (c._badMessagesCount ?? 0) + 1;
      logger.warn('malformed OCPP frame', { identity: s.identity, error: message });
      heard();
      const id = callIdOf(text);
      if (id === null) logFrame(s, clip(text), false);
      else {
        holdCall(s, true, { at: clock.now(), action: null, messageId: id, frame: clip(text) });
        send(id, 'error', JSON.stringify([4, id, 'FormationViolation', message, {}]));
      }
      if (c._badMessagesCount > MAX_BAD_FRAMES)
        void s.client.close({ code: 1002, reason: 'Too many malformed frames' }).catch(closeFailed);
    };
    c._onMessage = (buffer) => {
      if (s.flooded) return;
      const now = clock.now();
      if (!budget.messages.take(1, now))
        return disconnectFlood(s, `more than ${limits.messagesPerSecond} messages per second`);
      if (!budget.bytes.take(buffer.length, now))
        return disconnectFlood(s, `more than ${limits.bytesPerSecond} bytes per second`);
      const text = typeof buffer === 'string' ? buffer : buffer.toString('utf8');
      // Before JSON.parse: the parser and the schema validator recurse per level.
      if (text.length >= DEPTH_SCAN_FROM_CHARS && nestsDeeperThan(text, limits.maxDepth))
        return badFrame(text, `JSON nested deeper than ${limits.maxDepth} levels`);
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        return viaRpc.call(client, buffer);
      }
      if (
        Array.isArray(frame) &&
        frame[0] === 2 &&
        typeof frame[1] === 'string' &&
        frame[1].length > limits.maxMessageIdLength
      )
        return badFrame(
          text,
          `Message id longer than ${limits.maxMessageIdLength} characters (OCPP-J 1.6 §4.1.3)`,
        );
      if (
        s.closed ||
        !Array.isArray(frame) ||
        frame.length < 4 ||
        frame[0] !== 2 ||
        typeof frame[1] !== 'string' ||
        typeof frame[2] !== 'string' ||
        !Object.hasOwn(handlers, frame[2])
      )
        return viaRpc.call(client, buffer);
      const id: string = frame[1];
      if (inFlight(s, id)) return viaRpc.call(client, buffer);
      const action: string = frame[2];
      s.leanCalls++;
      // What ocpp-rpc's own _onMessage does first: activity postpones its next keep-alive ping.
      c._deferNextPing?.();
      heard();
      leanCallIn(s, id, action, text);
      c._badMessagesCount = 0;
      const handler = (handlers as Record<string, Handler>)[action] as Handler;
      let payload: Payload;
      try {
        payload = validated(s, action, frame[3]);
      } catch (e) {
        return fail(id, e);
      }
      if (NO_COMMIT.has(action)) {
        let out: Payload;
        try {
          out = checkAnswer(action, run(handler, s, payload));
        } catch (e) {
          return fail(id, e);
        }
        return send(id, 'result', JSON.stringify([3, id, out]));
      }
      // Answered after the group commit, by callback (no promise chain per message).
      store.groupThen(
        () => run(handler, s, payload),
        (failed, value) => {
          if (failed) return fail(id, value);
          let out: Payload;
          try {
            out = checkAnswer(action, value as Payload);
          } catch (e) {
            return fail(id, e);
          }
          send(id, 'result', JSON.stringify([3, id, out]));
        },
      );
    };
  }

  /**
   * OCPP-J 1.6 has no RpcFrameworkError / MessageTypeNotSupported (those are 2.0.1): a frame that
   * is not a well-formed CALL gets FormationViolation (§4.2.3 "not conform the PDU structure").
   */
  function onBadMessage(raw: unknown, e: { error: Error; response: unknown[] | null }) {
    const client = raw as { identity: string };
    const r = e.response;
    if (
      r &&
      (r[2] === 'RpcFrameworkError' ||
        r[2] === 'MessageTypeNotSupported' ||
        r[2] === 'GenericError')
    ) {
      r[2] = 'FormationViolation';
    }
    logger.warn('malformed OCPP frame', { identity: client.identity, error: e.error.message });
  }

  return { answer, leanInboundCalls, onBadMessage };
}

/**
 * The CALLERROR frame for an error thrown while answering, as ocpp-rpc builds it: its RPC error
 * code (GenericError otherwise, 1.6 spellings per the OCPP-J 1.6 errata §5), message, details.
 */
function callError(id: string, e: unknown): unknown[] {
  const err = e as {
    rpcErrorCode?: string;
    rpcErrorMessage?: string;
    message?: string;
    details?: unknown;
  };
  let code = err.rpcErrorCode ?? 'GenericError';
  if (code === 'FormatViolation') code = 'FormationViolation';
  if (code === 'OccurenceConstraintViolation') code = 'OccurrenceConstraintViolation';
  return [4, id, code, err.message || err.rpcErrorMessage || '', err.details ?? {}];
}
