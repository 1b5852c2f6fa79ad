import { request } from '../clients/http.ts';
import { NAMESPACE, ROLES, SCOPE } from '../config/patroni.ts';
import { ETCD_NODE, PORTS, POSTGRES_NODES } from '../inventory.ts';
import type { Secrets } from '../secrets.ts';

/** Patroni's dynamic configuration, the part of it the drills change (GET /config). */
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

const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * The TTL etcd granted to the lease behind each member's key. A node that has applied a new
 * ttl from the dynamic configuration drops its old lease and takes one with the new TTL, so
 * this proves each node, not only the configuration, changed.
 */
export async function memberLeaseTtls(address = ETCD_NODE.address): Promise<Record<string, number>> {
  const prefix = `${NAMESPACE}${SCOPE}/members/`;
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const range = await request(address, PORTS.etcdClient, '/v3/kv/range', {
    method: 'POST',
    body: { key: b64(prefix), range_end: b64(end) },
    timeoutMs: 2000,
  });
  if (range.status !== 200) throw new Error(`etcd at ${address} did not answer a range request (${range.status || range.text})`);
  const kvs = range.json<{ kvs?: { key: string; lease?: string }[] }>().kvs ?? [];
  const ttls: Record<string, number> = {};
  for (const kv of kvs) {
    const name = Buffer.from(kv.key, 'base64').toString().slice(prefix.length);
    if (!kv.lease) continue;
    const res = await request(address, PORTS.etcdClient, '/v3/lease/timetolive', {
      method: 'POST',
      body: { ID: kv.lease },
      timeoutMs: 2000,
    });
    if (res.status === 200) ttls[name] = Number(res.json<{ grantedTTL?: string }>().grantedTTL ?? 0);
  }
  return ttls;
}

/** GET /failsafe: the members the leader last published for failsafe mode, or undefined. */
export async function failsafeMembers(address: string): Promise<Record<string, string> | undefined> {
  const res = await request(address, PORTS.patroniApi, '/failsafe', { timeoutMs: 2000 });
  return res.status === 200 ? res.json<Record<string, string>>() : undefined;
}
