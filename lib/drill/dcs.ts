import { etcdRange } from '../clients/etcd.ts';
import { request } from '../clients/http.ts';
import { NAMESPACE, SCOPE } from '../config/patroni.ts';
import { ETCD_NODE, PORTS } from '../ip-plan.ts';

/**
 * The TTL etcd granted to the lease behind each member's key. A node that has applied a new
 * ttl from the dynamic configuration drops its old lease and takes one with the new TTL, so
 * this proves each node, not only the configuration, changed.
 */
export async function memberLeaseTtls(address = ETCD_NODE.address): Promise<Record<string, number>> {
  const prefix = `${NAMESPACE}${SCOPE}/members/`;
  const ttls: Record<string, number> = {};
  for (const kv of await etcdRange(prefix, address, { timeoutMs: 2000 })) {
    const name = kv.key.slice(prefix.length);
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
