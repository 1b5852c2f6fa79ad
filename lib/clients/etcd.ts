import { ETCD_NODE, PORTS } from '../ip-plan.ts';
import { request } from './http.ts';

export interface EtcdMember {
  ID: string;
  name: string;
  peerURLs: string[];
  clientURLs?: string[];
}

/** etcd's v3 API through its JSON gateway on the client port. */
export async function etcdMembers(address = ETCD_NODE.address): Promise<EtcdMember[]> {
  const res = await request(address, PORTS.etcdClient, '/v3/cluster/member/list', { method: 'POST', body: {} });
  if (res.status !== 200)
    throw new Error(`etcd at ${address}:${PORTS.etcdClient} did not answer member/list (${res.status || res.text})`);
  return res.json<{ members: EtcdMember[] }>().members;
}

export async function etcdHealthy(address = ETCD_NODE.address): Promise<boolean> {
  return (await etcdHealth(address)) === 'healthy';
}

/** A member's /health, telling a member that answers "not healthy" (an election, say) from one that does not answer. */
export async function etcdHealth(address = ETCD_NODE.address): Promise<'healthy' | 'unhealthy' | 'no answer'> {
  const res = await request(address, PORTS.etcdClient, '/health');
  if (res.status === 0) return 'no answer';
  const health = (() => {
    try {
      return res.json<{ health?: string }>().health;
    } catch {
      return undefined;
    }
  })();
  return res.status === 200 && health === 'true' ? 'healthy' : 'unhealthy';
}

export interface EtcdEntry {
  key: string;
  value: string;
  /** The lease the key is attached to (an ID), if any. */
  lease?: string;
}

/** Every key under a prefix, decoded: the v3 range request. */
export async function etcdRange(
  prefix: string,
  address = ETCD_NODE.address,
  options: { timeoutMs?: number } = {},
): Promise<EtcdEntry[]> {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const rangeEnd = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  const res = await request(address, PORTS.etcdClient, '/v3/kv/range', {
    method: 'POST',
    body: { key: b64(prefix), range_end: b64(rangeEnd) },
    ...options,
  });
  if (res.status !== 200) throw new Error(`etcd range ${prefix} at ${address} failed (${res.status || res.text})`);
  const kvs = res.json<{ kvs?: { key: string; value?: string; lease?: string }[] }>().kvs ?? [];
  const decode = (s: string) => Buffer.from(s, 'base64').toString();
  return kvs.map((kv) => ({ key: decode(kv.key), value: decode(kv.value ?? ''), ...(kv.lease ? { lease: kv.lease } : {}) }));
}

/** Keys (decoded) under a prefix, e.g. Patroni's /db/postgres/. */
export async function etcdKeys(prefix: string, address = ETCD_NODE.address): Promise<Record<string, string>> {
  return Object.fromEntries((await etcdRange(prefix, address)).map((e) => [e.key, e.value]));
}
