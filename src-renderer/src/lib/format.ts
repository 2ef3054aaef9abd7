// en-AU formats for everything the UI shows. Site data (charger events, transactions) is shown in
// the site's own time zone — a manager in Perth looking at a Sydney building sees Sydney times.
// Dates are DD/MM/YYYY; numbers use en-AU grouping.

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();

function dtf(timeZone: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone ?? ''}|${JSON.stringify(opts)}`;
  let f = dateTimeCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-AU', { ...opts, ...(timeZone ? { timeZone } : {}) });
    dateTimeCache.set(key, f);
  }
  return f;
}

/** 21/11/2025, 3:04:05 pm — in `timeZone` (the site's) or the browser's. */
export function formatDateTime(ms: number | null | undefined, timeZone?: string): string {
  if (ms == null) return '—';
  return dtf(timeZone, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  }).format(ms);
}

/** 21/11/2025, 3:04 pm — to the minute, for tight tables (the detail shows the seconds). */
export function formatDateTimeMinutes(ms: number | null | undefined, timeZone?: string): string {
  if (ms == null) return '—';
  return dtf(timeZone, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(ms);
}

/** 21/11/2025 */
export function formatDate(ms: number | null | undefined, timeZone?: string): string {
  if (ms == null) return '—';
  return dtf(timeZone, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(ms);
}

const numberFmt = new Intl.NumberFormat('en-AU');
export function formatNumber(n: number | null | undefined, fractionDigits?: number): string {
  if (n == null) return '—';
  if (fractionDigits == null) return numberFmt.format(n);
  return new Intl.NumberFormat('en-AU', {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(n);
}

/** Energy is stored in integer Wh; people read kWh. */
export function formatEnergyWh(wh: number | null | undefined): string {
  if (wh == null) return '—';
  return `${formatNumber(wh / 1000, 2)} kWh`;
}

/** Money is stored in integer cents. */
export function formatCents(cents: number | null | undefined): string {
  if (cents == null) return '—';
  return new Intl.NumberFormat('en-AU', { style: 'currency', currency: 'AUD' }).format(cents / 100);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
}

/** "3 min ago" style, for heartbeats; falls back to the date after a day. */
export function formatAgo(ms: number | null | undefined, now: number, timeZone?: string): string {
  if (ms == null) return 'never';
  const s = Math.round((now - ms) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return formatDateTime(ms, timeZone);
}

/** "11 digits" ABN shown in the ATO's 2-3-3-3 grouping: 51 824 753 556. */
export function formatAbn(abn: string | null | undefined): string {
  if (!abn) return '—';
  const d = abn.replace(/\s+/g, '');
  if (d.length !== 11) return abn;
  return `${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5, 8)} ${d.slice(8)}`;
}

/** Minutes to wait, rounded up, for the login throttle message. */
export function minutesFromSeconds(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}
