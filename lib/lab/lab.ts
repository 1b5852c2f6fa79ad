import { mkdir, rm, writeFile } from 'node:fs/promises';
import { commandLine } from '../command-line.ts';
import { currentUser } from '../file-access.ts';
import type { RunOptions } from '../host/host.ts';
import { LocalHost } from '../host/local-host.ts';
import { CORE_HOSTS, GATEWAY, HOST_NAMES, HOSTS, type HostSpec } from '../ip-plan.ts';
import { local, succeeds } from '../local.ts';
import { ensurePackages, FEATURE_PACKAGES, LAB_TOOL_PACKAGES, missingPackages, ROLE_PACKAGES } from '../packages.ts';
import { LAB_DIR, ROOT } from '../paths.ts';
import { APT_SHIM, aptShimScript } from './lab-apt.ts';
import { enterArgv, hostDir, hostNetns, hostOfNetns, LAB_USER, LabHost } from './lab-host.ts';
import { listNamespaces, stopProcessesIn } from './lab-netns.ts';
import { pidFile } from './lab-services.ts';
import { assertInLabNetns, BRIDGE, bridgeExists, ensureSafetyRoute } from './safety.ts';

export type Report = (line: string) => void;

const veth = (name: string) => `wb-${name}`.slice(0, 15);

/** Every Debian package the chapters use: the lab installs them before any host exists, because a host's /etc is an overlay of the live /etc and an install under running hosts corrupts them. */
export const LAB_PACKAGES = [
  ...new Set([...LAB_TOOL_PACKAGES, ...Object.values(ROLE_PACKAGES).flat(), ...Object.values(FEATURE_PACKAGES).flat()]),
];

export class NotRootError extends Error {
  constructor(command = commandLine()) {
    super(
      `the lab needs root (it makes namespaces, a bridge and mounts) and this runs as ${currentUser()}: run \`sudo ${command}\` (or choose VMs: \`npm run target -- vagrant\`)`,
    );
  }
}

export function assertRoot(): void {
  if (process.getuid?.() !== 0) throw new NotRootError();
}

/**
 * Brings the lab up, or repairs it: the safety route first, then packages, then each host.
 * A host that is only half there (left by a crashed run) is torn down and made again.
 * Returns what it changed.
 */
export async function labUp(report: Report, hosts: readonly HostSpec[] = CORE_HOSTS): Promise<string[]> {
  assertRoot();
  assertInLabNetns();
  const changes: string[] = [];
  if (await ensureSafetyRoute()) changes.push('installed the unreachable route for 192.168.56.0/24');
  for (const cmd of ['ip', 'nsenter', 'unshare', 'start-stop-daemon', 'apt-get', 'dpkg-query']) {
    if (!(await succeeds`command -v ${cmd}`)) {
      throw new Error(`the lab needs \`${cmd}\`: this must be a Debian or Ubuntu machine with iproute2 and util-linux`);
    }
  }
  const machine = new LocalHost();
  const shell = (cmd: string, opts?: RunOptions) => machine.run(cmd, opts);
  const missing = await missingPackages(shell, LAB_PACKAGES);
  if (missing.length && (await anyLabHostNetns())) {
    // Each host's /etc is an overlay on the live /etc: installing under running hosts corrupts them.
    throw new Error(
      `${missing.join(' ')} must be installed, but lab hosts exist: run \`npm run lab -- down\` first, then \`npm run lab -- up\``,
    );
  }
  const installed = await ensurePackages(shell, LAB_PACKAGES);
  if (installed.length) changes.push(`installed packages: ${installed.join(' ')}`);
  await assertSubnetFree();
  assertNodeVisibleInHosts();
  if (await ensureLabDir()) changes.push(`prepared ${LAB_DIR}`);
  await writeSystemctlShim();
  await writeFile(APT_SHIM, aptShimScript(), { mode: 0o755 });
  if (await ensureBridge()) changes.push(`created bridge ${BRIDGE} (${GATEWAY}/24)`);
  for (const spec of hosts) {
    const problem = await hostProblem(spec);
    if (!problem) continue;
    if (problem !== 'absent') {
      report(`  ${spec.name}: ${problem}; rebuilding it`);
      await removeHost(spec.name);
    }
    await createHost(spec);
    changes.push(`created host ${spec.name} (${spec.address})`);
    report(`  ${spec.name} is up at ${spec.address}`);
  }
  return changes;
}

