// `npm run bench` (load balancing, part 2): from a StartTransaction to every SetChargingProfile it
// causes, on the wire, with 200 connected chargers (issue 11 target: < 100 ms).
//
// The server is the real core in this process (OCPP listener on 127.0.0.1, port 0, SQLite in a
// temp directory, load balancing on). The chargers are our simulator (src-main/sim, ocpp-rpc over
// ws) in a child process (this file with --fleet), so that they never share the server's event
// loop. Site: a 3 x 1,500 A supply -> main switchboard 1,500 A -> 10 boards of 120 A -> 20
// three-phase 32 A chargers each. 100 cars charge (10 per board, 12 A each); then cars arrive one
// at a time at the other chargers, cycling over the boards: each arrival lowers the 10-14 cars of
// its board (reductions) and, once every reduction is confirmed, gives the new car its TxProfile.
// The child times, per arrival, from just before the StartTransaction frame leaves to the last
// SetChargingProfile any charger receives for it (quiet for 400 ms after it), and counts them.
//
// `--profile-arrivals` writes a CPU profile of the server during the arrivals to the current
// directory. `--supply-bound` runs the same with the supply at 3 x 1,000 A, so that every arrival lowers
// every car on the site (100+ reductions per arrival, the worst case).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const CHARGERS = 200;
const BOARDS = 10;
const TAG = 'BENCH-CAR';
const QUIET_MS = 400;

interface FleetTask {
  url: string;
  identities: string[];
  /** Indexes into identities: charging before the measurement, then arriving one at a time. */
  initial: number[];
  arrivals: number[];
}

interface ArrivalResult {
  /** StartTransaction sent → its answer, ms. */
  answerMs: number;
  /** StartTransaction sent → the last SetChargingProfile it caused, ms (NaN: none came). */
  lastProfileMs: number;
  profiles: number;
  /** The new car's own TxProfile, ms after the StartTransaction. */
  ownProfileMs: number;
}

