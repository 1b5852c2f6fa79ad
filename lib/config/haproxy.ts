import { HAPROXY_NODE, type HostSpec, PORTS, POSTGRES_NODES } from '../ip-plan.ts';
import { HAPROXY_STATS_USER, type Secrets } from '../secrets.ts';
import { GUIDE_TIMINGS, type Timings } from './timings.ts';

export interface HaproxyConfigInput {
  secrets: Pick<Secrets, 'haproxyStats'>;
  timings?: Timings;
  /** The HAProxy host whose private address the stats page binds (haproxynode2 in chapter 13). */
  node?: HostSpec;
}

export const HAPROXY_CONFIG = '/etc/haproxy/haproxy.cfg';

/**
 * Port 5000 goes to the leader, 5001 to the replicas, 7000 is the stats page. Patroni's REST
 * API answers the health checks: GET /primary is 200 only on the leader, /replica only on a
 * healthy replica. The stats page asks for a password: it shows the cluster's topology.
 */
export function renderHaproxyConfig({ secrets, timings = GUIDE_TIMINGS, node = HAPROXY_NODE }: HaproxyConfigInput): string {
  const servers = POSTGRES_NODES.map(
    (n) => `    server ${n.name} ${n.address}:${PORTS.postgres} maxconn 100 check port ${PORTS.patroniApi}`,
  ).join('\n');
  const { inter, fall, rise } = timings.haproxy;
  return `global
    maxconn 300
    user haproxy
    group haproxy
    stats socket /run/haproxy/admin.sock mode 660 level admin

defaults
    mode tcp
    log global
    retries 2
    timeout client 30m
    timeout connect 4s
    timeout server 30m
    timeout check 5s

listen stats
    mode http
    bind ${node.address}:${PORTS.haproxyStats}
    stats enable
    stats uri /
    stats auth ${HAPROXY_STATS_USER}:${secrets.haproxyStats}

listen primary
    bind *:${PORTS.haproxyPrimary}
    option httpchk GET /primary
    http-check expect status 200
    default-server inter ${inter} fall ${fall} rise ${rise} on-marked-down shutdown-sessions
${servers}

listen replicas
    bind *:${PORTS.haproxyReplicas}
    balance roundrobin
    option httpchk GET /replica
    http-check expect status 200
    default-server inter ${inter} fall ${fall} rise ${rise} on-marked-down shutdown-sessions
${servers}
`;
}
