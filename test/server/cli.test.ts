// The headless service's command line and start-up failures, as an operator meets them.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parseServiceArgs, USAGE, UsageError } from '../../src-main/platform/service-options';
import { runServer } from '../../src-main/http/service';
import { backupsDir, databaseFile, newBackupName } from '../../src-main/backup/files';
import { createMemoryLogger } from '../../src-main/platform/logger';
import { aSetup } from '../support/factories';
import { Capture, fakeRendererBuild, openApi, tempDir } from './support';

async function occupiedPort(): Promise<number> {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const address = blocker.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function run(args: string[], env: Record<string, string> = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const { rendererDir } = fakeRendererBuild();
  const result = await runServer(args, env, {
    rendererDir,
    stdout,
    stderr,
    logger: createMemoryLogger(),
  });
  const svc = result.service;
  if (svc) onTestFinished(() => svc.close());
  return {
    ...result,
    stdout: stdout.text,
    stderr: stderr.text,
    close: async () => svc?.close(),
  };
}

/** A start on a fresh data directory with ports the OS picks, unless given, then `extra`. */
function flags(
  opts: { dataDir?: string; httpPort?: number; ocppPort?: number } = {},
  ...extra: string[]
): string[] {
  return [
    '--data-dir',
    opts.dataDir ?? tempDir('data'),
    '--http-port',
    String(opts.httpPort ?? 0),
    '--ocpp-port',
    String(opts.ocppPort ?? 0),
    ...extra,
  ];
}

describe('parseServiceArgs', () => {
  it('uses defaults, then environment variables, then flags', () => {
    const defaults = parseServiceArgs([], {});
    expect(defaults).toMatchObject({
      ocppPort: 9000,
      ocppHost: '0.0.0.0',
      httpPort: 8080,
      httpHost: '127.0.0.1',
      tlsPort: null,
      demo: false,
      logLevel: 'info',
    });
    expect(defaults.dataDir).toMatch(/StrataCharge$/);
    expect(defaults.ocppMaxConnectionsPerAddress).toBeNull();
    expect(
      parseServiceArgs(['--ocpp-max-connections-per-address', '1000'], {})
        .ocppMaxConnectionsPerAddress,
    ).toBe(1000);
    expect(() =>
      parseServiceArgs([], { STRATACHARGE_OCPP_MAX_CONNECTIONS_PER_ADDRESS: 'lots' }),
    ).toThrow(UsageError);

    const env = {
      STRATACHARGE_HTTP_PORT: '9090',
      STRATACHARGE_DEMO: '1',
      STRATACHARGE_DATA_DIR: '/srv/sc',
    };
    expect(parseServiceArgs([], env)).toMatchObject({
      httpPort: 9090,
      demo: true,
      dataDir: '/srv/sc',
    });
    expect(parseServiceArgs(['--http-port', '7000', '--commissioning', '30'], env)).toMatchObject({
      httpPort: 7000,
      commissioningMinutes: 30,
    });
  });

  it('keeps --demo in its own data folder unless one is named, so real data is never touched', () => {
    const real = parseServiceArgs([], {}).dataDir;
    const demo = parseServiceArgs(['--demo'], {}).dataDir;
    expect(demo).toBe(`${real}-demo`);
    expect(parseServiceArgs([], { STRATACHARGE_DEMO: '1' }).dataDir).toBe(demo);
    expect(parseServiceArgs(['--demo', '--data-dir', '/srv/try'], {}).dataDir).toBe('/srv/try');
    expect(USAGE).toContain(demo);
  });

  it.each([
    [['--nope'], /Unknown option '--nope'/],
    [['--http-port', 'eighty'], /--http-port must be a port number/],
    [['--ocpp-port', '70000'], /--ocpp-port must be a port number/],
    [['--log-level', 'loud'], /--log-level must be one of/],
    [['--commissioning', '0'], /--commissioning takes a number of minutes/],
    [['stray'], /Unexpected argument/],
  ])('rejects %j', (args, message) => {
    expect(() => parseServiceArgs(args, {})).toThrow(UsageError);
    expect(() => parseServiceArgs(args, {})).toThrow(message);
  });
});

describe('runServer start-up', () => {
  it('prints the message and the usage for a bad flag, exit code 2', async () => {
    const r = await run(['--http-prot', '80']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("Unknown option '--http-prot'");
    expect(r.stderr).toContain('Usage:');
    expect(r.service).toBeNull();
  });

  it('prints the usage for --help, exit code 0', async () => {
    const r = await run(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('--data-dir <path>');
    expect(r.stdout).toContain('STRATACHARGE_HTTP_PORT');
  });

  it('prints where to find the UI, the OCPP endpoint and the data once ready', async () => {
    const dataDir = tempDir('data');
    const r = await run(flags({ dataDir }));
    try {
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^StrataCharge \d+\.\d+\.\d+ ready\n/);
      expect(r.stdout).toMatch(/^ {2}Admin UI: {2}http:\/\/127\.0\.0\.1:\d+\/$/m);
      // The real port of the OCPP listener (started on port 0), with the charge box placeholder.
      expect(r.stdout).toMatch(/^ {2}OCPP: {6}ws:\/\/\S+:[1-9]\d*\/ocpp\/\{chargeBoxId\}$/m);
      expect(r.stdout).not.toContain('OCPP TLS');
      expect(r.stdout).toContain(`  Data:      ${dataDir}\n`);
      expect(r.stdout).not.toContain('Warning');
    } finally {
      await r.close();
    }
  });

  it('warns when the admin UI listens beyond this machine', async () => {
    const r = await run(flags({}, '--http-host', '0.0.0.0'));
    try {
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Warning: the admin UI listens on 0.0.0.0');
    } finally {
      await r.close();
    }
  });

  it('names the port and the flag when the HTTP port is taken, exit code 1', async () => {
    const port = await occupiedPort();
    const r = await run(flags({ httpPort: port }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `Port ${port} is already in use. Choose another with --http-port <port> (or STRATACHARGE_HTTP_PORT).\n`,
    );
  });

  it('names the port and the flag when the OCPP port is taken, exit code 1', async () => {
    const port = await occupiedPort();
    const r = await run(flags({ ocppPort: port }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      `Port ${port} is already in use. Choose another with --ocpp-port <port> (or STRATACHARGE_OCPP_PORT).\n`,
    );
  });

  it('adds a wss:// line when a TLS port is given', async () => {
    const r = await run(flags({}, '--tls-port', '0'));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ {2}OCPP TLS: {2}wss:\/\/\S+:[1-9]\d*\/ocpp\/\{chargeBoxId\}$/m);
  });

  it('connects simulated chargers with --demo', async () => {
    const r = await run(flags({}, '--demo'));
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ {2}Demo: {6}6 simulated chargers connected$/m);
    expect(r.stdout).toContain('“Remove demo data” on the demo site’s page deletes it all');
    const ocpp = r.service?.core.services.ocpp;
    expect(ocpp?.isConnected('DEMO-B1-01')).toBe(true);
    await r.close();
    expect(ocpp?.isConnected('DEMO-B1-01')).toBe(false);
  });

  it('explains a data directory it cannot write to, exit code 1', async () => {
    const base = tempDir('data');
    const file = join(base, 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await run(flags({ dataDir: join(file, 'sub') }));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`The data directory ${join(file, 'sub')} is not writable`);
    expect(r.stderr).toContain('--data-dir <path>');
  });

  it('refuses a damaged database, naming the newest backup and the restore command; --restore recovers', async () => {
    const dataDir = tempDir('data');
    // Real data and a real backup of it, then the live file is damaged.
    const first = await run(flags({ dataDir }));
    if (!first.service) throw new Error(first.stderr);
    const api = await openApi(first.service);
    expect((await api.call('setup-complete', aSetup())).ok).toBe(true);
    mkdirSync(backupsDir(dataDir), { recursive: true });
    const backupName = newBackupName(dataDir, Date.now(), 'manual');
    await first.service.core.db.$client.backup(join(backupsDir(dataDir), backupName));
    await first.close();
    writeFileSync(databaseFile(dataDir), Buffer.alloc(8192, 0x42));

    const refused = await run(flags({ dataDir }));
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`The database in ${dataDir} is damaged`);
    expect(refused.stderr).toContain(backupName);
    expect(refused.stderr).toContain(`--restore ${backupName}`);

    const restored = await run(flags({ dataDir }, '--restore', backupName));
    try {
      expect(restored.exitCode).toBe(0);
      expect(restored.stdout).toContain(`Restored ${join(backupsDir(dataDir), backupName)}`);
      const service = restored.service;
      if (!service) throw new Error(restored.stderr);
      const again = await openApi(service);
      expect(await again.call('setup-status')).toMatchObject({
        ok: true,
        value: { needsSetup: false },
      });
    } finally {
      await restored.close();
    }
  });
});