/** Tears everything down but the safety route: no process, mount, veth, namespace or bridge is left. */
export async function labDown(report: Report): Promise<void> {
  assertRoot();
  assertInLabNetns();
  await ensureSafetyRoute();
  const known = new Set([...HOSTS.map((h) => h.name), ...(await labHostsWithNetns())]);
  // In parallel: each host's services stop independently, and Patroni's clean shutdown takes seconds.
  await Promise.all(
    [...known].map(async (name) => {
      if (await removeHost(name)) report(`  removed ${name}`);
    }),
  );
  if (await bridgeExists()) {
    await local`ip link del ${BRIDGE}`;
    report(`  removed bridge ${BRIDGE}`);
  }
  if (await isMountPoint(LAB_DIR)) await local`umount -l ${LAB_DIR}`;
  await rm(LAB_DIR, { recursive: true, force: true });
}

/** What is missing from the lab, one phrase per problem; empty when all hosts are up. */
export async function labProblems(hosts: readonly HostSpec[]): Promise<string[]> {
  const problems: string[] = [];
  if (!(await bridgeExists())) problems.push(`bridge ${BRIDGE} is missing`);
  for (const spec of hosts) {
    const problem = await hostProblem(spec);
    if (problem) problems.push(`${spec.name}: ${problem === 'absent' ? 'not created' : problem}`);
  }
  return problems;
}

export interface HostStatus {
  spec: HostSpec;
  up: boolean;
  services: { unit: string; pid: string }[];
}

export async function labStatus(): Promise<HostStatus[]> {
  const result: HostStatus[] = [];
  for (const spec of HOSTS) {
    const up = (await hostProblem(spec)) === undefined;
    const services: HostStatus['services'] = [];
    if (up) {
      const host = new LabHost(spec);
      const out = await host.run(
        `for f in /run/workbook/*.pid; do [ -e "$f" ] || continue; p=$(cat "$f"); kill -0 "$p" 2>/dev/null && echo "$(basename "$f" .pid) $p"; done`,
        { check: false },
      );
      for (const line of out.stdout.split('\n').filter(Boolean)) {
        const [unit, pid] = line.split(' ');
        services.push({ unit, pid });
      }
    }
    if (up || spec.core) result.push({ spec, up, services });
  }
  return result;
}

async function ensureLabDir(): Promise<boolean> {
  if (await isMountPoint(LAB_DIR)) return false;
  await mkdir(`${LAB_DIR}/hosts`, { recursive: true });
  // Namespace files can only be bound under a private mount (the machine's / may be shared under systemd).
  await local`mount --bind ${LAB_DIR} ${LAB_DIR}`;
  await local`mount --make-private ${LAB_DIR}`;
  return true;
}

