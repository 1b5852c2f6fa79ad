import assert from 'node:assert/strict';
import pg from 'pg';
import { workbook } from '../lib/check-context.ts';
import { assertClusterAddress } from '../lib/clients/guard.ts';
import { clientConfig, query } from '../lib/clients/sql.ts';
import { type FailoverRecord, failoverRecordPath, readFailoverRecord } from '../lib/cluster/failover-record.ts';
import { APP, appViaPgbouncer, superuser, waitHealthy } from '../lib/cluster/health.ts';
import { lostWrites } from '../lib/cluster/writer.ts';
import { POOL_SIZE } from '../lib/config/pgbouncer.ts';
import { addressOf, HAPROXY_NODE, PORTS } from '../lib/inventory.ts';

const CLIENTS = 40;

describe('chapter 12: PgBouncer pools client connections', () => {
  it(`logs the application in through PgBouncer on ${HAPROXY_NODE.address}:${PORTS.pgbouncer} with scram-sha-256`, async () => {
    const { secrets } = await workbook();
    const [row] = await query<{ db: string; recovery: boolean }>(
      appViaPgbouncer(secrets),
      'select current_database() as db, pg_is_in_recovery() as recovery',
    );
    assert.equal(row.db, APP.database);
    assert.equal(row.recovery, false, 'PgBouncer should reach the leader through HAProxy');
  });

  it('refuses a wrong password', async () => {
    const { secrets } = await workbook();
    await assert.rejects(
      query({ ...appViaPgbouncer(secrets), password: `${secrets.app}x` }, 'select 1'),
      /password authentication failed|SASL authentication failed/,
    );
  });

  it(`maps ${CLIENTS} client connections to at most ${POOL_SIZE} server connections`, async () => {
    const { secrets } = await workbook();
    await assertClusterAddress(HAPROXY_NODE.address);
    const clients = Array.from(
      { length: CLIENTS },
      () => new pg.Client(clientConfig(appViaPgbouncer(secrets), { connectMs: 5000, queryMs: 10000 })),
    );
    try {
      await Promise.all(clients.map((c) => c.connect()));
      await Promise.all(clients.map((c) => c.query('select pg_sleep(0.2)')));
      const { leader } = await waitHealthy();
      assert.ok(leader);
      const [row] = await query<{ n: string }>(
        superuser(secrets, addressOf(leader.name)),
        'select count(*) as n from pg_stat_activity where usename = $1 and datname = $2',
        [APP.user, APP.database],
      );
      assert.ok(Number(row.n) >= 1 && Number(row.n) <= POOL_SIZE, `${row.n} server connections for ${CLIENTS} clients`);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    }
  });

  describe('a switchover seen through PgBouncer', () => {
    let record: FailoverRecord;
    before(async () => {
      const { target } = await workbook();
      const found = await readFailoverRecord(target.name, 'pgbouncer-failover');
      assert.ok(
        found,
        `no switchover through PgBouncer has been run (${failoverRecordPath(target.name, 'pgbouncer-failover')} is missing)`,
      );
      record = found;
    });

    it('moved the leader and the client got its writes through again', () => {
      assert.notEqual(record.newLeader, record.oldLeader);
      assert.ok(record.acknowledged.length > 5, `only ${record.acknowledged.length} writes acknowledged`);
    });

    it('lost no acknowledged write', async () => {
      const { secrets } = await workbook();
      const lost = await lostWrites(
        { ...superuser(secrets, HAPROXY_NODE.address, PORTS.haproxyPrimary), database: APP.database },
        record.table,
        record.acknowledged,
      );
      assert.deepEqual(lost, []);
    });
  });
});
