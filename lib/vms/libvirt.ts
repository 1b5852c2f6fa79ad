import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { $ } from 'zx';
import { sleep } from '../clients/wait.ts';
import { inNamespace, namespacePids, withoutSafetyRouteInside } from './netns.ts';

/**
 * libvirtd for the VM test, on a machine without systemd: started as a daemon with pid files
 * of our own, in the VMs' network namespace (lib/vms/netns.ts), niced, stopped by its pid file.
 * And the two networks, both isolated (no forwarding, no DNS): vagrant-libvirt's management
 * network, where the VMs get an address by DHCP and vagrant reaches them, and the cluster's
 * private network 192.168.56.0/24.
 */
export const RUN_DIR = '/run/ha-workbook';
const DAEMONS = ['virtlogd', 'libvirtd'] as const;
const q = $({ quiet: true, nothrow: true });
const pidFile = (daemon: string) => `${RUN_DIR}/${daemon}.pid`;

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

async function pidOf(daemon: string): Promise<number | undefined> {
  const pid = (await readFile(pidFile(daemon), 'utf8').catch(() => '')).trim();
  return /^\d+$/.test(pid) ? Number(pid) : undefined;
}

/**
 * Why /dev/kvm is hidden from libvirtd when the VMs are emulated: libvirt keeps QEMU's probed
 * capabilities only while "KVM was enabled when probing" agrees with "the QEMU user can open
 * /dev/kvm now" (virQEMUCapsIsValid). On this kind of machine /dev/kvm is root's alone (0600,
 * no udev rule giving it to the kvm group), yet the probe, `qemu-system-x86_64 -machine
 * none,accel=kvm:tcg`, gets KVM: the two never agree, and every domain operation probes QEMU
 * again (seconds under load, minutes for a `vagrant up`). With an unreadable file bound over
 * /dev/kvm in libvirtd's own mount namespace, both say "no KVM", and the cache holds.
 * libvirt's own per-QEMU /dev (qemu.conf `namespaces = ["mount"]`) cannot carry that bind
 * mount over ("Unable to move ….kvm mount to /dev/kvm"): in the same mount namespace, a copy of
 * qemu.conf with `namespaces = []` is bound over /etc/libvirt/qemu.conf (the file itself is not
 * changed), and QEMU uses libvirtd's /dev.
 */
export const HIDE_KVM_WHY = 'libvirtd sees no /dev/kvm (its capability cache holds; the VMs are emulated anyway)';

/**
 * Starts virtlogd and libvirtd in the VMs' namespace unless ours already run. Returns true when
 * it started them. Refuses a libvirtd it did not start (it would live in the root namespace).
 */
export async function ensureLibvirtd({ hideKvm }: { hideKvm: boolean }): Promise<boolean> {
  const inside = await namespacePids();
  const ours = await pidOf('libvirtd');
  if (ours !== undefined && inside.includes(ours) && (await libvirtdAnswers())) return false;
  if (await libvirtdAnswers())
    throw new Error(
      'a libvirtd that test:vms did not start is running (in the root network namespace): stop it first, ' +
        'the VMs need their own in the namespace wbvms',
    );
  await mkdir(RUN_DIR, { recursive: true });
  const noKvm = `${RUN_DIR}/no-kvm`;
  await writeFile(noKvm, '', { mode: 0 });
  const qemuConf = `${RUN_DIR}/qemu.conf`;
  const hostQemuConf = await readFile('/etc/libvirt/qemu.conf', 'utf8').catch(() => '');
  await writeFile(
    qemuConf,
    `${hostQemuConf}
# test:vms (lib/vms/libvirt.ts): QEMU sees libvirtd's /dev, where /dev/kvm is hidden
namespaces = []
`,
  );
  const hide = hideKvm
    ? `[ -e /dev/kvm ] && mount --bind ${noKvm} /dev/kvm; mount --bind ${qemuConf} /etc/libvirt/qemu.conf && `
    : '';
  const start = DAEMONS.map((d) => `${d} --daemon --pid-file ${pidFile(d)}`).join(' && ');
  // `ip netns exec` gives the command a mount namespace of its own: the bind mount stays there.
  const started = await q`${inNamespace(['sh', '-c', `${hide}${start}`])}`;
  if (started.exitCode !== 0) throw new Error(`libvirtd did not start: ${started.stderr.trim()}`);
  const deadline = Date.now() + 60000;
  while (!(await libvirtdAnswers())) {
    if (Date.now() > deadline)
      throw new Error('libvirtd started but does not answer `virsh -c qemu:///system version` after 60 s');
    await sleep(250);
  }
  return true;
}

/** Stops the daemons this script started, by their pid files. */
export async function stopLibvirtd(): Promise<void> {
  for (const daemon of [...DAEMONS].reverse()) {
    if ((await pidOf(daemon)) !== undefined)
      await q`start-stop-daemon --stop --quiet --pidfile ${pidFile(daemon)} --retry TERM/15/KILL/5 --remove-pidfile`;
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
    // A file, not /dev/stdin: Node's stdio pipes are socketpairs, which cannot be opened by name.
    const dir = await mkdtemp(`${tmpdir()}/wb-net-`);
    try {
      await writeFile(`${dir}/${name}.xml`, xml);
      const defined = await q`virsh -c qemu:///system net-define ${`${dir}/${name}.xml`}`;
      if (defined.exitCode !== 0) throw new Error(`cannot define network ${name}: ${defined.stderr.trim()}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  if (!/Active:\s+yes/.test((await q`virsh -c qemu:///system net-info ${name}`).stdout)) {
    // libvirt refuses to start a network whose subnet has a route (the safety route included).
    const started = await withoutSafetyRouteInside(() => q`virsh -c qemu:///system net-start ${name}`);
    if (started.exitCode !== 0) throw new Error(`cannot start network ${name}: ${started.stderr.trim()}`);
  }
}

export async function removeNetwork(name: string): Promise<void> {
  await q`virsh -c qemu:///system net-destroy ${name}`;
  await q`virsh -c qemu:///system net-undefine ${name}`;
}
