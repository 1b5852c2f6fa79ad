import { type HaproxyRow, haproxyStats, serversOf } from '../clients/haproxy.ts';
import {
  type ClusterMember,
  clusterMembers,
  describeMembers,
  leaderOf,
  patroniStatus,
  REPLICA_ROLES,
  RUNNING_STATES,
} from '../clients/patroni.ts';
import type { SqlTarget } from '../clients/sql.ts';
import { waitFor } from '../clients/wait.ts';
import { HAPROXY_NODE, PORTS, POSTGRES_NODES } from '../ip-plan.ts';
import type { Secrets } from '../secrets.ts';

/** The cluster as seen from outside at one moment: Patroni's members and the leader's replication. */
export interface Observation {
  members?: ClusterMember[];
  leader?: ClusterMember;
  /** Replicas the leader reports as streaming. */
  streaming: string[];
}

export async function observe(): Promise<Observation> {
  const members = await clusterMembers();
  const leader = members && leaderOf(members);
  let streaming: string[] = [];
  if (leader) {
    const status = await patroniStatus(leader.host);
    streaming = (status?.replication ?? []).filter((r) => r.state === 'streaming').map((r) => r.application_name);
  }
  return { members, leader, streaming };
}

/**
 * What keeps the cluster from being healthy: one leader, every other node a streaming replica
 * on its timeline. Asynchronous and synchronous replicas alike (replica, sync_standby, quorum_standby).
 */
export function healthProblems(o: Observation): string[] {
  if (!o.members) return ['no Patroni REST API answers on any node'];
  const problems: string[] = [];
  const leaders = o.members.filter((m) => m.role === 'leader');
  if (leaders.length !== 1) problems.push(`${leaders.length} leaders`);
  if (o.members.length !== POSTGRES_NODES.length) problems.push(`${o.members.length} of ${POSTGRES_NODES.length} members`);
  for (const m of o.members) {
    if (!RUNNING_STATES.includes(m.state)) problems.push(`${m.name} is ${m.state}`);
    if (o.leader && m.name !== o.leader.name) {
      if (!REPLICA_ROLES.includes(m.role)) problems.push(`${m.name} has the role ${m.role}`);
      if (!o.streaming.includes(m.name)) problems.push(`${m.name} is not streaming from ${o.leader.name}`);
      if (m.timeline !== undefined && m.timeline !== o.leader.timeline)
        problems.push(`${m.name} is on timeline ${m.timeline}, the leader on ${o.leader.timeline}`);
    }
  }
  return problems;
}

/** The members and who streams, in one line, for messages. */
export function describeCluster(o: Observation): string {
  return `${describeMembers(o.members)}; streaming: ${o.streaming.join(', ') || 'none'}`;
}

/** Waits until the cluster is healthy, failing at once when nothing answers at all. */
export async function waitHealthy(timeoutMs = 60000): Promise<Observation> {
  let last: Observation = { streaming: [] };
  return waitFor(
    'one leader and every replica streaming',
    async () => {
      last = await observe();
      if (!last.members)
        throw new Error(
          `no Patroni REST API answers on ${POSTGRES_NODES.map((n) => `${n.address}:${PORTS.patroniApi}`).join(', ')}: is Patroni running (chapter 7)?`,
        );
      return healthProblems(last).length === 0 ? last : undefined;
    },
    { timeoutMs },
    () => `${describeCluster(last)} (${healthProblems(last).join('; ')})`,
  );
}

/**
 * Waits until HAProxy agrees with Patroni: on the primary listener only `leaderName` is UP,
 * and on the replicas listener exactly the other nodes are. HAProxy starts every server as UP
 * until its checks fail, so right after a start or reload both listeners need a few checks.
 * primaryOnly is for a failover in progress, while the old leader is still away; address
 * picks the HAProxy (haproxynode2 has one too after chapter 13).
 */
export async function waitHaproxyOn(
  leaderName: string,
  {
    timeoutMs = 40000,
    primaryOnly = false,
    address = HAPROXY_NODE.address,
  }: { timeoutMs?: number; primaryOnly?: boolean; address?: string } = {},
): Promise<HaproxyRow[]> {
  let rows: HaproxyRow[] = [];
  const up = (listener: string) =>
    serversOf(rows, listener)
      .filter((r) => r.status === 'UP')
      .map((r) => r.server)
      .sort()
      .join(',');
  const replicas = POSTGRES_NODES.map((n) => n.name)
    .filter((n) => n !== leaderName)
    .sort()
    .join(',');
  return waitFor(
    `HAProxy to route port ${PORTS.haproxyPrimary} to ${leaderName} only and port ${PORTS.haproxyReplicas} to ${replicas}`,
    async () => {
      rows = await haproxyStats(address);
      return up('primary') === leaderName && (primaryOnly || up('replicas') === replicas) ? rows : undefined;
    },
    { timeoutMs },
    () =>
      ['primary', 'replicas']
        .map(
          (l) =>
            `${l}: ${serversOf(rows, l)
              .map((r) => `${r.server} ${r.status}`)
              .join(', ')}`,
        )
        .join('; '),
  );
}

export const superuser = (secrets: Secrets, host: string, port: number = PORTS.postgres): SqlTarget => ({
  host,
  port,
  user: 'postgres',
  password: secrets.superuser,
});

export const APP = { user: 'app', database: 'appdb' } as const;

export const appUser = (secrets: Secrets, port: number = PORTS.haproxyPrimary): SqlTarget => ({
  host: HAPROXY_NODE.address,
  port,
  user: APP.user,
  password: secrets.app,
  database: APP.database,
});

/**
 * The application through PgBouncer (chapter 12). The client leg to PgBouncer is plain TCP
 * even after chapter 15: PgBouncer 1.18 here offers no TLS to clients (client_tls_sslmode).
 */
export const appViaPgbouncer = (secrets: Secrets, host: string = HAPROXY_NODE.address): SqlTarget => ({
  host,
  port: PORTS.pgbouncer,
  user: APP.user,
  password: secrets.app,
  database: APP.database,
  tls: false,
});
