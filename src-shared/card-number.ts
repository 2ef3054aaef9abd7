// RFID card numbers as printed on a card or read by a reader, turned into exactly what a site's
// chargers send as the OCPP idTag. Readers differ: some send the UID in hex (upper or lower
// case), some in decimal, some with the bytes reversed, some zero-padded. A site's chargers all
// send the same form, learnt once (learnCardForm) from a card tapped in learn mode; every number
// typed or imported for the site is then normalised to it, so "04:A2:3B:1C", "04a23b1c" and
// "1C3BA204" name the same card.

/** The form a site's chargers send card numbers in. */
export interface CardForm {
  encoding: 'hex' | 'decimal';
  /** The chargers send the bytes in the reverse order of the printed number. */
  reversed: boolean;
  lowercase: boolean;
  /** Zero-padded to this many characters (null: no padding). */
  width: number | null;
}

/** OCPP 1.6 idTag: CiString20Type. */
export const ID_TAG_MAX = 20;

export type CardNumberResult = { ok: true; idTag: string } | { ok: false; reason: string };

interface Parsed {
  /** Bytes (as a hex string, even length) when the input can be read as hex. */
  hex: string | null;
  /** The value when the input can be read as decimal (digits only). */
  decimal: bigint | null;
  /** Separated into byte pairs (04:A2:3B) or prefixed 0x: certainly hex. */
  certainlyHex: boolean;
}

function parse(input: string): Parsed | string {
  const trimmed = input.trim();
  if (trimmed === '') return 'Enter the card number';
  const pairs = /^[0-9a-fA-F]{2}([ :.-][0-9a-fA-F]{2})+$/.test(trimmed);
  let s = trimmed.replace(/[\s:.-]/g, '');
  const prefixed = /^0x/i.test(s);
  if (prefixed) s = s.slice(2);
  if (!/^[0-9a-fA-F]+$/.test(s)) {
    return 'A card number has only digits (decimal) or 0-9 and A-F (hex), with optional spaces, colons or dashes';
  }
  if (s.length > 40) return 'Too long for a card number';
  const digitsOnly = /^[0-9]+$/.test(s);
  const evenHex = s.length % 2 === 0 ? s : `0${s}`;
  return {
    hex: evenHex.toUpperCase(),
    decimal: digitsOnly && !prefixed && !pairs ? BigInt(s) : null,
    certainlyHex: pairs || prefixed || !digitsOnly,
  };
}

const reverseBytes = (hex: string) => (hex.match(/../g) ?? []).reverse().join('');

function decimalToHex(v: bigint): string {
  const h = v.toString(16).toUpperCase();
  return h.length % 2 === 0 ? h : `0${h}`;
}

function render(hexBytes: string, form: CardForm): string {
  const bytes = form.reversed ? reverseBytes(hexBytes) : hexBytes;
  let out = form.encoding === 'hex' ? bytes : BigInt(`0x${bytes || '0'}`).toString(10);
  if (form.width !== null && out.length < form.width) out = out.padStart(form.width, '0');
  return form.encoding === 'hex' && form.lowercase ? out.toLowerCase() : out;
}

/**
 * The idTag the site's chargers would send for a number as printed or read. Without a learnt
 * form the number is kept as typed (separators removed, hex in capitals).
 */
export function normaliseCardNumber(input: string, form: CardForm | null): CardNumberResult {
  const p = parse(input);
  if (typeof p === 'string') return { ok: false, reason: p };
  let idTag: string;
  if (form === null) {
    idTag = p.decimal !== null ? input.trim().replace(/[\s:.-]/g, '') : (p.hex ?? '');
  } else if (p.decimal !== null && !p.certainlyHex) {
    // Digits only: read as hex only when the site sends hex of exactly this length (a UID
    // copied from a charger's log); a printed decimal number is usually longer (10 digits).
    const asHex = form.encoding === 'hex' && form.width !== null && p.hex?.length === form.width;
    idTag = render(asHex ? (p.hex ?? '') : decimalToHex(p.decimal), form);
  } else {
    idTag = render(p.hex ?? '', form);
  }
  if (idTag.length > ID_TAG_MAX) {
    return {
      ok: false,
      reason: `Becomes ${idTag} (${idTag.length} characters): chargers accept at most ${ID_TAG_MAX}`,
    };
  }
  return { ok: true, idTag };
}

/** The form of an idTag as a charger sent it, without a printed number to compare with. */
function formOfSent(sent: string): CardForm {
  if (/^[0-9]+$/.test(sent)) {
    return { encoding: 'decimal', reversed: false, lowercase: false, width: sent.length };
  }
  return {
    encoding: 'hex',
    reversed: false,
    lowercase: sent !== sent.toUpperCase(),
    width: sent.length,
  };
}

/**
 * Learns a site's form from the idTag a charger sent for a tapped card and, when the manager
 * typed it, the number printed on that card (which tells the byte order and encoding apart).
 */
export function learnCardForm(
  sent: string,
  printed?: string | null,
): { form: CardForm; matchedPrinted: boolean } {
  const base = formOfSent(sent);
  if (!printed) return { form: base, matchedPrinted: false };
  for (const encoding of ['hex', 'decimal'] as const) {
    for (const reversed of [false, true]) {
      const form: CardForm = { ...base, encoding, reversed };
      const r = normaliseCardNumber(printed, form);
      if (r.ok && r.idTag === sent) return { form, matchedPrinted: true };
    }
  }
  return { form: base, matchedPrinted: false };
}

export function describeCardForm(form: CardForm | null): string {
  if (form === null) return 'Not learnt yet: card numbers are kept as typed';
  const enc = form.encoding === 'hex' ? `hex${form.lowercase ? ' (lower case)' : ''}` : 'decimal';
  const width = form.width ? `, ${form.width} characters` : '';
  return `${enc}${width}${form.reversed ? ', bytes reversed' : ''}`;
}
