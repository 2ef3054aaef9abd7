// validation.ts replaces ajv-formats' 'date-time' check with an allocation-free one (perf,
// docs/benchmarks.md round 4). It must accept exactly what ajv-formats accepts: a charger's
// timestamp that passed before must pass now, and an impossible date must still be refused.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isDateTime, validator16 } from '../../src-main/ocpp/validation';

const require = createRequire(import.meta.url);
const { fullFormats } = require('ajv-formats/dist/formats') as {
  fullFormats: { 'date-time': { validate: (s: string) => boolean } };
};

const samples = [
  '2026-03-02T09:00:00Z',
  '2026-03-02T09:00:00', // no zone: ajv-formats 2.1.1 lets it pass, so do we
  '2026-03-02t09:00:00.123+01:00',
  '2026-03-02 09:00:00Z',
  '2026-03-02T09:00:00+0100',
  '2026-03-02T09:00:00+01',
  '2024-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '2026-02-29T00:00:00Z',
  '2026-04-31T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-00-01T00:00:00Z',
  '2026-03-02T23:59:60Z',
  '2026-03-02T22:59:60Z',
  '2026-03-02T24:00:00Z',
  '2026-03-02T09:60:00Z',
  '2026-03-02T09:00:00.Z',
  '2026-03-02TT09:00:00Z',
  '2026-03-02T09:00Z',
  '2026-3-02T09:00:00Z',
  '2026-03-02T09:00:00Z ',
  '',
];

describe('OCPP date-time format', () => {
  it('accepts exactly what ajv-formats accepts', () => {
    // Plus every one-character corruption of a valid timestamp.
    const valid = '2028-02-29T23:59:59.5+10:00';
    const corrupted = [...valid].flatMap((_, i) =>
      [...'09:-TZ+. x'].map((c) => valid.slice(0, i) + c + valid.slice(i + 1)),
    );
    for (const s of [...samples, ...corrupted])
      expect([s, isDateTime(s)]).toEqual([s, fullFormats['date-time'].validate(s)]);
  });

  it('is the check the OCPP validator uses', () => {
    const status = { connectorId: 1, errorCode: 'NoError', status: 'Available' };
    expect(() =>
      validator16.validate('urn:StatusNotification.req', {
        ...status,
        timestamp: '2026-02-30T00:00:00Z',
      }),
    ).toThrow();
    expect(
      validator16.validate('urn:StatusNotification.req', {
        ...status,
        timestamp: '2026-02-28T00:00:00Z',
      }),
    ).toBe(true);
  });
});
