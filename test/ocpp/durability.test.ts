// "Answered" means "stored", even on power loss (issue 7 #2): the commit that precedes an
// OCPP answer must be durable. In WAL mode that needs synchronous = FULL (NORMAL may roll the
// last commits back after a power cut or an OS crash: SQLite's documentation, "PRAGMA
// synchronous"). A power cut cannot be simulated here; what is checked is the setting of the
// very connection the OCPP server commits through, after a restart too.
import { describe, expect, it } from 'vitest';
import { ocppCore } from './helpers';

describe('durability of what a charger was told is stored', () => {
  it('commits through a WAL connection with synchronous = FULL, also after a restart', async () => {
    const o = await ocppCore();
    const mode = () => ({
      journal: o.t.core.db.$client.pragma('journal_mode', { simple: true }),
      // 2 = FULL (0 OFF, 1 NORMAL, 3 EXTRA).
      synchronous: o.t.core.db.$client.pragma('synchronous', { simple: true }),
    });
    expect(mode()).toEqual({ journal: 'wal', synchronous: 2 });
    // "Last seen" times are written without the fsync (not durable data); the setting is
    // back to FULL for the next commit.
    const { identity } = await o.station();
    const sim = o.sim(identity);
    await sim.start();
    await sim.heartbeat();
    o.t.core.services.ocpp.store.flush();
    expect(mode()).toEqual({ journal: 'wal', synchronous: 2 });
    await o.t.restart();
    expect(mode()).toEqual({ journal: 'wal', synchronous: 2 });
  });
});
