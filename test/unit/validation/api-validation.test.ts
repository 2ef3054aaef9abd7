// What a strata manager reads when the API refuses input, through the real dispatcher: every invalid
// field at once (issue 8 #5), in words naming the field (8 #14), numbers refused rather than
// silently changed (8 #13), bounded text (8 #15, 7 #12) and the strata plan stored once (8 #16).
import { describe, expect, it } from 'vitest';
import { makeCore } from '../../support/make-core';
import { aSetup, aSite, aStation, setupAdmin } from '../../support/factories';
import type { ApiError } from '../../../src-shared/api/result';

/** zod's own wording, which must never reach a person. */
const RAW = /expected|received|Too (big|small)|Invalid input|<=|>=|nonoptional|Unrecognized/;

const messages = (e: ApiError) => (e.fields ?? []).map((f) => f.message);
const fieldsOf = (e: ApiError) => (e.fields ?? []).map((f) => f.field);

describe('validation errors', () => {
  it('list every invalid field of an empty setup form, each in words, in one answer', async () => {
    const t = await makeCore();
    const e = await t.fail(t.conn(), 'setup-complete', {
      admin: { name: '', email: '', password: '' },
      organisation: { name: '', abn: '', email: '', phone: '', address: '' },
      site: { name: '', strataPlan: '', address: '', timeZone: 'UTC' },
    });
    expect(e.code).toBe('validation');
    expect(fieldsOf(e).sort()).toEqual(
      ['admin.email', 'admin.name', 'admin.password', 'organisation.name', 'site.name'].sort(),
    );
    expect(e.fields).toContainEqual({ field: 'admin.name', message: 'Your name is required.' });
    expect(e.fields).toContainEqual({ field: 'site.name', message: 'Site name is required.' });
    expect(e.fields).toContainEqual({
      field: 'admin.password',
      message: 'Password must be at least 10 characters long.',
    });
    // The first stays in field/message for callers that show one.
    expect(e.field).toBe(e.fields?.[0]?.field);
    for (const m of messages(e)) expect(m).not.toMatch(RAW);
    expect(e.message).toContain('Your name is required.');
  });

  it('name the field and its unit instead of zod text', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const e = await t.fail(admin, 'station-create', {
      ...aStation(site.id),
      maxCurrentA: 999,
      connectorCount: 99,
      identity: 'bad id/with slash',
      securityProfile: 1.5,
    });
    expect(e.fields).toEqual(
      expect.arrayContaining([
        { field: 'maxCurrentA', message: 'Maximum current must be at most 500 A.' },
        { field: 'connectorCount', message: 'Number of outlets must be at most 8.' },
        { field: 'securityProfile', message: 'Security profile must be a whole number.' },
        {
          field: 'identity',
          message: expect.stringMatching(/^The charge box id may contain only letters/),
        },
      ]),
    );
    const more = [
      await t.fail(admin, 'site-create', aSite({ latitude: 91, timeZone: 'Mars/Olympus' })),
      await t.fail(admin, 'floor-create', { siteId: site.id, name: 'x', level: 'one' }),
      await t.fail(admin, 'user-create', { email: 'nope', name: 'A', role: 'boss', password: 'x' }),
      await t.fail(admin, 'backup-settings-update', { enabled: true, hour: 25, keep: 0 }),
      await t.fail(admin, 'site-update', { id: site.id, name: 'A', timeZone: 'UTC', extra: 1 }),
    ];
    for (const m of more.flatMap(messages)) expect(m).not.toMatch(RAW);
    expect(more[0]?.fields).toContainEqual({
      field: 'latitude',
      message: 'Latitude must be at most 90°.',
    });
    expect(more[2]?.fields).toContainEqual({
      field: 'email',
      message: 'Email is not a valid email address, e.g. name@example.com.',
    });
  });
});

