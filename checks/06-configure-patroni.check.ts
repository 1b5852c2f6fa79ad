import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { workbook } from '../lib/check-context.ts';
import { BIN_DIR, DATA_DIR, PATRONI_CONFIG } from '../lib/config/patroni.ts';
import { sh } from '../lib/host/shell.ts';
import { ETCD_NODE, PORTS, POSTGRES_NODES, SUBNET } from '../lib/ip-plan.ts';

interface PatroniFile {
  name: string;
  restapi: { listen: string; authentication?: { password: string } };
  etcd?: unknown;
  etcd3?: { hosts?: string; host?: string };
  bootstrap: {
    users?: unknown;
    pg_hba: string[];
    dcs: { postgresql: { use_pg_rewind: boolean; parameters: Record<string, unknown> } };
  };
  postgresql: {
    listen: string;
    data_dir: string;
    bin_dir: string;
    pgpass: string;
    authentication: Record<string, { username: string; password: string }>;
    parameters: Record<string, unknown>;
  };
}

describe('chapter 6: Patroni is configured on node1, node2, node3', () => {
  for (const spec of POSTGRES_NODES) {
    describe(spec.name, () => {
      let config: PatroniFile;

      before(async () => {
        const host = (await workbook()).target.host(spec.name);
        const text = await host.readFile(PATRONI_CONFIG);
        assert.ok(text !== undefined, `${PATRONI_CONFIG} does not exist on ${spec.name}`);
        config = parse(text) as PatroniFile;
      });

      it(`${PATRONI_CONFIG} belongs to postgres and only postgres can read it (it holds passwords)`, async () => {
        const host = (await workbook()).target.host(spec.name);
        const { stdout } = await host.run(sh`stat -c '%U %a' ${PATRONI_CONFIG}`);
        assert.equal(stdout.trim(), 'postgres 600');
      });

      it('names this node and listens on its private address', () => {
        assert.equal(config.name, spec.name);
        assert.equal(config.restapi.listen, `${spec.address}:${PORTS.patroniApi}`);
        assert.equal(config.postgresql.listen, `${spec.address}:${PORTS.postgres}`);
      });

      it('uses the etcd v3 API (etcd3:), not the v2 one etcd 3.4 switched off', () => {
        assert.equal(config.etcd, undefined, 'an `etcd:` section speaks the v2 API: rename it to `etcd3:`');
        assert.match(String(config.etcd3?.hosts ?? config.etcd3?.host), new RegExp(`${ETCD_NODE.address}:${PORTS.etcdClient}`));
      });

      it("uses Debian's PostgreSQL 15 binaries, the data directory and the socket directory pg_rewind accepts", () => {
        assert.equal(config.postgresql.bin_dir, BIN_DIR);
        assert.equal(config.postgresql.data_dir, DATA_DIR);
        assert.equal(config.postgresql.parameters.unix_socket_directories, '/var/run/postgresql');
        assert.doesNotMatch(config.postgresql.pgpass, /^\/tmp\//, 'pgpass in /tmp is shared by every user (and every lab host)');
      });

      it('can rewind an old leader: use_pg_rewind, wal_log_hints and a rewind user', () => {
        assert.equal(config.bootstrap.dcs.postgresql.use_pg_rewind, true);
        assert.equal(config.bootstrap.dcs.postgresql.parameters.wal_log_hints, 'on');
        assert.ok(config.postgresql.authentication.rewind?.username, 'no rewind user');
      });

      it('allows only scram-sha-256 from the cluster subnet', () => {
        const hostLines = config.bootstrap.pg_hba.filter((l) => l.startsWith('host'));
        assert.ok(hostLines.length > 0);
        for (const line of hostLines) {
          assert.match(line, new RegExp(` ${SUBNET.replaceAll('.', '\\.')} scram-sha-256$`), `pg_hba line "${line}"`);
        }
        assert.equal(
          config.bootstrap.users,
          undefined,
          'bootstrap.users (admin/admin) is gone from Patroni 4: create roles after bootstrap',
        );
      });

      it("carries this cluster's generated passwords", async () => {
        const { secrets } = await workbook();
        const auth = config.postgresql.authentication;
        assert.ok(auth.superuser.password === secrets.superuser, 'superuser password differs from .workbook secrets');
        assert.ok(auth.replication.password === secrets.replication, 'replication password differs from .workbook secrets');
        assert.ok(auth.rewind.password === secrets.rewind, 'rewind password differs from .workbook secrets');
        assert.ok(
          config.restapi.authentication?.password === secrets.restapi,
          'REST API password differs from .workbook secrets',
        );
      });

      it('passes patroni --validate-config (before Patroni runs: the validator wants its ports free)', async () => {
        const host = (await workbook()).target.host(spec.name);
        if ((await host.services.status('patroni')) === 'running') return;
        const result = await host.run(sh`patroni --validate-config ${PATRONI_CONFIG}`, { user: 'postgres', check: false });
        assert.equal(result.exitCode, 0, `patroni --validate-config: ${result.stdout}${result.stderr}`);
      });

      it(`has the data directory ${DATA_DIR}, owned by postgres, mode 0700`, async () => {
        const host = (await workbook()).target.host(spec.name);
        const { stdout } = await host.run(sh`stat -c '%U %a' ${DATA_DIR}`, { check: false });
        assert.equal(stdout.trim(), 'postgres 700', `${DATA_DIR}: ${stdout.trim() || 'missing'}`);
      });

      it('has the patroni unit, enabled at boot', async () => {
        const host = (await workbook()).target.host(spec.name);
        const unit = await host.readFile('/etc/systemd/system/patroni.service');
        assert.ok(unit, '/etc/systemd/system/patroni.service is missing');
        assert.match(unit, new RegExp(`^ExecStart=/usr/bin/patroni ${PATRONI_CONFIG}$`, 'm'));
        assert.match(unit, /^WantedBy=multi-user\.target$/m);
        assert.equal(await host.services.isEnabled('patroni'), true, 'patroni is not enabled: systemctl enable patroni');
      });
    });
  }
});
