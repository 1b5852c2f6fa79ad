import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { BIN_DIR } from '../lib/config/patroni.ts';
import { sh } from '../lib/host/shell.ts';
import { POSTGRES_NODES } from '../lib/ip-plan.ts';
import { missingPackages, ROLE_PACKAGES } from '../lib/packages.ts';

describe('chapter 2: PostgreSQL and Patroni on node1, node2, node3', () => {
  for (const spec of POSTGRES_NODES) {
    describe(spec.name, () => {
      it(`has ${ROLE_PACKAGES.postgres.join(', ')} installed`, async () => {
        const host = (await workbook()).target.host(spec.name);
        const missing = await missingPackages((c, o) => host.run(c, o), ROLE_PACKAGES.postgres);
        assert.deepEqual(missing, [], `missing on ${spec.name}: ${missing.join(' ')}`);
      });

      it('has PostgreSQL 15 server binaries, Patroni 3 and the etcd client library for /usr/bin/python3', async () => {
        const host = (await workbook()).target.host(spec.name);
        const pg = await host.run(sh`${BIN_DIR}/postgres --version`);
        assert.match(pg.stdout, /PostgreSQL\) 15\./);
        const patroni = await host.run('patroni --version');
        assert.match(patroni.stdout, /patroni 3\./);
        await host.run('/usr/bin/python3 -c "import etcd"');
      });

      it('runs no PostgreSQL cluster of its own (Patroni will create the only one)', async () => {
        const host = (await workbook()).target.host(spec.name);
        const clusters = await host.run('pg_lsclusters --no-header');
        const online = clusters.stdout.split('\n').filter((l) => /\bonline\b/.test(l));
        assert.deepEqual(
          online,
          [],
          `a default cluster is running on ${spec.name}: remove it (pg_dropcluster --stop 15 main) and set create_main_cluster = false in /etc/postgresql-common/createcluster.conf`,
        );
      });
    });
  }
});
