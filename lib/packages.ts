import type { Host } from './host/host.ts';
import type { Role } from './inventory.ts';

/** The Debian packages each role needs (DESIGN §2: all from Debian's own repositories, nothing from pip). */
export const ROLE_PACKAGES: Record<Role, readonly string[]> = {
  postgres: ['postgresql-15', 'patroni', 'python3-etcd'],
  etcd: ['etcd-server', 'etcd-client'],
  haproxy: ['haproxy'],
};

/** Tools the lab itself runs on the machine. */
export const LAB_TOOL_PACKAGES = ['iproute2', 'util-linux', 'procps', 'postgresql-client', 'curl'];

export async function missingPackages(host: Host, packages: readonly string[]): Promise<string[]> {
  const result = await host.run(
    `for p in ${packages.join(' ')}; do dpkg-query -W -f='\${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"; done`,
  );
  return result.stdout.split('\n').filter(Boolean);
}

/**
 * Installs what is missing. No service may start during the install (a policy-rc.d that says
 * no, kept if the machine already has one) and PostgreSQL must not create its default `main`
 * cluster: the chapters start every service themselves, Patroni creates the only cluster.
 */
export async function ensurePackages(host: Host, packages: readonly string[]): Promise<string[]> {
  const missing = await missingPackages(host, packages);
  if (missing.length === 0) return [];
  await host.run(
    `set -e
export DEBIAN_FRONTEND=noninteractive
made_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1; fi
trap '[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
mkdir -p /etc/postgresql-common
conf=/etc/postgresql-common/createcluster.conf
if grep -q '^create_main_cluster' "$conf" 2>/dev/null; then sed -i 's/^create_main_cluster.*/create_main_cluster = false/' "$conf"; else echo 'create_main_cluster = false' >> "$conf"; fi
opts='-y -q -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'
apt-get install $opts ${missing.join(' ')} || { apt-get update -q && apt-get install $opts ${missing.join(' ')}; }`,
    { stream: true },
  );
  return missing;
}
