import { ETCD_NODE, type HostSpec, PORTS } from '../inventory.ts';

export const ETCD_DEFAULTS_FILE = '/etc/default/etcd';

/** /etc/default/etcd for a single-member cluster, read by Debian's etcd.service. */
export function renderEtcdDefaults(node: HostSpec = ETCD_NODE): string {
  const peer = `http://${node.address}:${PORTS.etcdPeer}`;
  return `ETCD_NAME="${node.name}"
ETCD_DATA_DIR="/var/lib/etcd/${node.name}"
ETCD_LISTEN_PEER_URLS="${peer}"
ETCD_LISTEN_CLIENT_URLS="http://${node.address}:${PORTS.etcdClient},http://127.0.0.1:${PORTS.etcdClient}"
ETCD_INITIAL_ADVERTISE_PEER_URLS="${peer}"
ETCD_INITIAL_CLUSTER="${node.name}=${peer}"
ETCD_INITIAL_CLUSTER_STATE="new"
ETCD_INITIAL_CLUSTER_TOKEN="workbook-etcd-cluster"
ETCD_ADVERTISE_CLIENT_URLS="http://${node.address}:${PORTS.etcdClient}"
`;
}
