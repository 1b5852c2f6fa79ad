import pg from 'pg';
import { assertClusterAddress } from './guard.ts';

export interface SqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
}

/** One short connection, one query. pg speaks the real wire protocol with scram-sha-256. */
export async function query<T extends Record<string, unknown> = Record<string, unknown>>(
  target: SqlTarget,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  await assertClusterAddress(target.host);
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database ?? 'postgres',
    connectionTimeoutMillis: 4000,
    query_timeout: 10000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<T>(text, values);
    return result.rows;
  } finally {
    await client.end().catch(() => {});
  }
}
