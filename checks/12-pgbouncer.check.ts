import assert from 'node:assert/strict';
import pg from 'pg';
import { workbook } from '../lib/check-context.ts';
import { assertClusterAddress } from '../lib/clients/guard.ts';
import { clientConfig, query } from '../lib/clients/sql.ts';
import { APP, appViaPgbouncer, superuser, waitHealthy } from '../lib/cluster/health.ts';
import {
  AROUND_SECONDS,
  rowsAroundPromotions,
  type TimelineSwitch,
  timelineHistory,
  writeProbe,
} from '../lib/cluster/history.ts';
import { POOL_SIZE } from '../lib/config/pgbouncer.ts';
import { addressOf, HAPROXY_NODE, HAPROXY_NODES, PORTS } from '../lib/ip-plan.ts';

const CLIENTS = 40;
/** The table the writer of chapter 12 fills through PgBouncer, by hand and in the step alike. */
const TABLE = 'pgbouncer_test';

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
        // Only this PgBouncer's pool: haproxynode2's (chapter 13) has a pool of its own.
        'select count(*) as n from pg_stat_activity where usename = $1 and datname = $2 and client_addr <> all($3::inet[])',
        [APP.user, APP.database, HAPROXY_NODES.filter((h) => h.name !== HAPROXY_NODE.name).map((h) => h.address)],
      );
      assert.ok(Number(row.n) >= 1 && Number(row.n) <= POOL_SIZE, `${row.n} server connections for ${CLIENTS} clients`);
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    }
  });

  describe('a switchover seen through PgBouncer', () => {
    let history: TimelineSwitch[];

    before(async () => {
      const { leader } = await waitHealthy(60000);
      assert.ok(leader);
      history = await timelineHistory(leader.name);
    });

    it(`kept writing through it: ${TABLE} holds rows committed before a change of leader and after it`, async () => {
      const { secrets } = await workbook();
      const counts = await rowsAroundPromotions(appViaPgbouncer(secrets), TABLE, history).catch((error: Error) => {
        if (/does not exist/.test(error.message))
          assert.fail(
            `table ${TABLE} does not exist in appdb: start the writer of chapter 12 (it creates and fills it through PgBouncer), then run the switchover`,
          );
        throw error;
      });
      assert.ok(
        counts.some((c) => c.before > 0 && c.after > 0),
        `no change of leader happened while ${TABLE} was being written (rows within ${AROUND_SECONDS} s of it; ${counts.map((c) => `timeline ${c.promotion.timeline} → ${c.promotion.newLeader}: ${c.before} rows before, ${c.after} after`).join('; ') || 'no promotion in the history'}): keep the writer running through \`patronictl switchover\``,
      );
    });

    it('takes writes through PgBouncer now, on the leader', async () => {
      const { secrets } = await workbook();
      const { leader } = await waitHealthy();
      assert.ok(leader);
      const server = await writeProbe(appViaPgbouncer(secrets), TABLE);
      assert.equal(server, addressOf(leader.name), `PgBouncer wrote on ${server}, the leader is ${leader.name}`);
    });
  });
});
