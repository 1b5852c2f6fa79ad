import pg from 'pg';
import { scaled } from '../time-scale.ts';
import { clusterCa } from './credentials.ts';
import { assertClusterAddress } from './guard.ts';

export interface SqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  /** Force TLS on or off; by default TLS (verified against the cluster CA) once chapter 15 is done. */
  tls?: boolean;
}

/** pg's connection settings for a target; TLS verifies the server's certificate and address. */
export function clientConfig(target: SqlTarget, timeouts = { connectMs: 4000, queryMs: 10000 }): pg.ClientConfig {
  const ca = clusterCa();
  const useTls = target.tls ?? Boolean(ca);
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database ?? 'postgres',
    connectionTimeoutMillis: scaled(timeouts.connectMs),
    query_timeout: scaled(timeouts.queryMs),
    ssl: useTls ? { ca, rejectUnauthorized: true } : false,
  };
}

/** One short connection, one query. pg speaks the real wire protocol with scram-sha-256. */
export async function query<T extends Record<string, unknown> = Record<string, unknown>>(
  target: SqlTarget,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  await assertClusterAddress(target.host);
  const client = new pg.Client(clientConfig(target));
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<T>(text, values);
    return result.rows;
  } finally {
    await client.end().catch(() => {});
  }
}
