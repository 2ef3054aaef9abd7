// The addresses to type into a charger ("central system URL", OCPP-J 1.6 §3.1.1). One function
// for the ready banner, Settings → System and the New chargers page, so they never disagree.
// A listener bound to every interface (0.0.0.0 / ::) is reachable on each LAN address the
// machine has, never on 127.0.0.1 (a charger typing that reaches itself).
import { hostname as osHostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export interface ChargerAddresses {
  /** `ws://<address>:<port>/ocpp/{chargeBoxId}`, one per LAN address, IPv4 first. */
  ocpp: string[];
  /** The same for `wss://` when the TLS listener runs; empty otherwise. */
  tls: string[];
}

export interface AddressSource {
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  hostname?: () => string;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** fe80::/10: only valid on one link and needs a zone id a charger's URL cannot carry. */
const isLinkLocalV6 = (a: string) => /^fe[89ab][0-9a-f]:/i.test(a);

const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** The hosts a charger on the LAN can reach a listener bound to `bindHost` on. */
export function lanHosts(bindHost: string, source: AddressSource = {}): string[] {
  if (!WILDCARD.has(bindHost)) return [bindHost];
  const all = Object.values((source.interfaces ?? networkInterfaces)()).flatMap((l) => l ?? []);
  const v4 = all.filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address);
  const v6 =
    bindHost === '0.0.0.0'
      ? [] // an IPv4-only bind does not answer on IPv6 addresses
      : all
          .filter((a) => a.family === 'IPv6' && !a.internal && !isLinkLocalV6(a.address))
          .map((a) => a.address);
  const hosts = [...new Set([...v4, ...v6])];
  // No LAN address at all (unplugged, container without a network): the machine's name is the
  // best an installer can use once it is connected.
  return hosts.length > 0 ? hosts : [(source.hostname ?? osHostname)()];
}

export function chargerAddresses(
  listener: { host: string; port: number | null; tlsPort: number | null },
  source: AddressSource = {},
): ChargerAddresses {
  const hosts = lanHosts(listener.host, source);
  const urls = (scheme: string, port: number | null) =>
    port === null ? [] : hosts.map((h) => `${scheme}://${bracket(h)}:${port}/ocpp/{chargeBoxId}`);
  return { ocpp: urls('ws', listener.port), tls: urls('wss', listener.tlsPort) };
}
