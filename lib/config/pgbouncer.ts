import { PORTS } from '../ip-plan.ts';

export const PGBOUNCER_INI = '/etc/pgbouncer/pgbouncer.ini';
export const PGBOUNCER_USERLIST = '/etc/pgbouncer/userlist.txt';
export const POOL_SIZE = 5;

/**
 * PgBouncer on the HAProxy host, in front of HAProxy: clients connect to :6432, PgBouncer
 * keeps a few server connections to 127.0.0.1:5000, and HAProxy sends those to the leader.
 * Transaction pooling: a server connection is lent for one transaction at a time. It listens
 * on every address of the host, like HAProxy, so it also answers on the virtual IP (chapter 13).
 */
export function renderPgbouncerIni(database: string): string {
  return `[databases]
${database} = host=127.0.0.1 port=${PORTS.haproxyPrimary} dbname=${database}

[pgbouncer]
listen_addr = *
listen_port = ${PORTS.pgbouncer}
unix_socket_dir = /var/run/postgresql
auth_type = scram-sha-256
auth_file = ${PGBOUNCER_USERLIST}
pool_mode = transaction
default_pool_size = ${POOL_SIZE}
max_client_conn = 500
server_login_retry = 1
ignore_startup_parameters = extra_float_digits
; Use TLS to PostgreSQL whenever it offers it (PgBouncer 1.18 defaults to disable; chapter 15 requires it).
server_tls_sslmode = prefer
logfile = /var/log/postgresql/pgbouncer.log
pidfile = /var/run/postgresql/pgbouncer.pid
`;
}

/**
 * userlist.txt holds the role's SCRAM verifier exactly as pg_authid stores it, never the
 * password: PgBouncer checks clients with it, and because the verifier is the server's own,
 * it can log in to PostgreSQL on the client's behalf (SCRAM pass-through).
 */
export function renderUserlist(entries: Record<string, string>): string {
  return Object.entries(entries)
    .map(([user, verifier]) => `"${user}" "${verifier}"\n`)
    .join('');
}
