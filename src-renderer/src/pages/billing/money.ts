// en-AU money and dates for the billing pages.
export { formatMoney, formatLocalDate } from '../../../../src-shared/billing/invoice-document';

/** Today in the browser's calendar as 'YYYY-MM-DD'. */
export function todayIso(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The last day of the previous month: a date inside the period most likely due for a run. */
export function lastMonthIso(): string {
  const d = new Date();
  const last = new Date(d.getFullYear(), d.getMonth(), 0);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${last.getFullYear()}-${p(last.getMonth() + 1)}-${p(last.getDate())}`;
}

/** Base64 PDF → a download, and open it where the browser can show it. */
export function savePdf(fileName: string, base64: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
