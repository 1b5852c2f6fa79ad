import { etcdMembers } from '../clients/etcd.ts';
import { clientUrl } from '../config/etcd.ts';
import { PATRONI_CONFIG, renderPatroniConfig } from '../config/patroni.ts';
import { ETCD_NODES, hostSpec, PORTS } from '../ip-plan.ts';
import type { Secrets } from '../secrets.ts';
import type { StepHost } from '../step.ts';

/**
 * The etcd endpoints Patroni should know: every started member of the etcd cluster as it is
 * now (one after chapter 5, three after chapter 11), in the IP plan's order.
 */
export async function currentEtcdHosts(): Promise<string[]> {
  const urls = new Set((await etcdMembers()).flatMap((m) => m.clientURLs ?? []));
  return ETCD_NODES.filter((n) => urls.has(clientUrl(n))).map((n) => `${n.address}:${PORTS.etcdClient}`);
}

/**
 * Writes /etc/patroni.yml for a node (postgres only, 0600: it holds passwords) and makes a
 * running Patroni reread it (SIGHUP). Returns true when the file changed.
 */
export async function applyPatroniConfig(node: StepHost, secrets: Secrets, etcdHosts: readonly string[]): Promise<boolean> {
  const config = renderPatroniConfig({ node: hostSpec(node.name), secrets, etcdHosts });
  const file = { path: PATRONI_CONFIG, content: config, options: { owner: 'postgres', mode: '0600' } };
  return node.configure('patroni', [file], { start: false });
}
