/** The IP plan: identical in the lab and in the VMs, so every chapter shows the same addresses. */

export const SUBNET = '192.168.56.0/24';
export const GATEWAY = '192.168.56.1';

export type Role = 'postgres' | 'etcd' | 'haproxy';

export interface HostSpec {
  readonly name: string;
  readonly address: string;
  readonly role: Role;
  /** Core hosts make up the cluster of chapters 1–10; the others belong to the later improvement chapters. */
  readonly core: boolean;
}

export const HOSTS: readonly HostSpec[] = [
  { name: 'node1', address: '192.168.56.11', role: 'postgres', core: true },
  { name: 'node2', address: '192.168.56.12', role: 'postgres', core: true },
  { name: 'node3', address: '192.168.56.13', role: 'postgres', core: true },
  { name: 'etcdnode', address: '192.168.56.21', role: 'etcd', core: true },
  { name: 'haproxynode', address: '192.168.56.31', role: 'haproxy', core: true },
  { name: 'etcdnode2', address: '192.168.56.22', role: 'etcd', core: false },
  { name: 'etcdnode3', address: '192.168.56.23', role: 'etcd', core: false },
  { name: 'haproxynode2', address: '192.168.56.32', role: 'haproxy', core: false },
];

/** The virtual IP keepalived moves between the two HAProxy hosts (chapter 13). */
export const VIRTUAL_IP = '192.168.56.30';

export const CORE_HOSTS = HOSTS.filter((h) => h.core);
export const HOST_NAMES = HOSTS.map((h) => h.name);
export const POSTGRES_NODES = HOSTS.filter((h) => h.role === 'postgres');
export const ETCD_NODE = hostSpec('etcdnode');
export const ETCD_NODES = HOSTS.filter((h) => h.role === 'etcd');
export const HAPROXY_NODE = hostSpec('haproxynode');
export const HAPROXY_NODES = HOSTS.filter((h) => h.role === 'haproxy');

export const PORTS = {
  postgres: 5432,
  patroniApi: 8008,
  etcdClient: 2379,
  etcdPeer: 2380,
  haproxyPrimary: 5000,
  haproxyReplicas: 5001,
  haproxyStats: 7000,
  pgbouncer: 6432,
} as const;

export class UnknownHostError extends Error {
  constructor(name: string) {
    super(`unknown host "${name}": choose one of ${HOST_NAMES.join(', ')}`);
  }
}

export function hostSpec(name: string): HostSpec {
  const spec = HOSTS.find((h) => h.name === name);
  if (!spec) throw new UnknownHostError(name);
  return spec;
}

export function addressOf(name: string): string {
  return hostSpec(name).address;
}
