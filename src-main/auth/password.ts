// Password hashing with scrypt (Node's built-in memory-hard KDF, RFC 7914): no native add-on to
// rebuild for Electron. Parameters are stored with each hash so they can be raised later.
import {
  randomBytes,
  randomInt,
  scrypt as scryptCb,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (e, key) => (e ? reject(e) : resolve(key))),
  );

/** N = 2^15, r = 8: ~32 MiB and ~50-100 ms per hash on this class of machine (OWASP minimum). */
const DEFAULT = { N: 1 << 15, r: 8, p: 1 };
const KEYLEN = 32;

export async function hashPassword(password: string, params = DEFAULT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, {
    ...params,
    maxmem: 128 * params.N * params.r * 2,
  });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(
    password.normalize('NFKC'),
    Buffer.from(saltB64, 'base64'),
    expected.length,
    {
      N,
      r: R,
      p: P,
      maxmem: 128 * N * R * 2,
    },
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password: verified against when the login name is unknown, so that
 *  an unknown user takes as long to refuse as a wrong password (no user enumeration by timing). */
let dummyHash: Promise<string> | null = null;
export const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const ONE_TIME_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password for a reset: 4 groups of 4 (about 79 bits), e.g. `k7pq-2xam-...`. */
export function generateOneTimePassword(): string {
  const groups = Array.from({ length: 4 }, () =>
    Array.from(
      { length: 4 },
      () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)] ?? '',
    ).join(''),
  );
  return groups.join('-');
}
