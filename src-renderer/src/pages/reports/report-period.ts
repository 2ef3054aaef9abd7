// Periods for the reports page, as local dates (YYYY-MM-DD) in the site's time zone: the core
// turns them into that zone's midnights, so "today" must be the site's today, not the browser's.

/** Today's date in `timeZone` (en-CA formats dates as YYYY-MM-DD). */
export function todayIn(timeZone: string | undefined, now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(now);
}

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => {
  // Normalise through UTC (a month of 0 or 13, a day of 0 = the month before's last).
  const t = new Date(Date.UTC(y, m - 1, d));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
};

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return ymd(y ?? 1970, m ?? 1, (d ?? 1) + days);
}

export type Period = [string, string];

/** The presets offered beside the date pickers, relative to the site's today. */
export function presets(today: string): { label: string; value: Period }[] {
  const [y = 1970, m = 1] = today.split('-').map(Number);
  const q = Math.floor((m - 1) / 3) * 3 + 1; // first month of this quarter
  return [
    { label: 'Last 30 days', value: [addDays(today, -29), today] },
    { label: 'Last 90 days', value: [addDays(today, -89), today] },
    { label: 'This month', value: [ymd(y, m, 1), today] },
    { label: 'Last month', value: [ymd(y, m - 1, 1), ymd(y, m, 0)] },
    { label: 'This quarter', value: [ymd(y, q, 1), today] },
    { label: 'Last quarter', value: [ymd(y, q - 3, 1), ymd(y, q, 0)] },
    { label: 'This year', value: [ymd(y, 1, 1), today] },
  ];
}

/** 2026-04-05 → 05/04/2026 (en-AU). */
export function auDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const weekdayName = (isoWeekday: number) => WEEKDAYS[isoWeekday - 1] ?? String(isoWeekday);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** 2026-04 → Apr 2026 */
export function monthName(month: string): string {
  const [y, m] = month.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

/** 7 → "7 am", 19 → "7 pm" */
export function hourName(hour: number): string {
  if (hour === 0) return '12 am';
  if (hour === 12) return '12 pm';
  return hour < 12 ? `${hour} am` : `${hour - 12} pm`;
}