/** Another interface on 192.168.56.0/24 (VirtualBox host-only, libvirt) would split the lab's routing. */
async function assertSubnetFree(): Promise<void> {
  const lines = (await local`ip -4 -o addr show`).split('\n');
  const other = lines.find((l) => /inet 192\.168\.56\.\d+\//.test(l) && !l.split(/\s+/)[1]?.startsWith(BRIDGE));
  if (other) {
    const dev = other.split(/\s+/)[1];
    throw new Error(
      `interface ${dev} already uses 192.168.56.0/24 (VirtualBox host-only or libvirt network?): stop those VMs (\`vagrant halt\`) or remove ${dev}, then run \`npm run lab -- up\` again`,
    );
  }
}

const SYSTEMCTL_SHIM = `${LAB_DIR}/systemctl`;

/** The by-hand `systemctl` of the chapters, inside lab hosts only (bound over /usr/bin/systemctl there). */
async function writeSystemctlShim(): Promise<void> {
  const script = `#!/bin/sh
# The lab has no systemd: this runs the host's unit files under start-stop-daemon.
exec ${process.execPath} ${ROOT}/node_modules/tsx/dist/cli.mjs ${ROOT}/lib/cli/lab-systemctl.ts "$@"
`;
  await writeFile(SYSTEMCTL_SHIM, script, { mode: 0o755 });
}

/** What each lab host has of its own, hiding the machine's: node must live elsewhere for the systemctl shim. */
const PRIVATE_DIRS = ['/run', '/tmp', '/home', '/var/lib/postgresql', '/var/lib/etcd'];

function assertNodeVisibleInHosts(): void {
  const hidden = PRIVATE_DIRS.find((dir) => process.execPath.startsWith(`${dir}/`));
  if (hidden) {
    throw new Error(
      `node (${process.execPath}) is under ${hidden}, which every lab host replaces with its own: install node elsewhere (e.g. /usr/local) for the lab's systemctl`,
    );
  }
}

async function ensureBridge(): Promise<boolean> {
  if (await bridgeExists()) {
    const addr = await local`ip -4 -o addr show dev ${BRIDGE}`;
    if (addr.includes(`${GATEWAY}/24`) && (await local`ip -o link show ${BRIDGE}`).includes('UP')) return false;
    await local`ip link del ${BRIDGE}`;
  }
  await local`ip link add ${BRIDGE} type bridge`;
  await local`ip addr add ${GATEWAY}/24 dev ${BRIDGE}`;
  await local`ip link set ${BRIDGE} up`;
  return true;
}

/** Why a host is not fully up, or undefined when it is. */
async function hostProblem(spec: HostSpec): Promise<string | undefined> {
  const hasNetns = (await listNamespaces()).includes(hostNetns(spec.name));
  const ns = `${hostDir(spec.name)}/ns`;
  const hasMnt = await isMountPoint(`${ns}/mnt`);
  const hasVeth = await succeeds`ip link show ${veth(spec.name)}`;
  if (!hasNetns && !hasMnt && !hasVeth) return 'absent';
  if (!hasNetns) return 'its network namespace is missing';
  if (!hasMnt || !(await isMountPoint(`${ns}/uts`))) return 'its mount or UTS namespace is missing';
  if (!hasVeth) return 'its network link is missing';
  const addr = await local`ip -n ${hostNetns(spec.name)} -4 -o addr show`.catch(() => '');
  if (!addr.includes(`${spec.address}/24`)) return 'its address is missing';
  return undefined;
}

async function createHost(spec: HostSpec): Promise<void> {
  const { name, address } = spec;
  const dir = hostDir(name);
  for (const sub of [
    'ns',
    'etc/upper',
    'etc/work',
    'log/upper',
    'log/work',
    'sbin/upper',
    'sbin/work',
    'postgresql',
    'etcd',
    'home',
    'checkout',
  ]) {
    await mkdir(`${dir}/${sub}`, { recursive: true });
  }
  await writeFile(`${dir}/ns/mnt`, '');
  await writeFile(`${dir}/ns/uts`, '');
  await local`chown postgres:postgres ${dir}/postgresql`;
  await local`chown etcd:etcd ${dir}/etcd`;
  await local`chmod 700 ${dir}/etcd`;

  const netns = hostNetns(name);
  await local`ip netns add ${netns}`;
  await local`ip link add ${veth(name)} type veth peer name eth1 netns ${netns}`;
  await local`ip link set ${veth(name)} master ${BRIDGE} up`;
  await local`ip -n ${netns} addr add ${address}/24 dev eth1`;
  await local`ip -n ${netns} link set eth1 up`;
  await local`ip -n ${netns} link set lo up`;

  const hostsFile = ['127.0.0.1 localhost', ...HOSTS.map((h) => `${h.address} ${h.name}`)].join('\n');
  // Runs inside the host's new mount namespace: its own /etc, /var/log, /run, /tmp, /home, data
  // dirs, /sys and /usr/sbin (so a by-hand policy-rc.d stays in the host). The checkout is bound
  // read-only at its own path, first into the host's directory while the machine's /tmp and
  // /home are still visible: the systemctl shim runs from it, wherever it is.
  const setup = `set -e
mount --bind ${ROOT} ${dir}/checkout
mount -o remount,bind,ro ${dir}/checkout
mount -t overlay overlay -o lowerdir=/etc,upperdir=${dir}/etc/upper,workdir=${dir}/etc/work /etc
mount -t overlay overlay -o lowerdir=/var/log,upperdir=${dir}/log/upper,workdir=${dir}/log/work /var/log
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
install -d -o postgres -g postgres -m 2775 /run/postgresql
install -d -m 755 /run/patroni /run/etcd /run/haproxy /run/workbook
mount --bind ${dir}/postgresql /var/lib/postgresql
mount --bind ${dir}/etcd /var/lib/etcd
mount -t sysfs sysfs /sys
mount --bind ${dir}/home /home
mount -t overlay overlay -o lowerdir=/usr/sbin,upperdir=${dir}/sbin/upper,workdir=${dir}/sbin/work /usr/sbin
mount --bind ${SYSTEMCTL_SHIM} /usr/bin/systemctl
mount --bind ${APT_SHIM} /usr/bin/apt-get
mount --bind ${APT_SHIM} /usr/bin/apt
mkdir -p ${ROOT}
mount --bind ${dir}/checkout ${ROOT}
mount -o remount,bind,ro ${ROOT}
# A VM has no PostgreSQL cluster before Patroni makes one; hide the machine's (pg_wrapper would pick it).
if [ -d /etc/postgresql ]; then mount -t tmpfs -o mode=755 tmpfs /etc/postgresql; fi
# The ordinary user a person logs in as, with passwordless sudo, as vagrant on a VM.
id -u ${LAB_USER} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --comment 'workshop attendee' ${LAB_USER}
[ -d /home/${LAB_USER} ] || { cp -rT /etc/skel /home/${LAB_USER} && chown -R ${LAB_USER}: /home/${LAB_USER}; }
printf '%s\\n' '${LAB_USER} ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/${LAB_USER}
chmod 0440 /etc/sudoers.d/${LAB_USER}
hostname ${name}
echo ${name} > /etc/hostname
printf '%s\\n' '${hostsFile.split('\n').join("' '")}' > /etc/hosts`;
  await local`nsenter --net=/run/netns/${netns} unshare --mount=${dir}/ns/mnt --uts=${dir}/ns/uts --propagation private bash -c ${setup}`;
}

/** Removes whatever exists of a host; returns true when there was anything. */
async function removeHost(name: string): Promise<boolean> {
  const dir = hostDir(name);
  const ns = `${dir}/ns`;
  let found = false;
  const hasNetns = (await listNamespaces()).includes(hostNetns(name));
  if (hasNetns && (await isMountPoint(`${ns}/mnt`))) {
    found = true;
    // Stop services gracefully first (Patroni stops PostgreSQL cleanly), then whatever is left.
    await local`${enterArgv(name)} bash -c ${stopAllScript()}`.catch(() => '');
  }
  if (hasNetns) {
    found = true;
    await killNamespaceProcesses(name);
  }
  for (const file of ['mnt', 'uts']) {
    if (await isMountPoint(`${ns}/${file}`)) {
      found = true;
      // A namespace whose last process just left may already be gone: only a mount that stays is an error.
      await local`umount ${ns}/${file}`.catch(async (error: Error) => {
        if (await isMountPoint(`${ns}/${file}`)) throw error;
      });
    }
  }
  if (await succeeds`ip link show ${veth(name)}`) {
    found = true;
    await local`ip link del ${veth(name)}`;
  }
  if (hasNetns) await local`ip netns del ${hostNetns(name)}`;
  await rm(dir, { recursive: true, force: true });
  return found;
}

function stopAllScript(): string {
  return `for f in ${pidFile('*')}; do [ -e "$f" ] && start-stop-daemon --stop --quiet --pidfile "$f" --retry TERM/20/KILL/5 || true; done`;
}

async function killNamespaceProcesses(name: string): Promise<void> {
  const left = await stopProcessesIn(hostNetns(name));
  if (left.length) throw new Error(`processes ${left.join(' ')} in lab host ${name} would not die`);
}

/** True when anything of a lab is on this machine: a lab host's namespace or the bridge. */
export async function labExists(): Promise<boolean> {
  return (await bridgeExists()) || (await labHostsWithNetns()).length > 0;
}

/**
 * Whether any lab's host runs on this machine, this one's or a second lab's (`<netns>-node1`):
 * every lab host's /etc is an overlay of the machine's, which an install must not change under it.
 */
export async function anyLabHostNetns(): Promise<boolean> {
  return (await listNamespaces()).some((ns) => HOST_NAMES.some((host) => ns === host || ns.endsWith(`-${host}`)));
}

/** The hosts of this lab that have a network namespace (some may be half torn down). */
async function labHostsWithNetns(): Promise<string[]> {
  return (await listNamespaces()).map((netns) => hostOfNetns(netns)).filter((name): name is string => name !== undefined);
}

async function isMountPoint(path: string): Promise<boolean> {
  return succeeds`mountpoint -q ${path}`;
}
