import { ETCD_NODE, ETCD_NODES, type HostSpec, PORTS } from '../ip-plan.ts';

export const ETCD_DEFAULTS_FILE = '/etc/default/etcd';

export const peerUrl = (node: HostSpec) => `http://${node.address}:${PORTS.etcdPeer}`;
export const clientUrl = (node: HostSpec) => `http://${node.address}:${PORTS.etcdClient}`;

export interface EtcdMembership {
  /** Every member of the cluster this node starts in, itself included. */
  members: readonly HostSpec[];
  /** `new` bootstraps a cluster; `existing` joins one after `etcdctl member add`. */
  state: 'new' | 'existing';
}

/**
 * Chapter 11: the membership a newcomer starts with, as `etcdctl member add` prints it: the
 * members of the plan up to and including it (etcdnode, then etcdnode2, then etcdnode3), `existing`.
 */
export function joiningMembership(node: HostSpec): EtcdMembership {
  const upTo = ETCD_NODES.findIndex((n) => n.name === node.name);
  if (upTo < 1) throw new Error(`${node.name} is not one of the etcd members added in chapter 11`);
  return { members: ETCD_NODES.slice(0, upTo + 1), state: 'existing' };
}

/** /etc/default/etcd, read by Debian's etcd.service. The default is chapter 5's one-member cluster. */
export function renderEtcdDefaults(
  node: HostSpec = ETCD_NODE,
  membership: EtcdMembership = { members: [node], state: 'new' },
): string {
  return `ETCD_NAME="${node.name}"
ETCD_DATA_DIR="/var/lib/etcd/${node.name}"
ETCD_LISTEN_PEER_URLS="${peerUrl(node)}"
ETCD_LISTEN_CLIENT_URLS="${clientUrl(node)},http://127.0.0.1:${PORTS.etcdClient}"
ETCD_INITIAL_ADVERTISE_PEER_URLS="${peerUrl(node)}"
ETCD_INITIAL_CLUSTER="${membership.members.map((m) => `${m.name}=${peerUrl(m)}`).join(',')}"
ETCD_INITIAL_CLUSTER_STATE="${membership.state}"
ETCD_INITIAL_CLUSTER_TOKEN="workbook-etcd-cluster"
ETCD_ADVERTISE_CLIENT_URLS="${clientUrl(node)}"
`;
}
