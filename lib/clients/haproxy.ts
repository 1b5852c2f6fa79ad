import { HAPROXY_NODE, PORTS } from '../ip-plan.ts';
import { credentialsFor } from './credentials.ts';
import { request } from './http.ts';

export interface HaproxyRow {
  proxy: string;
  server: string;
  status: string;
}

/** HAProxy's stats page as CSV: one row per frontend, server and backend. */
export async function haproxyStats(address = HAPROXY_NODE.address): Promise<HaproxyRow[]> {
  const res = await request(address, PORTS.haproxyStats, '/;csv', { auth: credentialsFor('haproxyStats') });
  if (res.status !== 200)
    throw new Error(`HAProxy stats at ${address}:${PORTS.haproxyStats} did not answer (${res.status || res.text})`);
  const [header, ...lines] = res.text.split('\n').filter(Boolean);
  const cols = header.replace(/^# /, '').split(',');
  const at = (name: string) => cols.indexOf(name);
  return lines.map((line) => {
    const f = line.split(',');
    return { proxy: f[at('pxname')], server: f[at('svname')], status: f[at('status')] };
  });
}

/** The servers of one listener (not its FRONTEND/BACKEND rows). */
export function serversOf(rows: readonly HaproxyRow[], proxy: string): HaproxyRow[] {
  return rows.filter((r) => r.proxy === proxy && r.server !== 'FRONTEND' && r.server !== 'BACKEND');
}
