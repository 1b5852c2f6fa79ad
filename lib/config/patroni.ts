import { ETCD_NODE, type HostSpec, PORTS, SUBNET } from '../ip-plan.ts';
import { PATRONI_API_USER, type Secrets } from '../secrets.ts';
import { GUIDE_TIMINGS, type Timings } from './timings.ts';

export const PATRONI_CONFIG = '/etc/patroni.yml';
export const DATA_DIR = '/var/lib/postgresql/15/patroni';
export const BIN_DIR = '/usr/lib/postgresql/15/bin';
export const SCOPE = 'postgres';
export const NAMESPACE = '/db/';

export const ROLES = {
  superuser: 'postgres',
  replication: 'replicator',
  rewind: 'rewind_user',
  restapi: PATRONI_API_USER,
} as const;

export interface PatroniConfigInput {
  node: HostSpec;
  secrets: Secrets;
  etcdHosts?: readonly string[];
  timings?: Timings;
}

/** /etc/patroni.yml for one node: the guide's file with its mistakes fixed (each fix is explained in chapter 6). */
export function renderPatroniConfig({
  node,
  secrets,
  etcdHosts = [`${ETCD_NODE.address}:${PORTS.etcdClient}`],
  timings = GUIDE_TIMINGS,
}: PatroniConfigInput): string {
  return `scope: ${SCOPE}
namespace: ${NAMESPACE}
name: ${node.name}

restapi:
  listen: ${node.address}:${PORTS.patroniApi}
  connect_address: ${node.address}:${PORTS.patroniApi}
  # Only the endpoints that change something (POST, PATCH, DELETE) ask for this.
  authentication:
    username: ${ROLES.restapi}
    password: ${secrets.restapi}

# etcd3, not etcd: etcd 3.4 has the v2 API switched off.
etcd3:
  hosts: ${etcdHosts.join(',')}

bootstrap:
  dcs:
    ttl: ${timings.ttl}
    loop_wait: ${timings.loopWait}
    retry_timeout: ${timings.retryTimeout}
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        password_encryption: scram-sha-256

  # initdb's own pg_hba lines come first and would say "trust": make them peer and scram.
  initdb:
  - encoding: UTF8
  - data-checksums
  - auth-local: peer
  - auth-host: scram-sha-256

  pg_hba:
  - local all all peer
  - host replication ${ROLES.replication} ${SUBNET} scram-sha-256
  - host all all ${SUBNET} scram-sha-256

postgresql:
  listen: ${node.address}:${PORTS.postgres}
  connect_address: ${node.address}:${PORTS.postgres}
  data_dir: ${DATA_DIR}
  bin_dir: ${BIN_DIR}
  pgpass: /var/lib/postgresql/.pgpass.patroni
  authentication:
    superuser:
      username: ${ROLES.superuser}
      password: ${secrets.superuser}
    replication:
      username: ${ROLES.replication}
      password: ${secrets.replication}
    rewind:
      username: ${ROLES.rewind}
      password: ${secrets.rewind}
  parameters:
    unix_socket_directories: /var/run/postgresql

tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
`;
}

/** The guide's unit, corrected: Debian's binary and a real target name. */
export const PATRONI_UNIT = `[Unit]
Description=High availability PostgreSQL Cluster
After=syslog.target network.target

[Service]
Type=simple
User=postgres
Group=postgres
ExecStart=/usr/bin/patroni ${PATRONI_CONFIG}
ExecReload=/bin/kill -s HUP $MAINPID
KillMode=process
TimeoutSec=30
Restart=no

[Install]
WantedBy=multi-user.target
`;

export const PATRONI_UNIT_PATH = '/etc/systemd/system/patroni.service';