const argv = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (argv[0] === '--fleet') {
  process.once('message', (task: FleetTask) => {
    void runFleet(task).then(
      (r) => {
        process.send?.({ results: r });
        setTimeout(() => process.exit(0), 50);
      },
      (e: unknown) => {
        process.stderr.write(`fleet failed: ${(e as Error).stack ?? String(e)}\n`);
        process.exit(1);
      },
    );
  });
} else {
  void main().catch((e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}

// ── The chargers (child process) ────────────────────────────────────────────────────────────
async function runFleet(task: FleetTask): Promise<ArrivalResult[]> {
  const { SimCharger } = await import('../src-main/sim/charger');
  const sims = task.identities.map(
    (identity) =>
      new SimCharger({
        url: task.url,
        identity,
        connectors: 1,
        phases: 3,
        maxCurrentA: 32,
        now,
        heartbeats: false,
      }),
  );
  for (let i = 0; i < sims.length; i += 20)
    await Promise.all(sims.slice(i, i + 20).map((s) => s.start()));
  const profiles = () => sims.reduce((n, s) => n + s.smart.log.length, 0);
  /** Waits until no charger received a profile for QUIET_MS. */
  const quiet = async () => {
    let seen = profiles();
    let since = now();
    for (;;) {
      await sleep(20);
      const n = profiles();
      if (n !== seen) {
        seen = n;
        since = now();
      } else if (now() - since >= QUIET_MS) return;
    }
  };
  // Every charger's safe fallback in, then the cars already charging.
  const fallbackIn = () =>
    sims.every((s) => s.smart.installed.some((p) => p.purpose === 'TxDefaultProfile'));
  while (!fallbackIn()) await sleep(50);
  await quiet();
  for (const i of task.initial) await sims[i]?.startTransaction(1, TAG);
  await quiet();

  // The server measures its own CPU (and profiles, with --profile-arrivals) from here.
  process.send?.('arrivals');
  await sleep(100);
  const results: ArrivalResult[] = [];
  for (const i of task.arrivals) {
    const sim = sims[i];
    if (!sim) continue;
    const before = new Map(sims.map((s) => [s, s.smart.log.length]));
    const t0 = now();
    await sim
      .send('StartTransaction', {
        connectorId: 1,
        idTag: TAG,
        meterStart: 0,
        timestamp: new Date(t0).toISOString(),
      })
      .then((r) => {
        const c = sim.connector(1);
        c.status = 'Charging';
        c.tx = {
          connectorId: 1,
          idTag: TAG,
          meterStart: 0,
          startedAt: t0,
          transactionId: (r as { transactionId: number }).transactionId,
          idTagStatus: 'Accepted',
        };
      });
    const answerMs = now() - t0;
    await quiet();
    const got = sims.flatMap((s) => s.smart.log.slice(before.get(s) ?? 0));
    const own = sim.smart.log.slice(before.get(sim) ?? 0).find((r) => r.purpose === 'TxProfile');
    results.push({
      answerMs,
      lastProfileMs: got.length > 0 ? Math.max(...got.map((r) => r.at)) - t0 : NaN,
      profiles: got.length,
      ownProfileMs: own ? own.at - t0 : NaN,
    });
  }
  for (const s of sims) await s.close();
  return results;
}

// ── The server (this process) ───────────────────────────────────────────────────────────────
async function main() {
  const supplyBound = argv.includes('--supply-bound');
  const quick = argv.includes('--quick');
  const arrivals = quick ? 20 : 60;
  const { createCore } = await import('../src-main/core');
  const { createConsoleLogger } = await import('../src-main/platform/logger');
  const { DEFAULT_POLICY } = await import('../src-shared/balancing/model');
  const dataDir = mkdtempSync(join(tmpdir(), 'stratacharge-bench-lb-'));
  const core = await createCore({
    dataDir,
    backupTimer: false,
    logger: createConsoleLogger('error'),
    ocpp: { host: '127.0.0.1', port: 0, limits: { maxConnectionsPerAddress: Infinity } },
  });
  try {
    const { model, ocpp, balancing, clock } = core.services;
    const t = clock.now();
    const site = model.createSite(
      {
        name: 'Bench tower',
        strataPlan: 'SP 1',
        address: '1 Bench St, Sydney NSW',
        timeZone: 'Australia/Sydney',
        latitude: null,
        longitude: null,
      },
      t,
    );
    const floor = model.createFloor({ siteId: site.id, name: 'B1', level: -1 }, t);
    const identities: string[] = [];
    for (let i = 0; i < CHARGERS; i++) {
      const identity = `LB-${String(i).padStart(3, '0')}`;
      identities.push(identity);
      await model.createStation(
        {
          siteId: site.id,
          floorId: floor.id,
          identity,
          name: `Bay ${i}`,
          maxCurrentA: 32,
          phases: 'three',
          approved: true,
          securityProfile: 0,
          password: null,
          connectorCount: 1,
        },
        t,
      );
    }
    ocpp.idTags.upsert(
      {
        idTag: TAG,
        status: 'Accepted',
        expiryDate: null,
        parentIdTag: null,
        label: 'Bench',
        userId: null,
      },
      t,
    );
    const stations = balancing.get(site.id).stations;
    const perBoard = CHARGERS / BOARDS;
    const boardOf = (i: number) => Math.floor(i / perBoard);
    balancing.save(
      site.id,
      {
        enabled: true,
        supply: {
          phaseLimitA: supplyBound ? 1000 : 1500,
          nominalVoltageV: 230,
          phases: 3,
          usablePercent: 100,
          reserveA: 0,
          assumedOtherLoadA: 0,
        },
        circuits: [
          {
            id: 'MSB',
            name: 'Main switchboard',
            parentId: null,
            limitA: supplyBound ? 1000 : 1500,
            phases: ['L1', 'L2', 'L3'],
            assumedOtherLoadA: 0,
          },
          ...Array.from({ length: BOARDS }, (_, b) => ({
            id: `DB-${b}`,
            name: `Board ${b}`,
            parentId: 'MSB',
            limitA: 120,
            phases: ['L1', 'L2', 'L3'] as ('L1' | 'L2' | 'L3')[],
            assumedOtherLoadA: 0,
          })),
        ],
        stations: stations.map((s) => ({
          stationId: s.id,
          circuitId: `DB-${boardOf(identities.indexOf(s.identity))}`,
          wiring: 'three-phase',
          rotation: 'L1-L2-L3',
          priority: 'normal',
          capA: null,
        })),
        policy: { ...DEFAULT_POLICY },
        loadSources: [],
        accountPolicies: [],
      },
      null,
    );
    // On every board the even-numbered chargers charge first (10 per board); the odd ones arrive,
    // one board after the other.
    const initial = identities.map((_, i) => i).filter((i) => i % 2 === 0);
    const arriving: number[] = [];
    for (let k = 1; k < perBoard; k += 2)
      for (let b = 0; b < BOARDS; b++) arriving.push(b * perBoard + k);
    arriving.splice(arrivals);

    let cpu0 = process.cpuUsage();
    let elu0 = performance.eventLoopUtilization();
    const controller = core.services.balancing.controller;
    let ctl0 = controller.stats();
    const profile = argv.includes('--profile-arrivals') ? new Session() : null;
    const results = await new Promise<ArrivalResult[]>((resolve, reject) => {
      const child = fork(process.argv[1] ?? '', ['--fleet'], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: process.execArgv,
      });
      child.on('message', (m: 'arrivals' | { results: ArrivalResult[] }) => {
        if (m !== 'arrivals') return resolve(m.results);
        cpu0 = process.cpuUsage();
        elu0 = performance.eventLoopUtilization();
        ctl0 = controller.stats();
        if (profile) {
          profile.connect();
          profile.post('Profiler.enable', () => profile.post('Profiler.start'));
        }
      });
      child.on('exit', (code) => {
        if (code !== 0) reject(new Error(`the charger fleet exited with ${code}`));
      });
      child.send({
        url: core.info.ocppUrl,
        identities,
        initial,
        arrivals: arriving,
      } satisfies FleetTask);
    });
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const ctl = controller.stats();
    if (profile)
      await new Promise<void>((resolve) =>
        profile.post('Profiler.stop', (err, r) => {
          const file = `balancing-arrivals-${Date.now()}.cpuprofile`;
          if (!err) writeFileSync(file, JSON.stringify(r.profile));
          process.stdout.write(`  server profile of the arrivals: ${file}\n`);
          resolve();
        }),
      );
    const pct = (xs: number[], p: number) => {
      const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
    };
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const last = results.map((r) => r.lastProfileMs);
    const own = results.map((r) => r.ownProfileMs);
    const answers = results.map((r) => r.answerMs);
    const counts = results.map((r) => r.profiles);
    process.stdout.write(
      [
        `load balancing: StartTransaction → every SetChargingProfile it causes, ${CHARGERS} connected chargers, ${supplyBound ? 'supply-bound (every car lowered)' : 'board-bound'}, ${results.length} arrivals`,
        `  last profile on the wire  median ${ms(pct(last, 50))}  p95 ${ms(pct(last, 95))}  max ${ms(pct(last, 100))}  (target < 100 ms)`,
        `  the new car's TxProfile   median ${ms(pct(own, 50))}  p95 ${ms(pct(own, 95))}`,
        `  StartTransaction answer   median ${ms(pct(answers, 50))}  p95 ${ms(pct(answers, 95))}`,
        `  profiles per arrival      median ${pct(counts, 50)}  max ${pct(counts, 100)}`,
        `  server during the arrivals: CPU ${((cpu.user + cpu.system) / 1000 / results.length).toFixed(1)} ms per arrival, main thread busy ${(elu.utilization * 100).toFixed(0)} %`,
        `  the controller's own main-thread time ${((ctl.busyMs - ctl0.busyMs) / results.length).toFixed(1)} ms per arrival, ${((ctl.recomputes - ctl0.recomputes) / results.length).toFixed(1)} recomputes per arrival`,
        `  load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' / ')} (1 / 5 / 15 min)`,
        '',
      ].join('\n'),
    );
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
