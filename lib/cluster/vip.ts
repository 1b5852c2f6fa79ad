import type { Host } from '../host/host.ts';
import { HAPROXY_NODES, VIRTUAL_IP } from '../inventory.ts';

/** Which HAProxy hosts hold the virtual IP right now (exactly one, when VRRP is healthy). */
export async function vipHolders(host: (name: string) => Pick<Host, 'run'>): Promise<string[]> {
  const holders: string[] = [];
  for (const spec of HAPROXY_NODES) {
    const { stdout } = await host(spec.name).run('ip -4 -o addr show dev eth1', { check: false });
    if (stdout.includes(`inet ${VIRTUAL_IP}/`)) holders.push(spec.name);
  }
  return holders;
}
