import { PORTS, POSTGRES_NODES } from '../ip-plan.ts';
import { request } from './http.ts';

export interface ClusterMember {
  name: string;
  role: 'leader' | 'replica' | 'sync_standby' | 'standby_leader' | string;
  state: string;
  host: string;
  port: number;
  timeline?: number;
  lag?: number | string;
}

export interface PatroniStatus {
  state: string;
  role: string;
  timeline?: number;
  database_system_identifier?: string;
  replication?: { application_name: string; client_addr: string; state: string; sync_state: string }[];
  patroni?: { version: string; scope: string };
}

export function patroniGet(address: string, path: string) {
  return request(address, PORTS.patroniApi, path);
}

/** The cluster as Patroni sees it, from the first node that answers; undefined when none does. */
export async function clusterMembers(): Promise<ClusterMember[] | undefined> {
  for (const node of POSTGRES_NODES) {
    const res = await patroniGet(node.address, '/cluster');
    if (res.status === 200) return res.json<{ members: ClusterMember[] }>().members;
  }
  return undefined;
}

export async function patroniStatus(address: string): Promise<PatroniStatus | undefined> {
  const res = await patroniGet(address, '/patroni');
  return res.status === 200 ? res.json<PatroniStatus>() : undefined;
}

/**
 * The roles of a healthy replica in Patroni's /cluster: `replica` (asynchronous), `sync_standby`
 * (the standby a leader in synchronous_mode waits for, chapter 16) and `quorum_standby` (Patroni 4's
 * quorum-based synchronous mode).
 */
export const REPLICA_ROLES: readonly string[] = ['replica', 'sync_standby', 'quorum_standby'];

/**
 * The states of a healthy member: Patroni 3.0 says `running` for every member; from 3.0.4 a
 * replica that streams says `streaming`.
 */
export const RUNNING_STATES: readonly string[] = ['running', 'streaming'];

/** The leader's name, when the cluster has exactly one. */
export function leaderOf(members: readonly ClusterMember[]): ClusterMember | undefined {
  const leaders = members.filter((m) => m.role === 'leader');
  return leaders.length === 1 ? leaders[0] : undefined;
}

export function describeMembers(members: readonly ClusterMember[] | undefined): string {
  if (!members) return 'no Patroni REST API answered';
  return members.map((m) => `${m.name} ${m.role} ${m.state} tl=${m.timeline ?? '?'}`).join(', ');
}
