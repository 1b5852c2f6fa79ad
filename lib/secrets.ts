import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { registerClusterCa, registerCredentials } from './clients/credentials.ts';
import { type TargetName, targetStateDir } from './target.ts';

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
export function trustedCaFile(target: TargetName): string {
  return `${targetStateDir(target)}/ca.crt`;
}

export function secretsFile(target: TargetName): string {
  return `${targetStateDir(target)}/secrets.json`;
}

/** Generated on first use for each cluster, kept with mode 0600 outside git, never printed in full. */
export async function loadSecrets(target: TargetName, file = secretsFile(target)): Promise<Secrets> {
  let stored: Partial<Secrets> = {};
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as Partial<Secrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(
        `${file} is not valid JSON: fix it, or delete it to generate new secrets (the cluster must then be rebuilt)`,
      );
    }
  }
  const missing = SECRET_NAMES.filter((k) => typeof stored[k] !== 'string' || !stored[k]);
  const secrets = { ...stored } as Secrets;
  if (missing.length) {
    for (const key of missing) secrets[key] = generatePassword();
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  registerCredentials('haproxyStats', { username: HAPROXY_STATS_USER, password: secrets.haproxyStats });
  registerCredentials('patroniApi', { username: PATRONI_API_USER, password: secrets.restapi });
  registerClusterCa(await readFile(trustedCaFile(target), 'utf8').catch(() => undefined));
  return secrets;
}

/** 24 characters of URL-safe base64: no quoting trouble in YAML, ini files, URLs or shells. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** How a secret may appear on screen: enough to tell two apart, not enough to use. */
export function mask(secret: string): string {
  return `${secret.slice(0, 2)}…(${secret.length} chars)`;
}
