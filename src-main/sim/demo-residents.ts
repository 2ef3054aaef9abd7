// The demo building's lots: an account per lot with its owner and residents, a card each, a
// private bay locked to lot 101 and a free visitor bay, so the Residents & cards page, the EV
// user's view and the sessions' accounts have something to show on first start.
import { and, eq } from 'drizzle-orm';
import type { Core } from '../core';
import { connectors, stations } from '../db/schema';

const LOTS = [
  {
    lot: '1',
    unit: '101',
    owner: 'Priya Sharma',
    first: 'Priya',
    last: 'Sharma',
    card: 'D0E00101',
  },
  {
    lot: '2',
    unit: '102',
    owner: 'Tom & Alice Nguyen',
    first: 'Tom',
    last: 'Nguyen',
    card: 'D0E00102',
  },
  {
    lot: '3',
    unit: '201',
    owner: 'Grace O’Brien',
    first: 'Grace',
    last: 'O’Brien',
    card: 'D0E00201',
  },
  {
    lot: '4',
    unit: '202',
    owner: 'Harbour Holdings Pty Ltd',
    first: 'Sam',
    last: 'Lee',
    card: 'D0E00202',
  },
  { lot: '5', unit: '301', owner: 'Mei Chen', first: 'Mei', last: 'Chen', card: 'D0E00301' },
];

/** Creates what is missing (safe on every --demo start); returns the demo cards' idTags. */
export function seedDemoResidents(core: Core, siteId: number, now: number): string[] {
  const { accounts, cards } = core.services.residents;
  const db = core.services.db;
  const out: string[] = [];
  for (const l of LOTS) {
    let account = accounts.ownerAt(siteId, l.lot, now);
    if (!account) {
      account = accounts.create(
        siteId,
        {
          lotNumber: l.lot,
          unitNumber: l.unit,
          ownerNames: l.owner,
          postalAddress: `${l.unit}/1 Harbour St, Sydney NSW 2000`,
          invoiceEmails: [`${l.first.toLowerCase()}@example.com`],
          accountCode: `0${l.unit}`,
          bpayReference: `10${l.unit}7`,
          deftReference: null,
          strataPayReference: null,
          notes: null,
        },
        now - 180 * 24 * 3600_000,
        now,
      );
      const resident = accounts.addResident(
        account.id,
        {
          firstName: l.first,
          lastName: l.last,
          email: `${l.first.toLowerCase()}@example.com`,
          phone: null,
        },
        now,
      );
      if (!cards.byTag(siteId, l.card)) {
        cards.issue(
          {
            siteId,
            accountId: account.id,
            number: l.card,
            label: `${l.first}’s card`,
            residentId: resident.id,
            expiresAt: null,
          },
          now,
        );
      }
    }
    out.push(l.card);
  }
  const bay = (identity: string) =>
    db
      .select({ id: connectors.id })
      .from(connectors)
      .innerJoin(stations, eq(stations.id, connectors.stationId))
      .where(and(eq(stations.identity, identity), eq(connectors.connectorNumber, 1)))
      .get();
  const lot1 = accounts.ownerAt(siteId, '1', now);
  const privateBay = bay('DEMO-B2-02');
  if (privateBay && lot1) accounts.setBay(privateBay.id, 'private', lot1.id, 'Lot 1’s bay', now);
  const visitorBay = bay('DEMO-B2-03');
  if (visitorBay) accounts.setBay(visitorBay.id, 'visitor', null, 'Visitors', now);
  return out;
}
