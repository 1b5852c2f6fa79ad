import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { registerClusterCa, registerCredentials } from './clients/credentials.ts';
import { accessProblem, isAccessError, shown } from './file-access.ts';
import { secretsFile, trustedCaFile } from './state.ts';
import type { TargetName } from './target.ts';

export const HAPROXY_STATS_USER = 'admin';
export const PATRONI_API_USER = 'patroni';

/** Every secret of a cluster: PostgreSQL roles and the Patroni REST API. */
export interface Secrets {
  superuser: string;
  replication: string;
  rewind: string;
  app: string;
  restapi: string;
  haproxyStats: string;
  vrrp: string;
}

export const SECRET_NAMES: readonly (keyof Secrets)[] = [
  'superuser',
  'replication',
  'rewind',
  'app',
  'restapi',
  'haproxyStats',
  'vrrp',
];

/** The cluster CA that clients trust; it exists once chapter 15 has switched PostgreSQL to TLS only. */
export { secretsFile, trustedCaFile };

/** Generated on first use for each cluster, kept with mode 0600 outside git, never printed in full. */
export async function loadSecrets(target: TargetName, file = secretsFile(target)): Promise<Secrets> {
  let stored: Partial<Secrets> = {};
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isAccessError(error)) throw new Error(accessProblem(file, 'read'));
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) {
    try {
      stored = JSON.parse(text) as Partial<Secrets>;
      if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) throw new Error('not an object');
    } catch (error) {
      throw new CorruptSecretsError(file, target, (error as Error).message);
    }
  }
  const missing = SECRET_NAMES.filter((k) => typeof stored[k] !== 'string' || !stored[k]);
  const secrets = { ...stored } as Secrets;
  if (missing.length) {
    for (const key of missing) secrets[key] = generatePassword();
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
    } catch (error) {
      if (isAccessError(error)) throw new Error(accessProblem(file, 'write'));
      throw error;
    }
  }
  registerCredentials('haproxyStats', { username: HAPROXY_STATS_USER, password: secrets.haproxyStats });
  registerCredentials('patroniApi', { username: PATRONI_API_USER, password: secrets.restapi });
  registerClusterCa(await readFile(trustedCaFile(target), 'utf8').catch(() => undefined));
  return secrets;
}

/**
 * The only case where deleting the secrets is the advice: the file exists, is readable, and is
 * not what the workbook wrote. It says what deleting it loses.
 */
export class CorruptSecretsError extends Error {
  constructor(file: string, target: TargetName, detail: string) {
    const rebuild =
      target === 'lab'
        ? '`npm run lab -- down`, then `npm run chapter all`'
        : `\`vagrant destroy -f\` (or fresh servers), then \`npm run chapter all -- --target ${target}\``;
    super(
      `${shown(file)} is damaged (not the JSON the workbook writes: ${detail}). Repair it by hand if you can: it holds the passwords of the running cluster.\n` +
        `  Deleting it loses them all (${SECRET_NAMES.join(', ')}): the cluster must then be rebuilt with ${rebuild}.`,
    );
  }
}

/** 24 characters of URL-safe base64: no quoting trouble in YAML, ini files, URLs or shells. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** How a secret may appear on screen: enough to tell two apart, not enough to use. */
export function mask(secret: string): string {
  return `${secret.slice(0, 2)}…(${secret.length} chars)`;
}
