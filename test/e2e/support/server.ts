// Starts the BUILT headless service (`node out/main/server.js`) as a child process on free ports
// with its own temp data directory, and returns its URLs parsed from the "ready" banner.
// Framework-free: used by the Playwright specs and by the vitest service tests.
//
//   const svc = await startService();            // fresh data dir
//   await page.goto(svc.httpUrl);
//   await svc.stop();                            // SIGTERM, waits for exit 0
//   const again = await startService({ dataDir: svc.dataDir });   // same data, new process
//   await again.stop({ removeData: true });
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_JS = fileURLToPath(new URL('../../../out/main/server.js', import.meta.url));

export interface StartOptions {
  /** Reuse a data directory (e.g. to restart on the same data); default: a new temp dir. */
  dataDir?: string;
  /** Extra flags, e.g. ['--demo'] or ['--commissioning', '10']. */
  args?: string[];
  env?: Record<string, string>;
  /** How long to wait for the ready banner. */
  timeoutMs?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234/ */
  httpUrl: string;
  /** e.g. ws://127.0.0.1:41234/api */
  apiUrl: string;
  /** As printed, e.g. ws://192.168.1.5:41235/ocpp/{chargeBoxId} */
  ocppUrl: string;
  /** ws://127.0.0.1:<port>/ocpp/ — append the charge box id (simulators connect here). */
  ocppBaseUrl: string;
  ocppTlsUrl: string | null;
  /** Every address the banner prints for chargers (one per LAN address), ws:// then wss://. */
  chargerUrls: { ocpp: string[]; tls: string[] };
  dataDir: string;
  process: ChildProcess;
  /** Everything the service wrote so far (stdout + stderr), for failure messages. */
  output(): string;
  /** SIGTERM and wait for the exit code (SIGKILL after the timeout). */
  stop(opts?: { removeData?: boolean; timeoutMs?: number }): Promise<number | null>;
}

export class ServiceStartError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'stratacharge-e2e-'));
}

/** A banner field and its continuation lines (aligned under the first value). */
function fieldLines(banner: string, label: string): string[] {
  const lines = banner.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*${label}:\\s+\\S`).test(l));
  if (start < 0) return [];
  const values = [lines[start]?.replace(/^\s*[^:]+:\s+/, '').trim() ?? ''];
  for (let i = start + 1; /^ {13}\S/.test(lines[i] ?? ''); i++) values.push(lines[i]?.trim() ?? '');
  return values;
}

function field(banner: string, label: string): string | null {
  const m = new RegExp(`^\\s*${label}:\\s+(\\S+)\\s*$`, 'm').exec(banner);
  return m?.[1] ?? null;
}

export async function startService(opts: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(SERVER_JS)) {
    throw new Error(
      `${SERVER_JS} is missing: run \`npm run build\` first (npm run test:e2e does).`,
    );
  }
  const dataDir = opts.dataDir ?? newDataDir();
  const child = spawn(
    process.execPath,
    [
      SERVER_JS,
      '--data-dir',
      dataDir,
      '--http-port',
      '0',
      '--ocpp-port',
      '0',
      ...(opts.args ?? []),
    ],
    {
      env: { ...process.env, STRATACHARGE_LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let all = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    all += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    all += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const banner = await new Promise<string>((done, fail) => {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new ServiceStartError(`service not ready after ${timeoutMs} ms:\n${all}`, null, all));
    }, timeoutMs);
    const check = () => {
      // The banner ends with the Data line.
      if (/^\s*Data:\s+\S.*$/m.test(stdout)) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        done(stdout);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(
        new ServiceStartError(`service exited with code ${code} before ready:\n${all}`, code, all),
      );
    });
  });

  const httpUrl = field(banner, 'Admin UI');
  const ocppUrl = field(banner, 'OCPP');
  if (httpUrl === null || ocppUrl === null) {
    child.kill('SIGKILL');
    throw new ServiceStartError(`unexpected ready banner:\n${banner}`, null, all);
  }
  const ocppPort = new URL(ocppUrl.replace('{chargeBoxId}', 'x')).port;
  const ocppPath = new URL(ocppUrl.replace('{chargeBoxId}', 'x')).pathname.replace(/x$/, '');

  let stopped: Promise<number | null> | null = null;
  return {
    httpUrl,
    apiUrl: httpUrl.replace(/^http/, 'ws') + 'api',
    ocppUrl,
    ocppBaseUrl: `ws://127.0.0.1:${ocppPort}${ocppPath}`,
    ocppTlsUrl: field(banner, 'OCPP TLS'),
    chargerUrls: { ocpp: fieldLines(banner, 'OCPP'), tls: fieldLines(banner, 'OCPP TLS') },
    dataDir,
    process: child,
    output: () => all,
    stop({ removeData = false, timeoutMs = 10_000 } = {}) {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const code = await exited;
        clearTimeout(timer);
        if (removeData) rmSync(dataDir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}
