// Card numbers as printed or read, in the form a site's chargers send.
import { describe, expect, it } from 'vitest';
import { learnCardForm, normaliseCardNumber, type CardForm } from '../../../src-shared/card-number';

const hexReversedLower: CardForm = { encoding: 'hex', reversed: true, lowercase: true, width: 8 };
const decimal10: CardForm = { encoding: 'decimal', reversed: false, lowercase: false, width: 10 };

const idTag = (n: string, f: CardForm | null) => {
  const r = normaliseCardNumber(n, f);
  return r.ok ? r.idTag : `error: ${r.reason}`;
};

describe('card numbers', () => {
  it('keeps a number as typed (capitals, no separators) until the site has a form', () => {
    expect(idTag('04:a2:3b:1c', null)).toBe('04A23B1C');
    expect(idTag(' 0077738972 ', null)).toBe('0077738972');
  });

  it('reads hex with any separators and either byte order into the site’s form', () => {
    expect(idTag('04 A2 3B 1C', hexReversedLower)).toBe('1c3ba204');
    expect(idTag('04-a2-3b-1c', hexReversedLower)).toBe('1c3ba204');
    expect(idTag('0x04A23B1C', hexReversedLower)).toBe('1c3ba204');
  });

  it('reads a printed decimal number into a hex site and a hex one into a decimal site', () => {
    // 0x04A23B1C = 77740828
    expect(idTag('0077740828', hexReversedLower)).toBe('1c3ba204');
    // Digits as long as the site's hex ids: a UID copied from a charger's log, read as hex.
    expect(idTag('12345678', { ...hexReversedLower, reversed: false })).toBe('12345678');
    expect(idTag('04:A2:3B:1C', decimal10)).toBe('0077740828');
  });

  it('refuses what is not a card number, naming why', () => {
    expect(idTag('CARD-ZZ', null)).toMatch(/^error: .*decimal.*hex/);
    expect(idTag('', null)).toMatch(/^error: Enter/);
    expect(idTag('0123456789ABCDEF0123456789', null)).toMatch(/at most 20/);
  });

  it('learns byte order and encoding from a tapped card and its printed number', () => {
    expect(learnCardForm('1c3ba204', '04 A2 3B 1C')).toEqual({
      form: hexReversedLower,
      matchedPrinted: true,
    });
    expect(learnCardForm('0077740828', '04A23B1C').form).toEqual(decimal10);
    expect(learnCardForm('04A23B1C').form).toMatchObject({ encoding: 'hex', reversed: false });
  });
});
