// Command line of the headless service: every flag has an environment alternative, so the service
// can be configured from a systemd unit or a container without a wrapper script.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import envPaths from 'env-paths';
import type { LogLevel } from '../platform/logger';

export interface ServiceOptions {
  dataDir: string;
  ocppPort: number;
  ocppHost: string;
  httpPort: number;
  httpHost: string;
  /** Port of the optional wss:// listener (OCPP security profile 2); null = no TLS. */
  tlsPort: number | null;
  /** Opens the commissioning window (unknown chargers may register) for this many minutes. */
  commissioningMinutes: number | null;
  /** Open connections per source address on the OCPP port(s); null = the default (256). */
  ocppMaxConnectionsPerAddress: number | null;
  demo: boolean;
  /** A backup to restore over the database before starting: a name in <data-dir>/backups or a path. */
  restore: string | null;
  logLevel: LogLevel;
  /** --reset-admin-password: null = not asked; '' = the only administrator; else their email. */
  resetAdminPassword: string | null;
  help: boolean;
}

/** A bad flag or value: the message is shown with the usage text, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const ENV = {
  dataDir: 'STRATACHARGE_DATA_DIR',
  ocppPort: 'STRATACHARGE_OCPP_PORT',
  ocppHost: 'STRATACHARGE_OCPP_HOST',
  httpPort: 'STRATACHARGE_HTTP_PORT',
  httpHost: 'STRATACHARGE_HTTP_HOST',
  tlsPort: 'STRATACHARGE_TLS_PORT',
  ocppMaxConnections: 'STRATACHARGE_OCPP_MAX_CONNECTIONS_PER_ADDRESS',
  commissioning: 'STRATACHARGE_COMMISSIONING',
  demo: 'STRATACHARGE_DEMO',
  restore: 'STRATACHARGE_RESTORE',
  logLevel: 'STRATACHARGE_LOG_LEVEL',
  resetAdminPassword: 'STRATACHARGE_RESET_ADMIN_PASSWORD',
} as const;

export const DEFAULTS = {
  ocppPort: 9000,
  ocppHost: '0.0.0.0',
  httpPort: 8080,
  httpHost: '127.0.0.1',
  logLevel: 'info',
} as const;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLevel[];
const isLogLevel = (s: string): s is LogLevel => (LOG_LEVELS as readonly string[]).includes(s);

/** The per-user data folder: ~/.local/share/StrataCharge, %APPDATA%\StrataCharge\Data, ... */
export function defaultDataDir(): string {
  return envPaths('StrataCharge', { suffix: '' }).data;
}

/** Where --demo keeps its data unless a data directory is named: beside the real one, never in
 *  it, so trying the demo leaves the building's records untouched. */
export function defaultDemoDataDir(): string {
  return `${defaultDataDir()}-demo`;
}

export const USAGE = `Usage: node out/main/server.js [options]      (or: npm run server -- [options])

Runs StrataCharge without a window: the OCPP server for the chargers and the admin UI in a browser.

Options (each also read from the environment variable shown):
  --data-dir <path>         Database, backups, certificates      STRATACHARGE_DATA_DIR
                            (default: ${defaultDataDir()})
  --ocpp-port <port>        OCPP WebSocket port (0 = any free)   STRATACHARGE_OCPP_PORT   (default ${DEFAULTS.ocppPort})
  --ocpp-host <address>     OCPP listen address                  STRATACHARGE_OCPP_HOST   (default ${DEFAULTS.ocppHost})
  --http-port <port>        Admin UI / API port (0 = any free)   STRATACHARGE_HTTP_PORT   (default ${DEFAULTS.httpPort})
  --http-host <address>     Admin UI listen address              STRATACHARGE_HTTP_HOST   (default ${DEFAULTS.httpHost})
  --tls-port <port>         Also listen for wss:// on this port  STRATACHARGE_TLS_PORT
  --ocpp-max-connections-per-address <n>
                            Connections one address may hold on  STRATACHARGE_OCPP_MAX_CONNECTIONS_PER_ADDRESS
                            the OCPP port (chargers behind one   (default 256)
                            NAT router share an address)
  --commissioning <min>     Accept unknown chargers for <min>    STRATACHARGE_COMMISSIONING
  --demo                    Start simulated chargers             STRATACHARGE_DEMO=1
                            (own data: ${defaultDemoDataDir()},
                            unless --data-dir is given)
  --restore <backup file>   Restore this backup, then start      STRATACHARGE_RESTORE
  --log-level <level>       debug | info | warn | error          STRATACHARGE_LOG_LEVEL   (default ${DEFAULTS.logLevel})
  --reset-admin-password [email]
                            Print a one-time password for this   STRATACHARGE_RESET_ADMIN_PASSWORD
                            administrator (email optional when   (=<email>, or 1 for the only one)
                            there is only one), then exit
  -h, --help                Show this help
`;

