// Server certificate for security profile 2 (wss). Stored in <dataDir>/tls; imported (PEM) or
// generated self-signed with `selfsigned`. The https server swaps it live via setSecureContext.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import type { TlsStatus } from '../../src-shared/ocpp/types';

export interface TlsMaterial {
  cert: string;
  key: string;
  source: 'imported' | 'self-signed' | 'file';
}

const paths = (dataDir: string) => ({
  dir: join(dataDir, 'tls'),
  cert: join(dataDir, 'tls', 'server.crt'),
  key: join(dataDir, 'tls', 'server.key'),
  source: join(dataDir, 'tls', 'source'),
});

export function readStoredTls(dataDir: string): TlsMaterial | null {
  const p = paths(dataDir);
  if (!existsSync(p.cert) || !existsSync(p.key)) return null;
  const source = existsSync(p.source) ? readFileSync(p.source, 'utf8').trim() : 'self-signed';
  return {
    cert: readFileSync(p.cert, 'utf8'),
    key: readFileSync(p.key, 'utf8'),
    source: source === 'imported' ? 'imported' : 'self-signed',
  };
}

/** Throws an Error with a user-facing message when the pair is unusable. */
export function checkPair(cert: string, key: string): X509Certificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error('The certificate is not a valid PEM X.509 certificate.');
  }
  let matches = false;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new Error('The private key is not a valid PEM key (encrypted keys are not supported).');
  }
  if (!matches) throw new Error('The private key does not belong to the certificate.');
  createSecureContext({ cert, key });
  return x509;
}

export function storeTls(dataDir: string, m: TlsMaterial): void {
  const p = paths(dataDir);
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(p.key, m.key, { mode: 0o600 });
  writeFileSync(p.cert, m.cert);
  writeFileSync(p.source, m.source);
}

/** `lanHosts`: the addresses chargers are given (ocpp/charger-addresses.ts), so a charger that
 *  checks the certificate's names against the URL it was given finds its address in it. */
export async function generateSelfSigned(
  commonName: string,
  now: number,
  lanHosts: readonly string[] = [],
): Promise<TlsMaterial> {
  const name = (h: string) =>
    isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h };
  const extra = lanHosts.filter((h) => h !== commonName && h !== '127.0.0.1').map(name);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + 10 * 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...(commonName === '127.0.0.1' ? [] : [name(commonName)]),
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          ...extra,
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private, source: 'self-signed' };
}

export function tlsStatus(
  m: TlsMaterial | null,
  port: number | null,
  url: string | null,
): TlsStatus {
  if (!m) return { port, url, source: null, subject: null, validTo: null, fingerprint256: null };
  const x = new X509Certificate(m.cert);
  return {
    port,
    url,
    source: m.source,
    subject: x.subject.replace(/\n/g, ', '),
    validTo: Date.parse(x.validTo),
    fingerprint256: x.fingerprint256,
  };
}
