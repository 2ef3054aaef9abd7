// `npm run simulate -- --url ws://127.0.0.1:9000/ocpp --count N`: N simulated chargers that
// boot, report status, and charge in turns. Ctrl-C stops them.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SimCharger } from './charger';
import { startWithRetry } from './start-with-retry';

const HELP = `StrataCharge charger simulator (OCPP 1.6J)

  --url <ws(s)://host:port/ocpp>   central system endpoint (default ws://127.0.0.1:9000/ocpp)
  --count <n>                      number of chargers (default 1)
  --identity-prefix <text>         identities are <prefix><n> (default SIM-)
  --password <text>                Basic-auth password (security profile 1/2)
  --ca <file>                      PEM CA certificate to trust for wss
  --connectors <n>                 connectors per charger (default 1)
  --interval <seconds>             meter sample interval (default 60)
  --id-tag <text>                  RFID tag the simulated drivers use (default SIM-TAG)
`;

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:9000/ocpp' },
      count: { type: 'string', default: '1' },
      'identity-prefix': { type: 'string', default: 'SIM-' },
      password: { type: 'string' },
      ca: { type: 'string' },
      connectors: { type: 'string', default: '1' },
      interval: { type: 'string', default: '60' },
      'id-tag': { type: 'string', default: 'SIM-TAG' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const count = Math.max(1, Number(values.count) || 1);
  const connectors = Math.max(1, Number(values.connectors) || 1);
  const interval = Math.max(1, Number(values.interval) || 60);
  const ca = values.ca ? readFileSync(values.ca, 'utf8') : undefined;
  const chargers: SimCharger[] = [];
  const stopping = new AbortController();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  for (let i = 1; i <= count; i++) {
    const c = new SimCharger({
      url: values.url,
      identity: `${values['identity-prefix']}${i}`,
      password: values.password,
      ca,
      connectors,
      meterIntervalSeconds: interval,
      reconnect: true,
    });
    chargers.push(c);
    // Each charger retries on its own (refused, Pending, server down), like real ones do;
    // heartbeats run at the interval the server gave in BootNotification.
    void startWithRetry(c, { log, signal: stopping.signal }).then(async (accepted) => {
      if (!accepted) return;
      await c.startTransaction(1, values['id-tag']).catch(() => undefined);
      c.config.set('MeterValueSampleInterval', { value: String(interval), readonly: false });
      c.startMeterLoop();
    });
  }
  const stop = async () => {
    stopping.abort();
    for (const c of chargers) {
      for (let n = 1; n <= c.connectors.length; n++) {
        if (c.connector(n).tx) await c.stopTransaction(n).catch(() => undefined);
      }
      await c.close();
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
