import type { Host } from '../host/host.ts';
import { sh } from '../host/shell.ts';
import { HAPROXY_NODES, VIRTUAL_IP } from '../ip-plan.ts';

/** Which HAProxy hosts hold the virtual IP right now (exactly one, when VRRP is healthy). */
export async function vipHolders(host: (name: string) => Pick<Host, 'run'>): Promise<string[]> {
  const holders: string[] = [];
  for (const spec of HAPROXY_NODES) {
    const { stdout } = await host(spec.name).run('ip -4 -o addr show', { check: false });
    if (stdout.includes(`inet ${VIRTUAL_IP}/`)) holders.push(spec.name);
  }
  return holders;
}

/** The name of the host's interface on the cluster's private network (by address, not by guess). */
export async function privateInterface(host: Pick<Host, 'run' | 'address'>): Promise<string> {
  const { stdout } = await host.run(sh`ip -4 -o addr show to ${host.address}/32`);
  const name = stdout.trim().split(/\s+/)[1];
  if (!name) throw new Error(`no interface holds ${host.address}`);
  return name.replace(/@.*$/, '');
}
