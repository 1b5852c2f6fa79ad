import { request } from '../clients/http.ts';
import { NAMESPACE, SCOPE } from '../config/patroni.ts';
import { ETCD_NODE, PORTS } from '../ip-plan.ts';

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
