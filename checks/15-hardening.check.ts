import assert from 'node:assert/strict';
import { disruptive, workbook } from '../lib/check-context.ts';
import { clusterCa, credentialsFor } from '../lib/clients/credentials.ts';
import { request } from '../lib/clients/http.ts';
import { query } from '../lib/clients/sql.ts';
import { superuser, waitHealthy } from '../lib/cluster/health.ts';
import { PATRONI_CONFIG } from '../lib/config/patroni.ts';
import { sh } from '../lib/host/shell.ts';
import { addressOf, HAPROXY_NODE, PORTS, POSTGRES_NODES } from '../lib/ip-plan.ts';

describe('chapter 15: hardening', () => {
  describe('TLS between clients and PostgreSQL', () => {
    before(async () => {
      await workbook();
      assert.ok(clusterCa(), 'this cluster has no CA that clients trust yet: run `npm run chapter 15`');
    });

    for (const node of POSTGRES_NODES) {
      it(`${node.name} presents a certificate signed by the cluster CA for ${node.address}, and the session is encrypted`, async () => {
        const { secrets } = await workbook();
        const [row] = await query<{ ssl: boolean; version: string }>(
          { ...superuser(secrets, node.address), tls: true },
          'select ssl, version from pg_stat_ssl where pid = pg_backend_pid()',
        );
        assert.equal(row.ssl, true);
        assert.match(row.version, /^TLSv1\.[23]$/);
      });

      it(`${node.name} refuses a connection without TLS`, async () => {
        const { secrets } = await workbook();
        await assert.rejects(
          query({ ...superuser(secrets, node.address), tls: false }, 'select 1'),
          /no encryption|pg_hba\.conf rejects/,
        );
      });
    }

    it('streams replication to every replica over TLS', async () => {
      const { secrets } = await workbook();
      const { leader } = await waitHealthy();
      assert.ok(leader);
      const rows = await query<{ name: string; ssl: boolean }>(
        superuser(secrets, addressOf(leader.name)),
        'select application_name as name, ssl from pg_stat_replication join pg_stat_ssl using (pid)',
      );
      assert.equal(rows.length, POSTGRES_NODES.length - 1, `replication connections: ${JSON.stringify(rows)}`);
      for (const row of rows) assert.equal(row.ssl, true, `${row.name} replicates without TLS`);
    });

    it('encrypts sessions through HAProxy too, and the certificate matches the HAProxy address', async () => {
      const { secrets } = await workbook();
      await waitHealthy();
      const [row] = await query<{ ssl: boolean }>(
        { ...superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyPrimary), tls: true },
        'select ssl from pg_stat_ssl where pid = pg_backend_pid()',
      );
      assert.equal(row.ssl, true);
    });
  });

  describe("Patroni's REST API", () => {
    const node = POSTGRES_NODES[0];

    it('refuses an unauthenticated write (POST /reload) with 401', async () => {
      const res = await request(node.address, PORTS.patroniApi, '/reload', { method: 'POST' });
      assert.equal(res.status, 401);
    });

    it('refuses a wrong password', async () => {
      const res = await request(node.address, PORTS.patroniApi, '/reload', {
        method: 'POST',
        auth: { username: 'patroni', password: 'wrong' },
      });
      assert.equal(res.status, 401);
    });

    it('accepts the generated password', async function () {
      disruptive(this);
      const res = await request(node.address, PORTS.patroniApi, '/reload', {
        method: 'POST',
        auth: credentialsFor('patroniApi'),
      });
      assert.ok(res.status === 200 || res.status === 202, `POST /reload with the password: ${res.status} ${res.text}`);
    });

    it('lets patronictl on a node authenticate with the configuration file', async function () {
      disruptive(this);
      const { target } = await workbook();
      const result = await target
        .host(node.name)
        .run(sh`patronictl -c ${PATRONI_CONFIG} reload postgres ${node.name} --force`, { user: 'postgres', check: false });
      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
      assert.doesNotMatch(result.stdout + result.stderr, /401|Unauthorized|Authentication/i);
    });
  });

  describe("HAProxy's stats page", () => {
    it('asks for a password (401 without one)', async () => {
      const res = await request(HAPROXY_NODE.address, PORTS.haproxyStats, '/;csv');
      assert.equal(res.status, 401);
    });

    it('answers with the generated password', async () => {
      await workbook();
      const res = await request(HAPROXY_NODE.address, PORTS.haproxyStats, '/;csv', { auth: credentialsFor('haproxyStats') });
      assert.equal(res.status, 200, res.status === 0 ? `no answer: ${res.text}` : undefined);
    });
  });
});