describe('numbers are refused, not changed', () => {
  it('an outlet cannot be rated above its station, nor the station below its outlets', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const st = await t.ok(admin, 'station-create', aStation(site.id, { maxCurrentA: 32 }));
    const outlet = st.connectors[0];
    if (!outlet) throw new Error('station-create made no outlet');
    const e = await t.fail(admin, 'connector-update', { id: outlet.id, maxCurrentA: 90 });
    expect(e).toMatchObject({ code: 'validation', field: 'maxCurrentA' });
    expect(e.message).toMatch(/^Maximum current must be at most 32 A/);
    expect((await t.ok(admin, 'station-get', { id: st.id })).connectors[0]?.maxCurrentA).toBeNull();

    await t.ok(admin, 'connector-update', { id: outlet.id, maxCurrentA: 16 });
    const lower = await t.fail(admin, 'station-update', { id: st.id, maxCurrentA: 10 });
    expect(lower).toMatchObject({ code: 'validation', field: 'maxCurrentA' });
    expect(lower.message).toContain('outlet 1 (16 A)');
    expect((await t.ok(admin, 'station-get', { id: st.id })).maxCurrentA).toBe(32);
  });

  it('a charging limit with two decimals is refused before it is sent', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const st = await t.ok(admin, 'station-create', aStation(site.id));
    const e = await t.fail(admin, 'station-charging-profile-set', {
      stationId: st.id,
      connectorNumber: 1,
      chargingProfile: {
        chargingProfileId: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: {
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 7.25 }],
        },
      },
    });
    expect(e.code).toBe('validation');
    expect(e.fields).toEqual([
      {
        field: 'chargingProfile.chargingSchedule.chargingSchedulePeriod.0.limit',
        message:
          'Use at most one digit after the decimal point (e.g. 7.5): OCPP chargers accept no more.',
      },
    ]);
  });
});

describe('text lengths', () => {
  it('a 3 MB audit filter is a validation error naming the field, not an internal error', async () => {
    const t = await makeCore();
    const { admin } = await setupAdmin(t);
    const e = await t.fail(admin, 'audit-list', { text: '%_'.repeat(1_500_000) });
    expect(e).toMatchObject({
      code: 'validation',
      field: 'text',
      message: 'Search text must be at most 200 characters long.',
    });
    const ok = await t.ok(admin, 'audit-list', { text: 'site' });
    expect(ok.total).toBeGreaterThan(0);
  });

  it('a 1 MB organisation address is refused with its limit and nothing is created', async () => {
    const t = await makeCore();
    const c = t.conn();
    const e = await t.fail(
      c,
      'setup-complete',
      aSetup({ organisation: { name: 'Harbour', address: 'x'.repeat(1_000_000) } }),
    );
    expect(e.fields).toEqual([
      { field: 'organisation.address', message: 'Address must be at most 500 characters long.' },
    ]);
    expect((await t.ok(c, 'setup-status', {})).needsSetup).toBe(true);
  });

  it('a residents CSV over the limit is called a file too large, with what to do', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t);
    const csv = `lot,unit\n${'1,1\n'.repeat(1_300_000)}`;
    const e = await t.fail(admin, 'residents-import', { siteId: site.id, csv, mode: 'preview' });
    expect(e).toMatchObject({
      code: 'validation',
      field: 'csv',
      message:
        'The CSV file is too large: at most 5,000,000 characters. Split it into smaller files and import each.',
    });
  });
});

describe('strata plan numbers', () => {
  it('are stored once whatever prefix is typed, and a prefix is never doubled', async () => {
    const t = await makeCore();
    const { admin, site } = await setupAdmin(t, {
      site: { name: 'Harbour View', strataPlan: 'SP 99999', timeZone: 'Australia/Sydney' },
    });
    expect(site.strataPlan).toBe('99999');
    for (const typed of ['sp99999', '99999', ' Strata Plan 99999 ', 'SP-99999']) {
      const s = await t.ok(admin, 'site-update', {
        id: site.id,
        name: 'Harbour View',
        timeZone: 'Australia/Sydney',
        strataPlan: typed,
      });
      expect(s.strataPlan).toBe('99999');
    }
    const tree = await t.ok(admin, 'tree-get', {});
    expect(tree.sites[0]?.strataPlan).toBe('99999');
    // Written without the API (the demo seeds its site through the model): the same one form.
    const demo = t.core.services.model.createSite(
      {
        name: 'Demo Towers',
        strataPlan: 'SP 42',
        address: null,
        timeZone: 'Australia/Sydney',
        latitude: null,
        longitude: null,
      },
      t.clock.now(),
    );
    expect(demo.strataPlan).toBe('42');
    const bad = await t.fail(admin, 'site-create', aSite({ strataPlan: 'SP twelve' }));
    expect(bad.fields).toEqual([
      {
        field: 'strataPlan',
        message: 'The strata plan number is not valid: type the number, e.g. SP 12345 or 12345.',
      },
    ]);
  });
});
