import { ROLES } from '../config/patroni.ts';
import { PORTS, POSTGRES_NODES } from '../ip-plan.ts';
import type { Secrets } from '../secrets.ts';
import { request } from './http.ts';

/** Patroni's dynamic configuration (GET /config): what the drills and chapter 15 change. */
export interface DcsConfig {
  ttl?: number;
  loop_wait?: number;
  retry_timeout?: number;
  synchronous_mode?: boolean;
  failsafe_mode?: boolean;
  [key: string]: unknown;
}

/** GET /config from the first node that answers. */
export async function readDcsConfig(): Promise<DcsConfig> {
  for (const node of POSTGRES_NODES) {
    const res = await request(node.address, PORTS.patroniApi, '/config', { timeoutMs: 2000 });
    if (res.status === 200) return res.json<DcsConfig>();
  }
  throw new Error(`no Patroni REST API answered GET /config on ${POSTGRES_NODES.map((n) => n.address).join(', ')}`);
}

/**
 * PATCH /config on one node (the leader, so that its HA loop wakes at once; the others wake on
 * etcd's watch of the config key). A key set to null is removed. Needs the REST API's password.
 */
export async function patchDcsConfig(address: string, patch: Record<string, unknown>, secrets: Secrets): Promise<DcsConfig> {
  const res = await request(address, PORTS.patroniApi, '/config', {
    method: 'PATCH',
    body: patch,
    auth: { username: ROLES.restapi, password: secrets.restapi },
    timeoutMs: 5000,
  });
  if (res.status === 401)
    throw new Error(`Patroni on ${address} refused PATCH /config: wrong REST API password (secrets.restapi)`);
  if (res.status !== 200) throw new Error(`PATCH /config on ${address} failed (${res.status || res.text})`);
  return res.json<DcsConfig>();
}
