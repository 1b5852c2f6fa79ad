import { etcdMembers } from '../clients/etcd.ts';
import type { Observation } from '../cluster/health.ts';
import { DATA_DIR } from '../config/patroni.ts';
import type { Host } from '../host/host.ts';
import { sh } from '../host/shell.ts';
import { HOSTS } from '../ip-plan.ts';
import { pidFile } from '../lab/lab-services.ts';
import type { FaultName } from './options.ts';

/** Which machines a fault hits, picked from the cluster as it is when the drill starts. */
export type Victim = 'leader' | 'replica' | 'etcd';

export interface Fault {
  name: FaultName;
  /** One line for the terminal and the chart. */
  what: string;
  victim: Victim;
  /**
   * True when the leader goes away and a replica must take over: the drill heals once writes
   * succeed on another node. Otherwise the fault is held for a fixed time, then healed.
   */
  movesLeader: boolean;
  inject(host: Host): Promise<void>;
  heal(host: Host): Promise<void>;
}

/**
 * Patroni's main pid: the pid file the lab's service manager writes, or systemd's MainPID on
 * the VMs. Checked against /proc before anything is killed: the lab shares one PID namespace,
 * so a stale pid could name someone else's process.
 */
const PATRONI_PID = sh`pp=$(cat ${pidFile('patroni')} 2>/dev/null || systemctl show -p MainPID --value patroni 2>/dev/null || true)
[ -n "$pp" ] && [ "$pp" != 0 ] && tr '\\0' ' ' < /proc/$pp/cmdline 2>/dev/null | grep -q patroni || { echo "Patroni is not running (pid '$pp')" >&2; exit 3; }`;

/** The postmaster from postmaster.pid, checked to be the postgres of this data directory, and its children. */
const POSTGRES_PIDS = sh`pm=$(head -n1 ${DATA_DIR}/postmaster.pid 2>/dev/null || true)
[ -n "$pm" ] && tr '\\0' ' ' < /proc/$pm/cmdline 2>/dev/null | grep -q -- ${`-D ${DATA_DIR}`} || { echo "PostgreSQL is not running (postmaster.pid says '$pm')" >&2; exit 3; }
kids=$(ps -o pid= --ppid "$pm" | tr '\\n' ' ')`;

/** The interface that carries the host's cluster address (eth1 in the lab and on the Vagrant boxes). */
async function clusterInterface(host: Host): Promise<string> {
  const out = await host.run(sh`ip -o -4 addr show | awk -v a=${`${host.address}/`} 'index($4, a) == 1 { print $2; exit }'`);
  const name = out.stdout.trim().split('@')[0];
  if (!/^[\w.-]+$/.test(name)) throw new Error(`on ${host.name}: no interface carries ${host.address}`);
  return name;
}

export const FAULTS: Record<FaultName, Fault> = {
  graceful: {
    name: 'graceful',
    what: 'stop Patroni on the leader (it stops PostgreSQL and hands over the leader key)',
    victim: 'leader',
    movesLeader: true,
    inject: async (host) => {
      await host.services.stop('patroni');
    },
    heal: async (host) => {
      await host.services.start('patroni');
    },
  },
  crash: {
    name: 'crash',
    what: 'kill -9 Patroni and every PostgreSQL process on the leader (a power cut, as far as the software can tell)',
    victim: 'leader',
    movesLeader: true,
    inject: async (host) => {
      await host.run([PATRONI_PID, POSTGRES_PIDS, 'kill -9 $pp $pm $kids'].join('\n'));
    },
    heal: async (host) => {
      await host.services.start('patroni');
    },
  },
  'patroni-kill': {
    name: 'patroni-kill',
    what: 'kill -9 Patroni only on the leader: its PostgreSQL keeps running as a primary nobody manages',
    victim: 'leader',
    movesLeader: true,
    inject: async (host) => {
      await host.run([PATRONI_PID, 'kill -9 $pp'].join('\n'));
    },
    heal: async (host) => {
      await host.services.start('patroni');
    },
  },
  netcut: {
    name: 'netcut',
    what: "take the leader's network link down (it keeps running, cut off from etcd, its peers and HAProxy)",
    victim: 'leader',
    movesLeader: true,
    inject: async (host) => {
      await host.run(sh`ip link set dev ${await clusterInterface(host)} down`);
    },
    heal: async (host) => {
      // The address stays on the link while it is down, so the interface is still found by it.
      await host.run(sh`ip link set dev ${await clusterInterface(host)} up`);
    },
  },
  'etcd-down': {
    name: 'etcd-down',
    what: 'stop etcd (every member): Patroni loses its distributed configuration store',
    victim: 'etcd',
    movesLeader: false,
    inject: async (host) => {
      await host.services.stop('etcd');
    },
    heal: async (host) => {
      await host.services.start('etcd');
    },
  },
  'replica-down': {
    name: 'replica-down',
    what: 'stop Patroni on a replica (the synchronous standby when there is one)',
    victim: 'replica',
    movesLeader: false,
    inject: async (host) => {
      await host.services.stop('patroni');
    },
    heal: async (host) => {
      await host.services.start('patroni');
    },
  },
};

/** The hosts a fault hits in this cluster. */
export async function victimsOf(fault: Fault, cluster: Observation): Promise<string[]> {
  switch (fault.victim) {
    case 'leader':
      if (!cluster.leader) throw new Error('the cluster has no leader');
      return [cluster.leader.name];
    case 'replica': {
      const replicas = (cluster.members ?? []).filter((m) => m.name !== cluster.leader?.name);
      const sync = replicas.find((m) => m.role === 'sync_standby');
      const pick = sync ?? replicas[0];
      if (!pick) throw new Error('the cluster has no replica');
      return [pick.name];
    }
    case 'etcd': {
      // Every member, or the others keep a quorum and Patroni never notices (chapter 11's three-member etcd).
      const members = await etcdMembers();
      const names = members.flatMap((m) => {
        const address = /\/\/([\d.]+):/.exec(m.clientURLs?.[0] ?? '')?.[1];
        const host = HOSTS.find((h) => h.address === address);
        return host ? [host.name] : [];
      });
      if (names.length === 0) throw new Error(`no etcd member maps to a known host: ${JSON.stringify(members)}`);
      return names;
    }
  }
}
