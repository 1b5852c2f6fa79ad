import type { RunOptions, RunResult } from './host/host.ts';
import { sh, shellJoin } from './host/shell.ts';
import type { Role } from './ip-plan.ts';

/** The Debian packages each role needs (all from Debian's own repositories, nothing from pip). */
export const ROLE_PACKAGES: Record<Role, readonly string[]> = {
  postgres: ['postgresql-15', 'patroni', 'python3-etcd'],
  etcd: ['etcd-server', 'etcd-client'],
  haproxy: ['haproxy'],
};

/** What the improvement chapters add: a connection pooler (12) and VRRP for a virtual IP (13). */
export const FEATURE_PACKAGES = {
  pgbouncer: ['pgbouncer'],
  keepalived: ['keepalived'],
} as const;

/** Tools the lab itself runs on the machine. */
export const LAB_TOOL_PACKAGES = [
  'iproute2',
  'sudo',
  'iputils-ping',
  'util-linux',
  'procps',
  'postgresql-client',
  'curl',
  'openssl',
];

type Shell = (command: string, options?: RunOptions) => Promise<RunResult>;

export async function missingPackages(shell: Shell, packages: readonly string[]): Promise<string[]> {
  const result = await shell(
    sh`for p in ${packages}; do dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done`,
  );
  return result.stdout.split('\n').filter(Boolean);
}

/**
 * The install, as a shell script. No service may start during it (a policy-rc.d that says no,
 * kept if the machine already has one) and PostgreSQL must not create its default `main`
 * cluster: the chapters start every service themselves, and Patroni creates the only cluster.
 * Running it again after it was cut short finishes the earlier install first.
 */
export function installScript(packages: readonly string[], { recommends = true }: { recommends?: boolean } = {}): string {
  const list = shellJoin(packages);
  return `set -e
export DEBIAN_FRONTEND=noninteractive
made_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1; fi
trap '[ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d' EXIT
${packages.some((p) => p.startsWith('postgresql')) ? NO_MAIN_CLUSTER : ''}# An install cut short (a dropped ssh connection, Ctrl-C) leaves dpkg half done; apt refuses to go on until it is finished.
dpkg --configure -a
opts='-y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=180 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold${recommends ? '' : ' --no-install-recommends'}'
apt-get install $opts ${list} || { apt-get update -q && apt-get install $opts ${list}; }`;
}

const NO_MAIN_CLUSTER = `mkdir -p /etc/postgresql-common
conf=/etc/postgresql-common/createcluster.conf
if grep -q '^create_main_cluster' "$conf" 2>/dev/null; then sed -i 's/^create_main_cluster.*/create_main_cluster = false/' "$conf"; else echo 'create_main_cluster = false' >> "$conf"; fi
`;

/** Installs what is missing; returns what was installed. */
export async function ensurePackages(shell: Shell, packages: readonly string[]): Promise<string[]> {
  const missing = await missingPackages(shell, packages);
  if (missing.length) await shell(installScript(missing), { stream: true });
  return missing;
}

/** What `npm run test:vms -- --box-only` needs: the box is built with debootstrap and booted with QEMU alone. */
export const BOX_ONLY_PACKAGES = ['vagrant', 'qemu-system-x86', 'qemu-utils', 'debootstrap', 'e2fsprogs', 'openssh-client'];

/**
 * What the test suites use besides the chapters' packages (which the lab installs itself): a real
 * browser and a font for the site, sshd and sudo for the ssh transport, vagrant to validate the
 * Vagrantfile. `npm test` installs the missing ones as root on Debian (as .ci/run does).
 */
const SUITE_PACKAGES = [
  { name: 'chromium', for: 'the site in a real browser' },
  { name: 'fonts-dejavu-core', for: 'the site in a real browser' },
  { name: 'openssh-server', for: 'the ssh transport tests' },
  { name: 'openssh-client', for: 'the ssh transport tests' },
  { name: 'sudo', for: 'the ssh transport tests' },
  { name: 'vagrant', for: 'the Vagrantfile validation' },
];
export const TEST_PACKAGES: readonly { name: string; for: string }[] = [
  ...SUITE_PACKAGES,
  ...BOX_ONLY_PACKAGES.filter((name) => !SUITE_PACKAGES.some((p) => p.name === name)).map((name) => ({
    name,
    for: 'the box on one VM (test:vms --box-only)',
  })),
];
