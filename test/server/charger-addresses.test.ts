// What an installer types into a charger: every LAN address of the machine, never 127.0.0.1 for
// a listener bound to every interface, and the ready banner and the UI say the same.
import { X509Certificate } from 'node:crypto';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { chargerAddresses, lanHosts } from '../../src-main/ocpp/charger-addresses';
import { generateSelfSigned } from '../../src-main/ocpp/tls';
import { aSetup } from '../support/factories';
import { openApi, startInProcess } from './support';

function nic(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const common = { address, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

const machine = {
  interfaces: () => ({
    lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
    eth0: [nic('fe80::1', 'IPv6'), nic('2001:db8::20', 'IPv6'), nic('192.168.1.20', 'IPv4')],
    wlan0: [nic('10.0.0.7', 'IPv4')],
  }),
  hostname: () => 'comms-room',
};

describe('charger addresses', () => {
  it('lists every LAN IPv4 address of a 0.0.0.0 listener, never loopback', () => {
    expect(chargerAddresses({ host: '0.0.0.0', port: 9000, tlsPort: null }, machine)).toEqual({
      ocpp: ['ws://192.168.1.20:9000/ocpp/{chargeBoxId}', 'ws://10.0.0.7:9000/ocpp/{chargeBoxId}'],
      tls: [],
    });
  });

  it('adds the IPv6 addresses (not link-local) after the IPv4 ones for a :: listener, and wss:// with TLS', () => {
    const a = chargerAddresses({ host: '::', port: 9000, tlsPort: 9443 }, machine);
    expect(a.ocpp).toEqual([
      'ws://192.168.1.20:9000/ocpp/{chargeBoxId}',
      'ws://10.0.0.7:9000/ocpp/{chargeBoxId}',
      'ws://[2001:db8::20]:9000/ocpp/{chargeBoxId}',
    ]);
    expect(a.tls[0]).toBe('wss://192.168.1.20:9443/ocpp/{chargeBoxId}');
    expect(a.tls).toHaveLength(3);
  });

  it('falls back to the machine name without a LAN address, and keeps an explicit bind address', () => {
    const offline = {
      interfaces: () => ({ lo: [nic('127.0.0.1', 'IPv4', true)] }),
      hostname: () => 'comms-room',
    };
    expect(lanHosts('0.0.0.0', offline)).toEqual(['comms-room']);
    expect(lanHosts('192.168.1.20', machine)).toEqual(['192.168.1.20']);
  });

  it('puts the LAN addresses into the self-signed certificate, so a charger checking names accepts it', async () => {
    const m = await generateSelfSigned('192.168.1.20', Date.now(), ['192.168.1.20', '10.0.0.7']);
    const names = new X509Certificate(m.cert).subjectAltName ?? '';
    expect(names).toContain('IP Address:192.168.1.20');
    expect(names).toContain('IP Address:10.0.0.7');
  });

  it('the ready banner, Settings → System and New chargers show the same LAN addresses', async () => {
    // The service's defaults: OCPP on 0.0.0.0, plus a TLS listener.
    const svc = await startInProcess(['--tls-port', '0']);
    const api = await openApi(svc.service);
    expect((await api.call('setup-complete', aSetup())).ok).toBe(true);
    const info = await api.call('system-info');
    const settings = await api.call('ocpp-settings-get');
    if (!info.ok || !settings.ok) throw new Error('calls failed');
    const infoUrls = (info.value as { chargerUrls: { ocpp: string[]; tls: string[] } }).chargerUrls;
    const settingsUrls = (settings.value as { chargerUrls: typeof infoUrls }).chargerUrls;

    const lan = Object.values(networkInterfaces())
      .flatMap((l) => l ?? [])
      .filter((a) => a.family === 'IPv4' && !a.internal)
      .map((a) => a.address);
    const port = svc.service.core.services.ocpp.port;
    const tlsPort = svc.service.core.services.ocpp.tlsPort;
    if (lan.length > 0) {
      expect(infoUrls.ocpp).toEqual(lan.map((h) => `ws://${h}:${port}/ocpp/{chargeBoxId}`));
      expect(infoUrls.tls).toEqual(lan.map((h) => `wss://${h}:${tlsPort}/ocpp/{chargeBoxId}`));
    }
    expect([...infoUrls.ocpp, ...infoUrls.tls].join()).not.toContain('127.0.0.1');
    expect(settingsUrls).toEqual(infoUrls);

    // The banner prints each of them, the first after its label and the others aligned below.
    const bannerUrls = (label: string) => {
      const lines = svc.stdout.text.split('\n');
      const start = lines.findIndex((l) => l.startsWith(`  ${label}`));
      const out = [lines[start]?.slice(13)];
      for (let i = start + 1; lines[i]?.startsWith(' '.repeat(13)); i++)
        out.push(lines[i]?.slice(13));
      return out;
    };
    expect(bannerUrls('OCPP:')).toEqual(infoUrls.ocpp);
    expect(bannerUrls('OCPP TLS:')).toEqual(infoUrls.tls);
  });
});
