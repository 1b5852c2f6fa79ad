import { SUBNET } from '../ip-plan.ts';
import { ROLES } from './patroni.ts';

export const TLS_DIR = '/var/lib/postgresql/tls';

/** Server TLS settings, applied through Patroni's dynamic configuration (a reload, no restart). */
export const TLS_PARAMETERS = {
  ssl: 'on',
  ssl_cert_file: `${TLS_DIR}/server.crt`,
  ssl_key_file: `${TLS_DIR}/server.key`,
  ssl_ca_file: `${TLS_DIR}/ca.crt`,
  ssl_min_protocol_version: 'TLSv1.2',
} as const;

/** pg_hba with TLS required on the network: `hostssl` lines only, and an explicit refusal of the rest. */
export const TLS_PG_HBA = [
  'local all all peer',
  `hostssl replication ${ROLES.replication} ${SUBNET} scram-sha-256`,
  `hostssl all all ${SUBNET} scram-sha-256`,
  'hostnossl all all 0.0.0.0/0 reject',
];
