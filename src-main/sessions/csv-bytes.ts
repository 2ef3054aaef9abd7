// The sessions export's bytes, written straight into a Buffer: a million rows of 25 fields as JS
// strings (one per field, joined per line or per chunk, then UTF-8 encoded by the stream) cost
// more CPU than reading the rows from SQLite. Here text is encoded once per distinct value (the
// lookups hold names as bytes), numbers and times are written digit by digit, and a chunk is
// handed to the stream as the Buffer it was written in. The bytes are exactly what the string
// writer gave: `test/unit/sessions/sessions-csv-bytes.test.ts` (papaparse's output for the same
// values) and `csv-bytes.test.ts` (every figure against toFixed, every time against luxon).
import { DateTime } from 'luxon';

const DAY_MS = 86_400_000;
/** Below 2^40 (34 years of ms, 1 TWh) a double is exact far beyond the decimals written. */
const FAST_LIMIT = 2 ** 40;
const COMMA = 44;
const DOT = 46;
const MINUS = 45;
const COLON = 58;
const ZERO = 48;

/** Local epoch ms (UTC ms + the zone's offset then): the zone's offset is looked up at the start
 *  and end of each UTC day; when they agree (every day but the two DST changes) that offset
 *  serves the whole day, otherwise luxon answers for that moment. Rows come in time order
 *  mostly: the last zone and UTC day answer without a lookup. */
export function localClock() {
  const zones = new Map<string, Map<number, number | null>>();
  const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset * 60_000;
  let lastZone = '';
  let lastDay = NaN;
  let lastOffset: number | null = null;
  return (ms: number, zone: string | null): number => {
    const z = zone ?? 'UTC';
    const day = Math.floor(ms / DAY_MS);
    let offset: number | null;
    if (z === lastZone && day === lastDay) {
      offset = lastOffset;
    } else {
      let days = zones.get(z);
      if (!days) zones.set(z, (days = new Map()));
      let known = days.get(day);
      if (known === undefined) {
        const start = offsetAt(day * DAY_MS, z);
        known = start === offsetAt(day * DAY_MS + DAY_MS - 1, z) ? start : null;
        days.set(day, known);
      }
      offset = known;
      lastZone = z;
      lastDay = day;
      lastOffset = known;
    }
    return ms + (offset ?? offsetAt(ms, z));
  };
}

/** A growing byte buffer for one stream chunk at a time. */
export class CsvBytes {
  private buf: Buffer;
  private pos = 0;
  private readonly clock = localClock();
  /** "YYYY-MM-DD " by local day number. */
  private readonly dates = new Map<number, Uint8Array>();

  constructor(private readonly chunkBytes = 1 << 18) {
    this.buf = Buffer.allocUnsafe(chunkBytes + 4096);
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.pos;
  }

  /** The bytes written so far, as a Buffer of their own; the writer starts a new one. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.chunkBytes + 4096);
    this.pos = 0;
    return out;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n + 4096));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  comma(): void {
    this.byte(COMMA);
  }

  /** Bytes encoded once (a name, a date): copied. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    if (n > 48) buf.set(b, p);
    else for (let k = 0; k < n; k++) buf[p + k] = b[k] as number;
    p += n;
    this.pos = p;
  }

  /** Text as UTF-8, as it is (the caller escaped it). */
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A number as String(n) writes it; null as nothing. */
  number(n: number | null): void {
    if (n === null) return;
    if (Number.isInteger(n) && n < FAST_LIMIT && n > -FAST_LIMIT) this.int(n);
    else this.text(String(n));
  }

  /** A whole number below FAST_LIMIT in size (-0 as "0", as String(-0)). */
  private int(n: number): void {
    this.room(16);
    const buf = this.buf;
    if (n < 0) {
      buf[this.pos++] = MINUS;
      n = -n;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = Math.floor(n / 10);
      buf[--p] = ZERO + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  private two(n: number): void {
    const q = Math.floor(n / 10);
    this.buf[this.pos++] = ZERO + q;
    this.buf[this.pos++] = ZERO + (n - q * 10);
  }

  /** Milliseconds as minutes with one decimal, exactly `(ms / 60000).toFixed(1)`: integer
   *  arithmetic, except for the exact halves (toFixed rounds the nearest double, which may lie
   *  either side) and anything odd; null as nothing. */
  minutes(ms: number | null): void {
    if (ms === null) return;
    if (Number.isInteger(ms) && ms >= 0 && ms < FAST_LIMIT && ms % 6000 !== 3000) {
      const tenths = Math.round(ms / 6000);
      const rest = tenths % 10;
      this.int((tenths - rest) / 10);
      this.room(2);
      this.buf[this.pos++] = DOT;
      this.buf[this.pos++] = ZERO + rest;
    } else {
      this.text((ms / 60_000).toFixed(1));
    }
  }

  /** Wh as kWh with three decimals, exactly `(wh / 1000).toFixed(3)` (for a whole number of Wh
   *  the double nearest wh / 1000 always rounds back to it; toFixed itself otherwise). */
  kwh(wh: number | null): void {
    if (wh === null) return;
    if (Number.isInteger(wh) && wh !== 0 && wh < FAST_LIMIT && wh > -FAST_LIMIT) {
      if (wh < 0) {
        this.byte(MINUS);
        wh = -wh;
      }
      const rest = wh % 1000;
      this.int((wh - rest) / 1000);
      this.room(4);
      const buf = this.buf;
      buf[this.pos++] = DOT;
      const h = Math.floor(rest / 100);
      buf[this.pos++] = ZERO + h;
      this.two(rest - h * 100);
    } else {
      this.text((wh / 1000).toFixed(3));
    }
  }

  /** UTC ms as the zone's local "YYYY-MM-DD HH:MM:SS" (luxon's yyyy-MM-dd HH:mm:ss); null as
   *  nothing. */
  time(ms: number | null, zone: string | null): void {
    if (ms === null) return;
    const local = this.clock(ms, zone);
    const localDay = Math.floor(local / DAY_MS);
    let date = this.dates.get(localDay);
    if (date === undefined) {
      date = Buffer.from(new Date(localDay * DAY_MS).toISOString().slice(0, 10) + ' ', 'latin1');
      this.dates.set(localDay, date);
    }
    this.bytes(date);
    const sec = Math.floor((local - localDay * DAY_MS) / 1000);
    const min = Math.floor(sec / 60);
    this.room(8);
    this.two(Math.floor(min / 60));
    this.buf[this.pos++] = COLON;
    this.two(min % 60);
    this.buf[this.pos++] = COLON;
    this.two(sec % 60);
  }
}
