import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

const ITERATIONS = 4096;

function keys(password: string, salt: Buffer, iterations: number) {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  };
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores, computed here (as psql's \password does) so
 * the plain password never travels to the server nor lands in its logs.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  const { storedKey, serverKey } = keys(password, salt, ITERATIONS);
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** True when `verifier` (pg_authid.rolpassword) was made from `password`. */
export function verifierMatches(verifier: string | null | undefined, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier ?? '');
  if (!m) return false;
  const { storedKey } = keys(password, Buffer.from(m[2], 'base64'), Number(m[1]));
  const expected = Buffer.from(m[3], 'base64');
  return expected.length === storedKey.length && timingSafeEqual(expected, storedKey);
}
