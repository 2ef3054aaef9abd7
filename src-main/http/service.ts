// The headless service: the core, the admin UI over HTTP and the API over WebSocket, without
// Electron. src-main/server.ts is only the process wrapper (signals, exit codes) around runServer,
// so tests run the whole service in-process.
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, ensureWritableDir, StartupError, VERSION, type Core } from '../core';
import { DatabaseOpenError } from '../db/open';
import { BackupFileError, backupsDir, newestBackup, restoreBackupFile } from '../backup/files';
import { systemClock } from '../platform/clock';
import { startDemo, type Demo } from '../sim/demo';
import { createConsoleLogger, type Logger } from '../platform/logger';
import type { Clock } from '../platform/clock';
import { attachApiSocket, type ApiSocketServer } from './api-socket';
import {
  ADMIN_CONNECTION_LIMITS,
  applyConnectionLimits,
  type ConnectionLimits,
} from './connection-limits';
import { createStaticHandler } from './static';
import { createDownloadRoute } from './downloads';
import type { ChargerAddresses } from '../ocpp/charger-addresses';
import { resetAdminPasswordFromCli } from '../users/reset-admin-cli';
import {
  defaultDemoDataDir,
  ENV,
  isLoopback,
  parseServiceArgs,
  USAGE,
  UsageError,
  type ServiceOptions,
} from '../platform/service-options';

export interface Output {
  write(text: string): unknown;
}

export interface ServiceDeps {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  logger?: Logger;
  clock?: Clock;
  stdout?: Output;
  stderr?: Output;
  /** Admin port limits (connection-limits.ts ADMIN_CONNECTION_LIMITS; tests shorten them). */
  connectionLimits?: Partial<ConnectionLimits>;
}

export interface RunningService {
  core: Core;
  options: ServiceOptions;
  /** e.g. http://127.0.0.1:8080/ (the real port when started with --http-port 0). */
  httpUrl: string;
  apiUrl: string;
  /** What chargers on the LAN are given: the same list the UI shows (one URL per address). */
  chargerUrls: ChargerAddresses;
  http: Server;
  api: ApiSocketServer;
  /** Simulated chargers started by --demo. */
  demoChargers: number;
  close(): Promise<void>;
}

export type RunResult = { exitCode: number; service: RunningService | null };

/** Human-readable, actionable text for a port that cannot be bound. */
export function portInUseMessage(port: number, flag: string, envName: string): string {
  return `Port ${port} is already in use. Choose another with ${flag} <port> (or ${envName}).`;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Fails with the operator-facing message when something else already listens on the port. */
export async function assertPortFree(
  port: number,
  host: string,
  flag: string,
  envName: string,
): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ port, host, exclusive: true }, () => resolve());
    });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(portInUseMessage(port, flag, envName));
    }
    // Other problems (EACCES, no such address) are reported by the real listener.
    return;
  } finally {
    await new Promise<void>((resolve) =>
      probe.listening ? probe.close(() => resolve()) : resolve(),
    );
  }
}

/** What to do about a damaged database: the newest backup and the exact command to restore it. */
export function corruptHint(dataDir: string): string {
  const newest = newestBackup(dataDir);
  if (newest === null) {
    return `There is no backup in ${backupsDir(dataDir)}. Move the damaged stratacharge.db away to start with empty data, or restore a copy from elsewhere with --restore <file>.`;
  }
  return [
    `The newest backup is ${join(backupsDir(dataDir), newest.fileName)} (${new Date(newest.createdAt).toISOString()}). Restore it with:`,
    `  npm run server -- --data-dir ${JSON.stringify(dataDir)} --restore ${newest.fileName}`,
    '(the damaged database is kept aside, not deleted).',
  ].join('\n');
}

/** How the browser on this machine reaches the admin UI: a wildcard bind via 127.0.0.1.
 *  (Chargers are given their addresses by ocpp/charger-addresses.ts.) */
