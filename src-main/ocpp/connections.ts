// Charger connections: a session per authenticated connection (the newest per identity wins),
// its frames logged, its CALLs answered (inbound.ts), station.connected / .disconnected
// published in order with its other events; and closing connections in bulk (a restore, deleted
// stations, shutdown).
import type { createHandlers16 } from './handlers-16';
import type { FrameLog } from './frame-log';
import type { Inbound } from './inbound';
import { OutboundQueue } from './outbound-queue';
import { closeFailed, plainIp, type OcppRuntime } from './runtime';
import type { Handshake } from './server';
import type { RpcClientLike, Session } from './session';

export type Connections = ReturnType<typeof createConnections>;

export function createConnections(
  rt: OcppRuntime,
  handlers: ReturnType<typeof createHandlers16>,
  frameLog: FrameLog,
  inbound: Inbound,
) {
  const { clock, logger, store, sessions, byActivity, awaiting } = rt;
  const { domainEvents } = rt.seams;
  const { logFrame, logOutbound, logUnanswered } = frameLog;
  const { answer, leanInboundCalls } = inbound;

  /** Through the group commit, so that it keeps its place among the station's other events. */
  function setConnected(s: Session, connected: boolean) {
    const e = {
      stationId: s.stationId,
      siteId: s.siteId,
      identity: s.identity,
      at: clock.now(),
    };
    store.groupThen(
      () =>
        domainEvents.publish(
          connected ? { type: 'station.connected', ...e } : { type: 'station.disconnected', ...e },
        ),
      () => {},
    );
  }

  function onClient(raw: unknown) {
    const client = raw as RpcClientLike & {
      identity: string;
      session: { stationId: number; siteId: number; epoch: number };
      handshake: Handshake;
    };
    if (client.session.epoch !== rt.dataEpoch) {
      // Authenticated against data a restore has since replaced: it reconnects and is checked
      // against the restored data.
      void client.close({ code: 1012, reason: 'Data restored', force: true }).catch(closeFailed);
      return;
    }
    const now = clock.now();
    const sock = client.handshake.request.socket as { encrypted?: boolean; localAddress?: string };
    const s: Session = {
      identity: client.identity,
      stationId: client.session.stationId,
      siteId: client.session.siteId,
      client,
      tls: Boolean(sock.encrypted),
      ip: plainIp(client.handshake.remoteAddress),
      localAddress: plainIp(sock.localAddress),
      connectedAt: now,
      lastMessageAt: now,
      booted: false,
      inCall: null,
      pending: new Map(),
      outbound: new OutboundQueue(),
      closed: false,
      bootRequestedAt: null,
      closeAfterAnswer: null,
      flooded: false,
      leanCalls: -1,
      prevActive: null,
      nextActive: null,
      listed: false,
      epoch: rt.dataEpoch,
    };
    // One live connection per identity: the newest wins (a charger that reconnects after a
    // network blip often does so before the old TCP connection has timed out).
    const old = sessions.get(s.identity);
    sessions.set(s.identity, s);
    byActivity.touch(s);
    if (old) {
      old.closed = true;
      byActivity.delete(old);
      logger.info('charger reconnected; closing its previous connection', { identity: s.identity });
      void old.client
        .close({ code: 1000, reason: 'Replaced by a new connection' })
        .catch(closeFailed);
    }
    const heard = () => {
      s.lastMessageAt = clock.now();
      store.touch(s.stationId, s.lastMessageAt, false);
      if (!s.closed) byActivity.touch(s);
    };
    client.on('message', (e: { message: string | Buffer; outbound: boolean }) => {
      const text = typeof e.message === 'string' ? e.message : e.message.toString('utf8');
      if (!e.outbound) {
        heard();
        return logFrame(s, text, false);
      }
      logOutbound(s, text);
      if (s.closeAfterAnswer !== null && /^\s*\[\s*[34]/.test(text)) {
        const reason = s.closeAfterAnswer;
        s.closeAfterAnswer = null;
        // After the frame is on its way (ws keeps order: the close frame follows it).
        setImmediate(() => void client.close({ code: 1000, reason }).catch(closeFailed));
      }
    });
    client.once('close', () => {
      s.closed = true;
      byActivity.delete(s);
      awaiting.delete(s);
      logUnanswered(s);
      if (sessions.get(s.identity) === s) {
        sessions.delete(s.identity);
        setConnected(s, false);
        logger.info('charger disconnected', { identity: s.identity });
      }
    });
    for (const action of Object.keys(handlers)) {
      client.handle(action, ({ params }) => answer(s, action, params));
    }
    leanInboundCalls(client, s, heard);
    rt.updateStation(s.stationId, { lastSeenAt: now, lastIp: s.ip, ocppVersion: '1.6' });
    setConnected(s, true);
    logger.info('charger connected', { identity: s.identity, ip: s.ip, tls: s.tls });
  }

  /**
   * Closes every charger connection at once, because a restore replaced the data they were
   * authenticated against: each reconnects and is authenticated, and its messages attributed,
   * against the data as it is now. Calls in flight are logged unanswered (ours fail with
   * "disconnected"), queued writes refused (inbound.ts run()). Returns how many were closed.
   */
  function dropAllConnections(reason: string): number {
    rt.dataEpoch++;
    const all = [...sessions.values()];
    sessions.clear();
    byActivity.clear();
    awaiting.clear();
    for (const s of all) {
      s.closed = true;
      logUnanswered(s);
      // force: the socket is terminated now, so no frame of it is handled after this.
      void s.client.close({ code: 1012, reason, force: true }).catch(() => undefined);
    }
    if (all.length > 0)
      logger.warn('all charger connections closed', { reason, count: all.length });
    return all.length;
  }

  /** Closes the connections of these stations (their records are being deleted). */
  function dropStations(stationIds: ReadonlySet<number>, reason: string): number {
    let closed = 0;
    for (const s of [...sessions.values()]) {
      if (!stationIds.has(s.stationId)) continue;
      sessions.delete(s.identity);
      byActivity.delete(s);
      awaiting.delete(s);
      s.closed = true;
      logUnanswered(s);
      void s.client.close({ code: 1000, reason, force: true }).catch(() => undefined);
      closed++;
    }
    return closed;
  }

  /** Shutdown: every session ends (its calls logged unanswered); the listeners close them. */
  function forgetAll(): void {
    for (const s of sessions.values()) {
      s.closed = true;
      logUnanswered(s);
    }
    sessions.clear();
    byActivity.clear();
    awaiting.clear();
  }

  return { onClient, setConnected, dropAllConnections, dropStations, forgetAll };
}
