// Exact money arithmetic for billing. Rates are finer than a cent (32.5 c/kWh), so they are kept
// as integer millicents (1/1000 of a cent) and every amount is one exact fraction, rounded once.
// BigInt because energy × rate × margin × GST factors can pass 2^53 before the division.

/** Rounds num/den to an integer, halves away from zero (0.5 → 1, -0.5 → -1): "half up" as the
 *  ATO and a strata manager mean it, mirrored for credits so a credit note negates its invoice. */
export function divRound(num: bigint, den: bigint): number {
  if (den === 0n) throw new RangeError('Division by zero in a billing amount.');
  if (den < 0n) return divRound(-num, -den);
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const q = (2n * abs + den) / (2n * den);
  return Number(neg ? -q : q);
}

/** GST rate: 10 %. */
export const GST_NUM = 1n;
export const GST_DEN = 10n;

export interface AmountLine {
  /** The line's amount in integer cents, excluding GST (rounded once, at the line). */
  amountExGstCents: number;
}

export interface InvoiceTotals {
  exGstCents: number;
  gstCents: number;
  incGstCents: number;
}

/**
 * The one GST method, used everywhere: lines carry amounts ex GST in cents; GST is computed once
 * per invoice as round-half-up(total ex GST × 10 %); inc GST = ex + GST. An issuer not registered
 * for GST charges none (the invoice then says "Invoice", not "Tax invoice").
 */
export function invoiceTotals(
  lines: readonly AmountLine[],
  gstRegistered: boolean = true,
): InvoiceTotals {
  let ex = 0;
  for (const l of lines) {
    if (!Number.isSafeInteger(l.amountExGstCents)) {
      throw new RangeError(`A line amount must be whole cents, not ${l.amountExGstCents}.`);
    }
    ex += l.amountExGstCents;
  }
  const gst = gstRegistered ? divRound(BigInt(ex) * GST_NUM, GST_DEN) : 0;
  return { exGstCents: ex, gstCents: gst, incGstCents: ex + gst };
}

/** "$12.34" for explanations (en-AU; negative as "-$1.20"). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}$${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "32.5 c" from millicents, without trailing zeros. */
export function formatMillicents(mc: number): string {
  return `${String(mc / 1000)} c`;
}
