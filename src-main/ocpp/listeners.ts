// The OCPP listeners: plain ws:// and, when configured, wss:// (TLS from files, imported, or a
// self-signed certificate naming the LAN addresses), with their connection limits; the TLS
// status and certificate changes the settings page makes while they run.
import { readFileSync } from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { RPCServer } from 'ocpp-rpc';
import { ApiFailure } from '../../src-shared/api/result';
import type { TlsStatus } from '../../src-shared/ocpp/types';
import { chargerAddresses, lanHosts } from './charger-addresses';
import { bracket, type OcppRuntime } from './runtime';
import { closeServer, createRpcServer, listen, type ListenerDeps } from './server';
import {
  checkPair,
  generateSelfSigned,
  readStoredTls,
  storeTls,
  tlsStatus,
  type TlsMaterial,
} from './tls';

export function createListeners(rt: OcppRuntime, deps: ListenerDeps) {
  const { clock, limits, options, listeners, callTimeoutMs } = rt;
  const { dataDir, info } = rt.seams;
  const connectionLimits = {
    maxPerAddress: limits.maxConnectionsPerAddress,
    idleMs: limits.idleTimeoutMs,
    headersMs: limits.handshakeTimeoutMs,
    // File uploads (50 MiB at most) on a slow link.
    requestMs: 300_000,
  };
  let rpc: RPCServer | null = null;
  let tlsMaterial: TlsMaterial | null = null;

  function tlsUrl(): string | null {
    const secure = listeners.secure;
    return secure ? `wss://${bracket(displayHost())}:${secure.port}/ocpp` : null;
  }
  function displayHost() {
    const h = options?.host ?? '127.0.0.1';
    return h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h;
  }
  function getTlsStatus(): TlsStatus {
    return tlsStatus(
      tlsMaterial ?? readStoredTls(dataDir),
      listeners.secure?.port ?? null,
      tlsUrl(),
    );
  }
  function installTls(m: TlsMaterial) {
    storeTls(dataDir, m);
    tlsMaterial = m;
    const secure = listeners.secure;
    if (secure) (secure.server as HttpsServer).setSecureContext({ cert: m.cert, key: m.key });
  }

  async function start(): Promise<void> {
    if (!options) return;
    const now = clock.now();
    rpc = createRpcServer(
      deps,
      callTimeoutMs,
      options.pingIntervalMs ?? 30_000,
      limits.maxFrameBytes,
    );
    let plain;
    try {
      plain = await listen(rpc, deps, options.host, options.port, null, connectionLimits);
    } catch (e) {
      throw Object.assign(
        new Error(
          `OCPP port ${options.port} on ${options.host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        ),
        {
          code: (e as NodeJS.ErrnoException).code,
          port: options.port,
          flag: '--ocpp-port',
          env: 'STRATACHARGE_OCPP_PORT',
        },
      );
    }
    listeners.plain = plain;
    info.ocppUrl = `ws://${bracket(displayHost())}:${plain.port}/ocpp`;
    if (options.tlsPort === undefined) return;
    if (options.tls && options.tls !== 'self-signed') {
      tlsMaterial = {
        cert: readFileSync(options.tls.certFile, 'utf8'),
        key: readFileSync(options.tls.keyFile, 'utf8'),
        source: 'file',
      };
    } else {
      tlsMaterial = readStoredTls(dataDir);
      if (!tlsMaterial) {
        const lan = lanHosts(options.host);
        tlsMaterial = await generateSelfSigned(lan[0] ?? displayHost(), now, lan);
        storeTls(dataDir, tlsMaterial);
      }
    }
    try {
      listeners.secure = await listen(
        rpc,
        deps,
        options.host,
        options.tlsPort,
        tlsMaterial,
        connectionLimits,
      );
    } catch (e) {
      await closeServer(plain.server);
      throw Object.assign(
        new Error(
          `OCPP TLS port ${options.tlsPort} on ${options.host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        ),
        {
          code: (e as NodeJS.ErrnoException).code,
          port: options.tlsPort,
          flag: '--tls-port',
          env: 'STRATACHARGE_TLS_PORT',
        },
      );
    }
    info.ocppTlsUrl = tlsUrl();
  }

  async function stop(): Promise<void> {
    if (rpc)
      await rpc
        .close({ code: 1001, reason: 'Server shutting down', force: true })
        .catch(() => undefined);
    if (listeners.plain) await closeServer(listeners.plain.server);
    if (listeners.secure) await closeServer(listeners.secure.server);
    listeners.plain = listeners.secure = null;
    rpc = null;
  }

  return {
    start,
    stop,
    getTlsStatus,
    /** What to type into a charger: every LAN address of the running listeners (read live:
     *  a DHCP lease may change while the service runs). */
    chargerAddresses() {
      return chargerAddresses({
        host: options?.host ?? '127.0.0.1',
        port: listeners.plain?.port ?? null,
        tlsPort: listeners.secure?.port ?? null,
      });
    },
    importTls(certPem: string, keyPem: string): TlsStatus {
      try {
        checkPair(certPem, keyPem);
      } catch (e) {
        throw new ApiFailure('validation', (e as Error).message);
      }
      installTls({ cert: certPem, key: keyPem, source: 'imported' });
      return getTlsStatus();
    },
    async generateTls(commonName?: string): Promise<TlsStatus> {
      const lan = lanHosts(options?.host ?? '127.0.0.1');
      installTls(await generateSelfSigned(commonName ?? lan[0] ?? displayHost(), clock.now(), lan));
      return getTlsStatus();
    },
  };
}
