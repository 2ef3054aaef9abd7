// A session line's cells as text, in the session table's column order (./styles.ts COLS): the
// same strings whether react-pdf lays them out (a short invoice's table) or pdfkit draws them
// (the attached session list, ./session-table.ts).
import {
  formatKwh,
  formatLocalDate,
  formatMoney,
  type InvoiceSessionLine,
} from '../../../src-shared/billing/invoice-document';

const meter = (wh: number) => (wh / 1000).toFixed(3);

/** Each priced part of a session: "Peak: 3.120 kWh × 45 c/kWh", "Idle time: 12 min × 10 c/min". */
function rateOf(l: InvoiceSessionLine): string {
  return l.parts
    .map((p) => {
      const name = p.description.replace(/^Energy — /, '');
      if (!p.rate) return name;
      const qty = p.wh !== null ? formatKwh(p.wh) : `${p.minutes ?? 0} min`;
      return `${name}: ${qty} × ${p.rate}`;
    })
    .join('\n');
}

/** A session line's cells, in COLS order. */
export function rowCells(l: InvoiceSessionLine): string[] {
  return [
    `${formatLocalDate(l.ended.slice(0, 10))}\n${l.started.slice(11)}–${l.ended.slice(11)}`,
    `${l.charger}${l.bay ? `\nBay ${l.bay}` : ''}\nSession ${l.sessionId}`,
    meter(l.meterStartWh),
    meter(l.meterStopWh),
    (l.wh / 1000).toFixed(3),
    rateOf(l),
    formatMoney(l.amountExGstCents),
  ];
}
