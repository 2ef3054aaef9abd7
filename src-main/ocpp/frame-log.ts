// The message log, one row per exchange: the frames are stored as received/sent; only their
// header is read here (a regex instead of a full JSON.parse + stringify per frame: the log must
// not halve the server's throughput). A CALL waits in the session (s.pending / s.inCall) for
// its answer; the pair is one row, written when the answer passes (or when the call is given
// up: timeout, disconnect, shutdown).
import { redactConfigFrame } from './redact-frames';
import { GIVE_UP_MARGIN_MS, type OcppRuntime } from './runtime';
import type { PendingCall, Session } from './session';

const FRAME_HEAD =
  /^\s*\[\s*([234])\s*,\s*"((?:[^"\\]|\\.){0,100})"\s*(?:,\s*"((?:[^"\\]|\\.){0,100})")?/;
const MAX_LOGGED_FRAME = 100_000;
export const clip = (raw: string) =>
  raw.length > MAX_LOGGED_FRAME ? `${raw.slice(0, MAX_LOGGED_FRAME)}…` : raw;

export type FrameLog = ReturnType<typeof createFrameLog>;

export function createFrameLog(
  rt: Pick<OcppRuntime, 'clock' | 'awaiting' | 'deps' | 'callTimeoutMs' | 'sweepBy'>,
) {
  const { clock, awaiting, callTimeoutMs } = rt;
  const { messageLog } = rt.deps;

  function logFrame(s: Session, raw: string, outbound: boolean) {
    const at = clock.now();
    const m = FRAME_HEAD.exec(raw);
    const messageId = m?.[2] ?? null;
    if (m && messageId !== null) {
      if (m[1] === '2') {
        if (outbound) {
          // Ours: the sweep gives up on it if unanswered (sweeps.ts).
          awaiting.add(s);
          rt.sweepBy(at + callTimeoutMs + GIVE_UP_MARGIN_MS);
        }
        holdCall(s, !outbound, { at, action: m[3] ?? null, messageId, frame: clip(raw) });
        return;
      }
      // An answer completes the other side's call.
      const call = takeCall(s, outbound, messageId);
      if (call) {
        const kind = m[1] === '3' ? 'result' : 'error';
        return logExchange(s, call, outbound ? 'in' : 'out', kind, clip(raw), at);
      }
    }
    // A frame that belongs to no exchange: a late answer (a GetConfiguration's, with secrets
    // in it), or garbage.
    messageLog.log({
      at,
      stationId: s.stationId,
      identity: s.identity,
      direction: outbound ? 'out' : 'in',
      kind: m?.[1] === '3' ? 'result' : 'error',
      action: null,
      messageId,
      payload: clip(redactConfigFrame(raw)),
      response: null,
      respondedAt: null,
    });
  }

  /** An exchange's one log row: the call, and its answer (null when it never came). */
  function logExchange(
    s: Session,
    call: PendingCall,
    direction: 'in' | 'out',
    kind: 'call' | 'result' | 'error',
    response: string | null,
    respondedAt: number | null,
  ) {
    // Only these two carry configuration values (secrets among them: redact-frames.ts).
    const config = call.action === 'ChangeConfiguration' || call.action === 'GetConfiguration';
    messageLog.log({
      at: call.at,
      stationId: s.stationId,
      identity: s.identity,
      direction,
      kind,
      action: call.action,
      messageId: call.messageId,
      payload: config ? redactConfigFrame(call.frame) : call.frame,
      response: config && response !== null ? redactConfigFrame(response) : response,
      respondedAt,
    });
  }

  /** Keeps a call until its answer: the charger's in the session's slot when it is free. */
  function holdCall(s: Session, inbound: boolean, call: PendingCall) {
    if (inbound && s.inCall === null) s.inCall = call;
    else s.pending.set((inbound ? 'i' : 'o') + call.messageId, call);
  }
  /** Takes the call an answer completes: `answerOutbound` = we answer the charger's call. */
  function takeCall(s: Session, answerOutbound: boolean, messageId: string): PendingCall | null {
    if (answerOutbound && s.inCall !== null && s.inCall.messageId === messageId) {
      const call = s.inCall;
      s.inCall = null;
      return call;
    }
    if (s.pending.size === 0) return null;
    const key = (answerOutbound ? 'i' : 'o') + messageId;
    const call = s.pending.get(key);
    if (!call) return null;
    s.pending.delete(key);
    return call;
  }
  const inFlight = (s: Session, messageId: string) =>
    (s.inCall !== null && s.inCall.messageId === messageId) ||
    (s.pending.size > 0 && s.pending.has('i' + messageId));

  /** Logs the session's calls still unanswered (all, or those sent before `before`). */
  function logUnanswered(s: Session, before = Infinity) {
    if (s.inCall !== null && s.inCall.at < before) {
      logExchange(s, s.inCall, 'in', 'call', null, null);
      s.inCall = null;
    }
    for (const [key, call] of s.pending) {
      if (call.at >= before) continue;
      s.pending.delete(key);
      logExchange(s, call, key.startsWith('o') ? 'out' : 'in', 'call', null, null);
    }
  }

  // The lean path (inbound.ts) knows each exchange's messageId and action from its one
  // JSON.parse: its frames are logged without the header regex, the row built once.
  function leanCallIn(s: Session, messageId: string, action: string, raw: string) {
    holdCall(s, true, { at: clock.now(), action, messageId, frame: clip(raw) });
  }
  /**
   * Set while the lean path sends an answer (one object, written in place: no allocation per
   * message); the connection's 'message' listener then logs the frame through `logOutbound`.
   */
  const leanAnswer = { id: null as string | null, kind: 'result' as 'result' | 'error' };
  /** An outbound frame, seen by the connection's 'message' listener. */
  function logOutbound(s: Session, raw: string) {
    const id = leanAnswer.id;
    if (id === null) return logFrame(s, raw, true);
    const call = takeCall(s, true, id);
    if (!call) return logFrame(s, raw, true);
    logExchange(s, call, 'in', leanAnswer.kind, clip(raw), clock.now());
  }

  return {
    logFrame,
    logOutbound,
    holdCall,
    inFlight,
    logUnanswered,
    leanCallIn,
    leanAnswer,
  };
}
