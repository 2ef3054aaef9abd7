// The WebSocket API transport of the headless service, through real sockets.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isAllowedOrigin, MAX_ANSWERED_BYTES } from '../../src-main/http/api-socket';
import type { CoreEvent } from '../../src-shared/api/events';
import type { Result } from '../../src-shared/api/result';
import { aSetup, USER_PASSWORD } from '../support/factories';
import { openApi, startInProcess, waitFor, type ApiClient } from './support';

const stationEvent = (siteId: number): CoreEvent => ({
  type: 'station-connection',
  siteId,
  stationId: 1,
  connected: true,
  at: 0,
});

/** A call round trip: every event emitted before it has been delivered when it returns. */
const flush = (client: ApiClient) => client.call('setup-status');

describe('API WebSocket', () => {
  it('answers a call with its id and result', async () => {
    const { service } = await startInProcess();
    const api = await openApi(service);
    const result = await api.call('setup-status');
    expect(result).toEqual({
      ok: true,
      value: { needsSetup: true, defaultTimeZone: expect.any(String) },
    });
    expect(await api.call('no-such-method')).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
  });

  it('answers malformed messages with an error and keeps the socket usable', async () => {
    const { service } = await startInProcess();
    const api = await openApi(service);
    api.sendRaw('{not json');
    api.sendRaw(JSON.stringify({ method: 'setup-status' })); // no id
    api.sendRaw(JSON.stringify({ id: 7, method: 42 }));
    api.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const errors = await waitFor(() => {
      const answers = api.messages.filter((m) => 'id' in m);
      return answers.length === 4 ? answers : undefined;
    }, 'four error answers');
    expect(errors).toEqual([
      { id: -1, result: { ok: false, error: expect.objectContaining({ code: 'validation' }) } },
      { id: -1, result: { ok: false, error: expect.objectContaining({ code: 'validation' }) } },
      { id: 7, result: { ok: false, error: expect.objectContaining({ code: 'validation' }) } },
      { id: -1, result: { ok: false, error: expect.objectContaining({ code: 'validation' }) } },
    ]);
    expect((await api.call('setup-status')).ok).toBe(true);
    expect(api.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('answers an oversized call with a validation error on its id, and keeps the socket', async () => {
    const { service } = await startInProcess();
    const api = await openApi(service);
    // A 5 MB name, as a UI or script would send it: told why, not disconnected.
    const name = 'x'.repeat(5 * 1024 * 1024);
    api.sendRaw(JSON.stringify({ id: 41, method: 'site-create', input: { name } }));
    const answer = await waitFor(
      () => api.messages.find((m) => 'id' in m && m.id === 41),
      'an answer to the oversized call',
    );
    expect(answer).toEqual({
      id: 41,
      result: {
        ok: false,
        error: {
          code: 'validation',
          message: expect.stringMatching(/^This request is too large \(5 MB\)/),
        },
      },
    });
    expect(api.ws.readyState).toBe(WebSocket.OPEN);
    expect((await api.call('setup-status')).ok).toBe(true);
  });

  it('closes a socket that sends a message beyond what it answers, without affecting others', async () => {
    const { service } = await startInProcess();
    const big = await openApi(service);
    const other = await openApi(service);
    const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)));
    big.sendRaw('x'.repeat(MAX_ANSWERED_BYTES + 1));
    expect(await closed).toBe(1009); // RFC 6455 §7.4.1: message too big
    expect((await other.call('setup-status')).ok).toBe(true);
  });

  it('refuses a WebSocket opened by another site (cross-site WebSocket hijacking)', async () => {
    const { service } = await startInProcess();
    await expect(openApi(service, { origin: 'http://evil.example' })).rejects.toThrow(/HTTP 403/);
    const port = new URL(service.httpUrl).port;
    // Same host, different port: another local web app is still another origin.
    await expect(
      openApi(service, { origin: `http://127.0.0.1:${Number(port) + 1}` }),
    ).rejects.toThrow(/HTTP 403/);
    // The UI's own origin, and non-browser clients (no Origin header), are accepted.
    await expect(openApi(service)).resolves.toBeDefined();
    await expect(openApi(service, { origin: null })).resolves.toBeDefined();
    expect(service.api.size).toBe(2);
  });

  it('checks origin and host against the listen address (DNS rebinding)', () => {
    expect(isAllowedOrigin('http://127.0.0.1:8080', '127.0.0.1:8080', '127.0.0.1')).toBe(true);
    expect(isAllowedOrigin('http://localhost:8080', 'localhost:8080', '127.0.0.1')).toBe(true);
    // evil.example resolving to 127.0.0.1: origin matches host, but the host is not ours.
    expect(isAllowedOrigin('http://evil.example:8080', 'evil.example:8080', '127.0.0.1')).toBe(
      false,
    );
    // Listening on the LAN: the operator's chosen name is fine, a foreign origin is not.
    expect(isAllowedOrigin('http://evcharge.lan:8080', 'evcharge.lan:8080', '0.0.0.0')).toBe(true);
    expect(isAllowedOrigin('http://evil.example', 'evcharge.lan:8080', '0.0.0.0')).toBe(false);
    expect(isAllowedOrigin('null', '127.0.0.1:8080', '127.0.0.1')).toBe(false);
    expect(isAllowedOrigin(undefined, undefined, '127.0.0.1')).toBe(false);
  });

  it('pushes events only to logged-in sockets, scoped to the sites the user may see', async () => {
    const { service } = await startInProcess();
    const admin = await openApi(service);
    const anonymous = await openApi(service);
    const setup = await admin.call('setup-complete', aSetup());
    expect(setup.ok).toBe(true);
    const sites = await admin.call('site-list');
    if (!sites.ok) throw new Error(sites.error.message);
    const [site] = sites.value as { id: number }[];
    if (site === undefined) throw new Error('setup created no site');
    const created = await admin.call('user-create', {
      email: 'resident@example.com',
      name: 'Rita Resident',
      role: 'ev_user',
      siteIds: [site.id],
      password: USER_PASSWORD,
    });
    expect(created.ok).toBe(true);
    const resident = await openApi(service);
    expect(
      (
        await resident.call('session-login', {
          email: 'resident@example.com',
          password: USER_PASSWORD,
        })
      ).ok,
    ).toBe(true);

    const events = service.core.events;
    events.emit({ type: 'tree-changed', siteId: null });
    events.emit(stationEvent(site.id + 100));
    events.emit(stationEvent(site.id));
    await Promise.all([flush(admin), flush(anonymous), flush(resident)]);

    expect(admin.events()).toEqual([
      { type: 'tree-changed', siteId: null },
      stationEvent(site.id + 100),
      stationEvent(site.id),
    ]);
    // The resident sees their own building only, and no organisation-wide (staff) events.
    expect(resident.events()).toEqual([stationEvent(site.id)]);
    expect(anonymous.events()).toEqual([]);

    // After logout the socket gets nothing more.
    expect((await admin.call('session-logout')).ok).toBe(true);
    events.emit(stationEvent(site.id));
    await flush(admin);
    expect(admin.events()).toHaveLength(3);
  });

  it('after a restore, events follow the sites a user has in the restored data at once', async () => {
    const { service } = await startInProcess();
    const admin = await openApi(service);
    const ok = async (r: Promise<Result<unknown>>) => {
      const v = await r;
      if (!v.ok) throw new Error(v.error.message);
      return v.value;
    };
    await ok(admin.call('setup-complete', aSetup()));
    const [siteA] = (await ok(admin.call('site-list'))) as { id: number }[];
    if (siteA === undefined) throw new Error('setup created no site');
    const siteB = (await ok(
      admin.call('site-create', { name: 'Second Building', timeZone: 'Australia/Sydney' }),
    )) as { id: number };
    const user = (await ok(
      admin.call('user-create', {
        email: 'resident@example.com',
        name: 'Rita Resident',
        role: 'ev_user',
        siteIds: [siteA.id],
        password: USER_PASSWORD,
      }),
    )) as { id: number };
    const { fileName } = (await ok(admin.call('backup-create'))) as { fileName: string };
    // Since the backup the resident also lives in building B; they log in.
    await ok(admin.call('user-update', { id: user.id, siteIds: [siteA.id, siteB.id] }));
    const resident = await openApi(service);
    await ok(
      resident.call('session-login', { email: 'resident@example.com', password: USER_PASSWORD }),
    );
    const events = service.core.events;
    events.emit(stationEvent(siteB.id)); // delivered: B is theirs now
    await flush(resident);
    events.emit(stationEvent(siteA.id)); // the socket has looked the resident up again

    await ok(admin.call('backup-restore', { fileName }));
    // In the restored data the resident has building A only; nothing about B reaches them.
    events.emit(stationEvent(siteB.id));
    await flush(resident);
    expect(resident.events()).toEqual([stationEvent(siteB.id), stationEvent(siteA.id)]);
  });

  it('refuses administrator methods sent directly by a Support user, and writes nothing', async () => {
    const { service } = await startInProcess();
    const admin = await openApi(service);
    expect((await admin.call('setup-complete', aSetup())).ok).toBe(true);
    expect(
      (
        await admin.call('user-create', {
          email: 'support@example.com',
          name: 'Sam Support',
          role: 'support',
          password: USER_PASSWORD,
        })
      ).ok,
    ).toBe(true);
    const support = await openApi(service);
    const login = await support.call('session-login', {
      email: 'support@example.com',
      password: USER_PASSWORD,
    });
    expect(login.ok).toBe(true);

    // The UI hides these from Support; a hand-crafted frame on the same socket must still fail.
    const attempts: [string, unknown][] = [
      [
        'user-create',
        { email: 'x@example.com', name: 'X', role: 'admin', password: USER_PASSWORD },
      ],
      ['site-create', { name: 'Rogue Tower', timeZone: 'Australia/Sydney' }],
      ['organisation-update', { name: 'Hijacked Pty Ltd' }],
      ['backup-create', {}],
      ['audit-list', {}],
    ];
    for (const [method, input] of attempts) {
      expect(await support.call(method, input), method).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    const users = await admin.call('user-list');
    if (!users.ok) throw new Error(users.error.message);
    expect((users.value as { email: string }[]).map((u) => u.email).sort()).toEqual([
      'admin@example.com',
      'support@example.com',
    ]);
    const sites = await admin.call('site-list');
    if (!sites.ok) throw new Error(sites.error.message);
    expect((sites.value as { name: string }[]).map((s) => s.name)).not.toContain('Rogue Tower');
    const org = await admin.call('organisation-get');
    expect(org).toMatchObject({ ok: true, value: { name: expect.not.stringMatching(/Hijacked/) } });
    // Support may still do what the role is for: see the building's stations.
    expect((await support.call('station-list', {})).ok).toBe(true);
  });

  it('tells a socket once when its session ends elsewhere', async () => {
    const { service } = await startInProcess();
    const tab = await openApi(service);
    const setup = await tab.call('setup-complete', aSetup());
    if (!setup.ok) throw new Error(setup.error.message);
    // Another tab resumes the same session and logs it out.
    const other = await openApi(service);
    const token = (setup.value as { token: string }).token;
    expect((await other.call('session-resume', { token })).ok).toBe(true);
    expect((await other.call('session-logout')).ok).toBe(true);

    service.core.events.emit({ type: 'tree-changed', siteId: null });
    service.core.events.emit({ type: 'tree-changed', siteId: null });
    await flush(tab);
    expect(tab.events()).toEqual([{ type: 'session-expired', siteId: null }]);
  });
});
