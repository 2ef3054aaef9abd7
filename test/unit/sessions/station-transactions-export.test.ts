// The station page's Transactions tab exports the sessions CSV (a streamed download) on its own
// filters: the file must hold exactly the sessions the tab lists (transaction-list), for every
// filter the tab offers. The tab matches the card exactly; a substring match would put card
// 04A23B1C's sessions in the export of card 04A2.
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { ocppCore, waitFor } from '../../ocpp/helpers';
import { download } from '../../support/download';
import {
  sessionFilterOfTransactions,
  type TransactionsTabFilter,
} from '../../../src-shared/ocpp/transactions-export';

describe('the Transactions tab’s export', () => {
  it('holds exactly the sessions the tab lists, the card matched exactly', async () => {
    const o = await ocppCore();
    for (const idTag of ['04A2', '04A23B1C']) {
      await o.t.ok(o.admin, 'id-tag-upsert', { idTag, status: 'Accepted' });
    }
    const here = await o.station({ connectorCount: 2 });
    const other = await o.station();
    const sim = o.sim(here.identity, { connectors: 2 });
    const otherSim = o.sim(other.identity);
    await sim.start();
    await otherSim.start();

    // Here: 04A2 completed, 04A23B1C completed, 04A2 left without a stop (suspect: another
    // session started on its connector), that next one 04A23B1C still charging, and 04A2 charging
    // on outlet 2 (flagged for review: its card was still in the suspect session, ConcurrentTx).
    // The other station: a completed 04A2 session (never in this tab).
    // A minute and some energy between steps (a repeated start at the same instant and reading
    // is a retransmission, not a new session).
    const step = async (action: () => Promise<unknown>) => {
      await action();
      sim.advanceMeter(1, 60);
      sim.advanceMeter(2, 60);
      await o.t.clock.advance(60_000);
    };
    await step(() => sim.startTransaction(1, '04A2'));
    await step(() => sim.stopTransaction(1));
    await step(() => sim.startTransaction(1, '04A23B1C'));
    await step(() => sim.stopTransaction(1));
    await step(() => sim.startTransaction(1, '04A2'));
    await step(() => sim.startTransaction(1, '04A23B1C'));
    await step(() => sim.startTransaction(2, '04A2'));
    await step(() => otherSim.startTransaction(1, '04A2'));
    await step(() => otherSim.stopTransaction(1));
    await waitFor(async () => {
      const all = await o.t.ok(o.admin, 'transaction-list', { limit: 100 });
      return all.total === 6 && all.transactions.some((t) => t.flag === 'suspect');
    }, 'six sessions, one suspect');

    const tabFilters: Omit<TransactionsTabFilter, 'stationId'>[] = [
      {},
      { idTag: '04A2' },
      { idTag: '04A23B1C' },
      { status: 'active' },
      { status: 'completed', idTag: '04A2' },
      { status: 'suspect' },
      { status: 'review' },
      { idTag: '04a2' },
    ];
    const sizes: number[] = [];
    for (const f of tabFilters) {
      const filter = { stationId: here.id, ...f };
      const tab = await o.t.ok(o.admin, 'transaction-list', { ...filter, limit: 100 });
      const { body } = await download(o.t, o.admin, {
        kind: 'sessions-csv',
        filter: sessionFilterOfTransactions(filter),
      });
      const csv = Papa.parse<Record<string, string>>(
        body
          .toString('utf8')
          .replace(/^\ufeff/, '')
          .trim(),
        { header: true },
      ).data;
      const listed = tab.transactions.map((t) => [String(t.id), t.idTag]).sort();
      const exported = csv.map((r) => [r['Transaction id'] ?? '', r.Card ?? '']).sort();
      expect(exported, JSON.stringify(f)).toEqual(listed);
      sizes.push(listed.length);
    }
    // The filters really select (a mapping that dropped one would export everything).
    expect(sizes).toEqual([5, 3, 2, 3, 1, 1, 1, 0]);

    // The exact-card option of the sessions filter, against the substring one.
    const exact = await o.t.ok(o.admin, 'session-list', { filter: { idTag: '04A2' } });
    expect(exact.sessions.map((s) => s.idTag)).toEqual(['04A2', '04A2', '04A2', '04A2']);
    const substring = await o.t.ok(o.admin, 'session-list', { filter: { card: '04A2' } });
    expect(substring.total).toBe(6);
  });
});
