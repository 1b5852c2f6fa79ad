import { readFile, writeFile } from 'node:fs/promises';
import { registerClusterCa } from '../lib/clients/credentials.ts';
import { patchDcsConfig, readDcsConfig } from '../lib/clients/patroni-dcs-config.ts';
import { query } from '../lib/clients/sql.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { superuser, waitHealthy } from '../lib/cluster/health.ts';
import { TLS_DIR, TLS_PARAMETERS, TLS_PG_HBA } from '../lib/config/tls.ts';
import { addressOf, HAPROXY_NODES, hostSpec } from '../lib/ip-plan.ts';
import { trustedCaFile } from '../lib/secrets.ts';
import { defineStep } from '../lib/step.ts';
import { ensureNodeCertificate } from '../lib/tls/certificates.ts';

/**
 * Chapter 15: TLS between clients and PostgreSQL, with a certificate authority made for this
 * cluster. Each node gets its certificate and key; Patroni's dynamic configuration turns
 * `ssl` on and replaces pg_hba with `hostssl` lines, on every node at once. The REST API's
 * password (since chapter 6) and the HAProxy stats password (since chapter 8) are checked too.
 */
export default defineStep(async ({ target, host, nodes, secrets, say, changed }) => {
  let ca = '';
  for (const node of nodes) {
    const tls = await ensureNodeCertificate(target.name, hostSpec(node.name));
    ca = tls.ca;
    const files = { owner: 'postgres', group: 'postgres' };
    await node.writeFile(`${TLS_DIR}/ca.crt`, tls.ca, { ...files, mode: '0644' });
    await node.writeFile(`${TLS_DIR}/server.crt`, tls.cert, { ...files, mode: '0644' });
    await node.writeFile(`${TLS_DIR}/server.key`, tls.key, { ...files, mode: '0600' });
  }

  const current = await readDcsConfig();
  const postgresql = (current.postgresql ?? {}) as { parameters?: Record<string, unknown>; pg_hba?: string[] };
  const parametersDiffer = Object.entries(TLS_PARAMETERS).some(([k, v]) => postgresql.parameters?.[k] !== v);
  const hbaDiffers = JSON.stringify(postgresql.pg_hba) !== JSON.stringify(TLS_PG_HBA);
  if (parametersDiffer || hbaDiffers) {
    const { leader } = await waitHealthy();
    if (!leader) throw new Error('no leader');
    await patchDcsConfig(addressOf(leader.name), { postgresql: { parameters: TLS_PARAMETERS, pg_hba: TLS_PG_HBA } }, secrets);
    changed(leader.name, 'PATCH /config: ssl on, pg_hba hostssl only');
  }

  say('waiting for every node to serve TLS (Patroni applies the change within loop_wait)…');
  registerClusterCa(ca);
  for (const node of nodes) {
    await waitFor(
      `${node.name} to accept a verified TLS connection`,
      async () => {
        const rows = await query<{ ssl: boolean }>(
          { ...superuser(secrets, node.address), tls: true },
          'select ssl from pg_stat_ssl where pid = pg_backend_pid()',
        ).catch(() => []);
        return rows[0]?.ssl ? true : undefined;
      },
      { timeoutMs: 60000, intervalMs: 1000 },
    );
  }
  // Connections opened before TLS stay plain: replicas reconnect over TLS once their WAL
  // sender ends, and PgBouncer reopens its server connections after a restart.
  const { leader } = await waitHealthy();
  if (!leader) throw new Error('no leader');
  const onLeader = superuser(secrets, addressOf(leader.name));
  const plainReplication = await query(
    onLeader,
    'select pid from pg_stat_replication join pg_stat_ssl using (pid) where not ssl',
  );
  if (plainReplication.length) {
    await query(onLeader, 'select pg_terminate_backend(pid) from pg_stat_replication');
    changed(
      leader.name,
      `ended ${plainReplication.length} unencrypted replication connection(s); the replicas reconnect over TLS`,
    );
  }
  const plainPooled = await query(
    onLeader,
    "select pid from pg_stat_activity join pg_stat_ssl using (pid) where usename = 'app' and not ssl",
  );
  if (plainPooled.length) {
    for (const spec of HAPROXY_NODES) {
      const bouncer = host(spec.name);
      if (await bouncer.isRunning('pgbouncer').catch(() => false)) await bouncer.restart('pgbouncer');
    }
  }
  await waitHealthy();

  // From now on every client of this workbook verifies the servers against this CA.
  const trusted = trustedCaFile(target.name);
  if ((await readFile(trusted, 'utf8').catch(() => '')) !== ca) {
    await writeFile(trusted, ca, { mode: 0o644 });
    changed(target.name, `clients now trust the cluster CA (${trusted})`);
  }
});