export function uiHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Starts core + HTTP + API socket. Throws StartupError (with a hint) for anything the operator
 * can fix: port in use, data directory not writable, corrupt database.
 */
export async function startService(
  options: ServiceOptions,
  deps: ServiceDeps,
): Promise<RunningService> {
  const logger = deps.logger ?? createConsoleLogger(options.logLevel);
  const clock = deps.clock ?? systemClock;
  const stdout = deps.stdout ?? process.stdout;
  ensureWritableDir(options.dataDir);
  if (options.restore !== null) {
    try {
      const r = await restoreBackupFile(options.dataDir, options.restore, { now: clock.now() });
      stdout.write(`Restored ${r.restoredFrom}.\n`);
      if (r.preRestoreBackup) {
        stdout.write(
          `  The previous data was saved as ${join(backupsDir(options.dataDir), r.preRestoreBackup)}\n`,
        );
      }
      if (r.movedAside)
        stdout.write(`  The unreadable previous database was moved to ${r.movedAside}\n`);
    } catch (cause) {
      if (cause instanceof BackupFileError) {
        throw new StartupError(`Cannot restore ${options.restore}: ${cause.message}`);
      }
      throw cause;
    }
  }
  // Checked before the core starts so the operator gets the same message for every port.
  await assertPortFree(options.ocppPort, options.ocppHost, '--ocpp-port', ENV.ocppPort);
  if (options.tlsPort !== null) {
    await assertPortFree(options.tlsPort, options.ocppHost, '--tls-port', ENV.tlsPort);
  }
  let core: Core;
  try {
    core = await createCore({
      dataDir: options.dataDir,
      logger,
      clock,
      ocpp: {
        host: options.ocppHost,
        port: options.ocppPort,
        ...(options.tlsPort !== null
          ? { tlsPort: options.tlsPort, tls: 'self-signed' as const }
          : {}),
        ...(options.commissioningMinutes !== null
          ? { commissioningMinutes: options.commissioningMinutes }
          : {}),
        ...(options.ocppMaxConnectionsPerAddress !== null
          ? { limits: { maxConnectionsPerAddress: options.ocppMaxConnectionsPerAddress } }
          : {}),
      },
    });
  } catch (cause) {
    if (cause instanceof DatabaseOpenError && cause.kind === 'corrupt') {
      throw new StartupError(
        `The database in ${options.dataDir} is damaged (${cause.message}); StrataCharge will not start on it.`,
        corruptHint(options.dataDir),
      );
    }
    if (cause instanceof DatabaseOpenError) throw new StartupError(cause.message);
    throw cause;
  }

  const http = createServer();
  const serveStatic = createStaticHandler(deps.rendererDir);
  const downloads = createDownloadRoute({ core, logger, listenHost: options.httpHost });
  http.on('request', (req, res) => {
    // Streamed downloads first (/download/...), everything else is the UI.
    downloads(req, res)
      .then((handled) => (handled ? undefined : serveStatic(req, res)))
      .catch((cause: unknown) => {
        logger.error('HTTP request failed', { url: req.url, cause });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  // A browser's keep-alive connections would otherwise hold close() open for minutes.
  http.keepAliveTimeout = 5_000;
  applyConnectionLimits(
    http,
    { ...ADMIN_CONNECTION_LIMITS, ...deps.connectionLimits },
    logger,
    'Admin UI port',
  );
  let httpPort: number;
  try {
    httpPort = await listen(http, options.httpPort, options.httpHost);
  } catch (cause) {
    await core.close();
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new StartupError(portInUseMessage(options.httpPort, '--http-port', ENV.httpPort));
    }
    if (code === 'EACCES') {
      throw new StartupError(
        `Not allowed to listen on port ${options.httpPort}.`,
        `Ports below 1024 need administrator rights; choose another with --http-port <port> (or ${ENV.httpPort}).`,
      );
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new StartupError(
        `This machine has no address ${options.httpHost}.`,
        `Choose another with --http-host <address> (or ${ENV.httpHost}).`,
      );
    }
    throw cause;
  }
  const api = attachApiSocket(http, { core, logger, listenHost: options.httpHost });
  let demo: Demo | null = null;
  if (options.demo) {
    try {
      demo = await startDemo(core);
    } catch (cause) {
      await api.close();
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
      await core.close();
      throw new StartupError(`The demo could not start: ${(cause as Error).message}`);
    }
  }

  const host = uiHost(options.httpHost);
  const httpUrl = `http://${host}:${httpPort}/`;
  core.info.httpUrl = httpUrl;

  let closing: Promise<void> | null = null;
  return {
    core,
    options,
    httpUrl,
    apiUrl: `ws://${host}:${httpPort}/api`,
    chargerUrls: core.services.ocpp.chargerAddresses(),
    http,
    api,
    demoChargers: demo?.chargers.length ?? 0,
    close() {
      closing ??= (async () => {
        await demo?.stop();
        await api.close();
        await new Promise<void>((done) => {
          http.close(() => done());
          http.closeAllConnections();
        });
        await core.close();
      })();
      return closing;
    },
  };
}

/** `  OCPP:      first` then the other values aligned under it. */
function labelled(label: string, values: readonly string[]): string[] {
  return values.map((v, i) => `  ${(i === 0 ? label : '').padEnd(11)}${v}`);
}

export function readyText(s: RunningService): string {
  const lines = [
    `StrataCharge ${VERSION} ready`,
    `  Admin UI:  ${s.httpUrl}`,
    ...labelled('OCPP:', s.chargerUrls.ocpp.length ? s.chargerUrls.ocpp : ['(not started)']),
    ...labelled('OCPP TLS:', s.chargerUrls.tls),
  ];
  if (s.demoChargers > 0) {
    lines.push(`  Demo:      ${s.demoChargers} simulated chargers connected`);
    lines.push(
      s.options.dataDir === defaultDemoDataDir()
        ? '             in the demo’s own data folder below (your real data is not touched);'
        : '             in the data folder below, on a site of its own;',
      '             “Remove demo data” on the demo site’s page deletes it all',
    );
  }
  lines.push(`  Data:      ${s.options.dataDir}`);
  if (!isLoopback(s.options.httpHost)) {
    lines.push(
      '',
      `  Warning: the admin UI listens on ${s.options.httpHost}, so other machines on the network can reach its login page.`,
      '  Keep it on 127.0.0.1 unless the network is trusted, and use strong passwords.',
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Parses argv/env and starts the service. Never calls process.exit: returns the exit code (and
 * the running service on success) so server.ts and the tests decide what happens next.
 */
export async function runServer(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  deps: ServiceDeps,
): Promise<RunResult> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  let options: ServiceOptions;
  try {
    options = parseServiceArgs(argv, env);
  } catch (cause) {
    if (!(cause instanceof UsageError)) throw cause;
    stderr.write(`${cause.message}\n\n${USAGE}`);
    return { exitCode: 2, service: null };
  }
  if (options.help) {
    stdout.write(USAGE);
    return { exitCode: 0, service: null };
  }
  if (options.resetAdminPassword !== null) {
    const exitCode = await resetAdminPasswordFromCli(
      options.dataDir,
      options.resetAdminPassword || null,
      { stdout, stderr, clock: deps.clock ?? systemClock },
    );
    return { exitCode, service: null };
  }
  try {
    const service = await startService(options, deps);
    stdout.write(readyText(service));
    return { exitCode: 0, service };
  } catch (cause) {
    if (cause instanceof StartupError) {
      stderr.write(`${cause.message}${cause.hint ? `\n${cause.hint}` : ''}\n`);
      return { exitCode: 1, service: null };
    }
    throw cause;
  }
}

/** out/renderer next to the built out/main/server.js. */
export function builtRendererDir(entryUrl: string): string {
  return fileURLToPath(new URL('../renderer/', entryUrl));
}
