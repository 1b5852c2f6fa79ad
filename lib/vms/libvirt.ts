import { mkdir, readFile } from 'node:fs/promises';
import { $ } from 'zx';

/**
 * libvirtd for the VM test, on a machine without systemd: started as a daemon with pid files
 * of our own, stopped by them. And the two networks, both isolated (no forwarding, no DNS):
 * vagrant-libvirt's management network, where the VMs get an address by DHCP and vagrant
 * reaches them, and the cluster's private network 192.168.56.0/24.
 */
const RUN_DIR = '/run/ha-workbook';
const DAEMONS = ['virtlogd', 'libvirtd'] as const;
const q = $({ quiet: true, nothrow: true });

export const MGMT = {
  name: 'vagrant-libvirt',
  bridge: 'wbvirmgmt0',
  host: '192.168.121.1',
  dhcp: ['192.168.121.2', '192.168.121.254'],
} as const;
export const CLUSTER = { name: 'ha-workbook', bridge: 'wbvir56', host: '192.168.56.1' } as const;

export async function libvirtdAnswers(): Promise<boolean> {
  return (await q`virsh -c qemu:///system version`).exitCode === 0;
}

/** Starts virtlogd and libvirtd unless libvirtd already answers. Returns true when it started them. */
export async function ensureLibvirtd(): Promise<boolean> {
  if (await libvirtdAnswers()) return false;
  await mkdir(RUN_DIR, { recursive: true });
  for (const daemon of DAEMONS) {
    const started = await q`${daemon} --daemon --pid-file ${`${RUN_DIR}/${daemon}.pid`}`;
    if (started.exitCode !== 0) throw new Error(`${daemon} did not start: ${started.stderr.trim()}`);
  }
  const deadline = Date.now() + 20000;
  while (!(await libvirtdAnswers())) {
    if (Date.now() > deadline)
      throw new Error('libvirtd started but does not answer `virsh -c qemu:///system version` after 20 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return true;
}

/** Stops the daemons this script started, by their pid files. */
export async function stopLibvirtd(): Promise<void> {
  for (const daemon of [...DAEMONS].reverse()) {
    const pid = (await readFile(`${RUN_DIR}/${daemon}.pid`, 'utf8').catch(() => '')).trim();
    if (/^\d+$/.test(pid))
      await q`start-stop-daemon --stop --quiet --pidfile ${`${RUN_DIR}/${daemon}.pid`} --retry TERM/15/KILL/5 --remove-pidfile`;
  }
}

export function managementNetworkXml(): string {
  return `<network ipv6='no'>
  <name>${MGMT.name}</name>
  <bridge name='${MGMT.bridge}' stp='on' delay='0'/>
  <dns enable='no'/>
  <ip address='${MGMT.host}' netmask='255.255.255.0'>
    <dhcp><range start='${MGMT.dhcp[0]}' end='${MGMT.dhcp[1]}'/></dhcp>
  </ip>
</network>
`;
}

export function clusterNetworkXml(): string {
  return `<network ipv6='no'>
  <name>${CLUSTER.name}</name>
  <bridge name='${CLUSTER.bridge}' stp='on' delay='0'/>
  <dns enable='no'/>
  <ip address='${CLUSTER.host}' netmask='255.255.255.0'/>
</network>
`;
}

/** Defines and starts an isolated network (no <forward>: nothing leaves it). */
export async function ensureNetwork(name: string, xml: string): Promise<void> {
  if (/<forward/.test(xml)) throw new Error(`refusing network ${name}: it would forward traffic`);
  const info = await q`virsh -c qemu:///system net-info ${name}`;
  if (info.exitCode !== 0) {
    const defined = await $({ quiet: true, nothrow: true, input: xml })`virsh -c qemu:///system net-define /dev/stdin`;
    if (defined.exitCode !== 0) throw new Error(`cannot define network ${name}: ${defined.stderr.trim()}`);
  }
  if (!/Active:\s+yes/.test((await q`virsh -c qemu:///system net-info ${name}`).stdout)) {
    const started = await q`virsh -c qemu:///system net-start ${name}`;
    if (started.exitCode !== 0) throw new Error(`cannot start network ${name}: ${started.stderr.trim()}`);
  }
}

export async function removeNetwork(name: string): Promise<void> {
  await q`virsh -c qemu:///system net-destroy ${name}`;
  await q`virsh -c qemu:///system net-undefine ${name}`;
}
