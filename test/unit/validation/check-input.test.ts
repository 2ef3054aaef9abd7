// The UI's pre-send check (src-shared/api/check-input.ts, used by the API client): the contract's
// own verdict and messages without a round trip, and a clear message for a request too large for
// the API socket (a 5 MB paste closed the socket and the UI said the service "cannot be reached").
import { describe, expect, it } from 'vitest';
import { checkInput } from '../../../src-shared/api/check-input';
import { MAX_API_MESSAGE_BYTES } from '../../../src-shared/api/limits';
import { makeCore } from '../../support/make-core';
import { setupAdmin } from '../../support/factories';

describe('checkInput', () => {
  it('gives the same fields and messages as the core', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const input = { name: 'x'.repeat(5_000_000), timeZone: 'Nowhere/Else', latitude: 123 };
    const local = checkInput('site-create', input);
    const remote = await t.fail(admin, 'site-create', input);
    expect(local).toEqual(remote);
    expect(local?.fields).toEqual([
      { field: 'name', message: 'Name must be at most 200 characters long.' },
      {
        field: 'timeZone',
        message: 'The time zone is not known: choose one from the list, e.g. Australia/Sydney.',
      },
      { field: 'latitude', message: 'Latitude must be at most 90°.' },
    ]);
    expect(checkInput('site-create', { name: 'Harbour', timeZone: 'UTC' })).toBeNull();
    expect(checkInput('no-such-method', {})).toBeNull();
  });

  it('refuses a request too large for the API socket with a message, not a dropped link', () => {
    const contentBase64 = 'A'.repeat(5 * 1024 * 1024);
    const e = checkInput('station-firmware-update', {
      stationId: 1,
      fileName: 'fw.bin',
      contentBase64,
    });
    expect(e).toEqual({
      code: 'validation',
      message: `This request is too large (5 MB): StrataCharge accepts up to ${MAX_API_MESSAGE_BYTES / 1024 / 1024} MB at a time. Shorten the text or choose a smaller file.`,
    });
  });
});