function parsePort(raw: string, flag: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new UsageError(`${flag} must be a port number from 0 to 65535, not “${raw}”.`);
  }
  return Number(raw);
}

function parseBoolEnv(raw: string | undefined): boolean {
  return raw !== undefined && /^(1|true|yes|on)$/i.test(raw.trim());
}

/** Flags win over environment variables, which win over defaults. */
export function parseServiceArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ServiceOptions {
  let values;
  // --reset-admin-password takes an optional email; parseArgs needs a value, so a bare flag
  // (last, or followed by another flag) gets an empty one.
  const args = argv.flatMap((a, i) =>
    a === '--reset-admin-password' && (argv[i + 1] === undefined || argv[i + 1]?.startsWith('-'))
      ? [a, '']
      : [a],
  );
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        'ocpp-port': { type: 'string' },
        'ocpp-host': { type: 'string' },
        'http-port': { type: 'string' },
        'http-host': { type: 'string' },
        'tls-port': { type: 'string' },
        'ocpp-max-connections-per-address': { type: 'string' },
        commissioning: { type: 'string' },
        demo: { type: 'boolean' },
        restore: { type: 'string' },
        'log-level': { type: 'string' },
        'reset-admin-password': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (cause) {
    // parseArgs' messages name the flag ("Unknown option '--foo'"); keep them.
    throw new UsageError((cause as Error).message);
  }
  const pick = (flag: string | undefined, envName: string): string | undefined => {
    if (flag !== undefined) return flag;
    const fromEnv = env[envName];
    return fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim();
  };

  const dataDir = pick(values['data-dir'], ENV.dataDir);
  const tlsPort = pick(values['tls-port'], ENV.tlsPort);
  const commissioning = pick(values.commissioning, ENV.commissioning);
  const restore = pick(values.restore, ENV.restore);
  const maxConnections = pick(values['ocpp-max-connections-per-address'], ENV.ocppMaxConnections);
  if (
    maxConnections !== undefined &&
    (!/^\d{1,6}$/.test(maxConnections) || Number(maxConnections) < 1)
  )
    throw new UsageError(
      `--ocpp-max-connections-per-address takes a number of connections (1 or more), not “${maxConnections}”.`,
    );
  const logLevel = pick(values['log-level'], ENV.logLevel) ?? DEFAULTS.logLevel;
  if (!isLogLevel(logLevel)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not “${logLevel}”.`);
  }
  let commissioningMinutes: number | null = null;
  if (commissioning !== undefined) {
    if (!/^\d{1,4}$/.test(commissioning) || Number(commissioning) < 1) {
      throw new UsageError(
        `--commissioning takes a number of minutes (1 to 9999), not “${commissioning}”.`,
      );
    }
    commissioningMinutes = Number(commissioning);
  }
  const httpHost = pick(values['http-host'], ENV.httpHost) ?? DEFAULTS.httpHost;
  const ocppHost = pick(values['ocpp-host'], ENV.ocppHost) ?? DEFAULTS.ocppHost;
  if (dataDir === '') throw new UsageError('--data-dir must not be empty.');
  let resetAdminPassword = values['reset-admin-password'] ?? null;
  const resetFromEnv = env[ENV.resetAdminPassword]?.trim();
  if (resetAdminPassword === null && resetFromEnv && !/^(0|false|no|off)$/i.test(resetFromEnv)) {
    resetAdminPassword = parseBoolEnv(resetFromEnv) ? '' : resetFromEnv;
  }
  if (resetAdminPassword && !resetAdminPassword.includes('@')) {
    throw new UsageError(
      `--reset-admin-password takes an administrator's email (or nothing when there is only one), not “${resetAdminPassword}”.`,
    );
  }

  const demo = values.demo ?? parseBoolEnv(env[ENV.demo]);
  return {
    dataDir: resolve(dataDir ?? (demo ? defaultDemoDataDir() : defaultDataDir())),
    ocppPort: parsePort(
      pick(values['ocpp-port'], ENV.ocppPort) ?? String(DEFAULTS.ocppPort),
      '--ocpp-port',
    ),
    ocppHost,
    httpPort: parsePort(
      pick(values['http-port'], ENV.httpPort) ?? String(DEFAULTS.httpPort),
      '--http-port',
    ),
    httpHost,
    tlsPort: tlsPort === undefined ? null : parsePort(tlsPort, '--tls-port'),
    commissioningMinutes,
    ocppMaxConnectionsPerAddress: maxConnections === undefined ? null : Number(maxConnections),
    demo,
    // Kept as given: a bare name means a file in <data-dir>/backups, a path is used as is.
    restore: restore ?? null,
    logLevel,
    resetAdminPassword,
    help: values.help ?? false,
  };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
