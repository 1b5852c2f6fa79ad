import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { query } from '../lib/clients/sql.ts';
import { waitFor } from '../lib/clients/wait.ts';
import { appUser, describeCluster, type Observation, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import {
  AROUND_SECONDS,
  leaderBeforeLastPromotion,
  primaryTimeline,
  rowsAroundPromotions,
  type TimelineSwitch,
  timelineHistory,
} from '../lib/cluster/history.ts';
import { PORTS } from '../lib/ip-plan.ts';

/** The table the writer of chapter 10 fills, by hand (terminal 1) and in the step alike. */
const TABLE = 'failover_test';

/**
 * Judges the machines, not a record: whoever made the failover, by hand or with the step, the
 * cluster itself shows it. Any later failover or switchover (chapters 12 and 16) keeps it true.
 */
describe('chapter 10: the cluster survived a failover', () => {
  let cluster: Observation;
  let leader: string;
  let history: TimelineSwitch[];

  let timeline: number;

  before(async () => {
    const { secrets } = await workbook();
    cluster = await waitHealthy(60000);
    assert.ok(cluster.leader, describeCluster(cluster));
    leader = cluster.leader.name;
    timeline = await primaryTimeline(secrets, leader);
    // The new leader adds its promotion to the history in the HA loop after it: a moment later.
    history = await waitFor(
      'Patroni to list the promotion in its history',
      async () => {
        const seen = await timelineHistory(leader);
        return timeline === 1 || ((seen.at(-1)?.timeline ?? 0) < timeline && seen.at(-1)?.newLeader === leader)
          ? seen
          : undefined;
      },
      { timeoutMs: 30000 },
    ).catch(() => timelineHistory(leader));
  });

  it("promoted a replica: the leader writes on a timeline above 1, and Patroni's history lists the promotion", () => {
    assert.ok(
      history.length >= 1 && timeline > 1,
      `no failover has happened yet: ${leader} writes on timeline ${timeline} and \`patronictl history\` is empty. Stop Patroni on the leader (chapter 10, terminal 3), or run \`npm run chapter 10\``,
    );
    const last = history.at(-1);
    assert.ok(
      last && timeline > last.timeline,
      `the history ends with timeline ${last?.timeline}, but ${leader} writes on ${timeline}`,
    );
    assert.equal(last.newLeader, leader, `the last promotion made ${last.newLeader} the leader, yet ${leader} leads`);
  });

  it('took the old leader back: every other node streams from the leader on its timeline', () => {
    // waitHealthy proved every node but the leader streams on the leader's timeline. The old
    // leader is one of them: the history says the leader now is the node promoted last.
    const before = leaderBeforeLastPromotion(history);
    const replicas = (cluster.members ?? []).filter((m) => m.name !== leader).map((m) => m.name);
    assert.deepEqual(
      [...cluster.streaming].sort(),
      replicas.sort(),
      `${describeCluster(cluster)}: read the log of the node that is missing (/var/log/patroni.log in the lab, journalctl -u patroni on a VM)`,
    );
    // A leader that demoted itself and won the next election (etcd lost for a while, chapter 16)
    // is the leader before the last promotion and the leader now: it has nothing to rejoin.
    if (before && before !== leader)
      assert.ok(cluster.streaming.includes(before), `${before}, the leader before the last promotion, is not streaming`);
  });

  it('routes port 5000 to the current leader', async () => {
    await waitHaproxyOn(leader);
  });

  it(`kept the writes made before the promotion: ${TABLE} holds rows committed before it`, async () => {
    const { secrets } = await workbook();
    const counts = await rowsAroundPromotions(appUser(secrets), TABLE, history).catch((error: Error) => {
      if (/does not exist/.test(error.message))
        assert.fail(
          `table ${TABLE} does not exist in appdb: start the writer of chapter 10 (terminal 1 creates and fills it) before you stop the leader`,
        );
      throw error;
    });
    const survived = counts.filter((c) => c.before > 0);
    assert.ok(
      survived.length > 0,
      `${TABLE} holds no row written in the ${AROUND_SECONDS} s before a promotion (${counts.map((c) => `timeline ${c.promotion.timeline} → ${c.promotion.newLeader}: ${c.before} before, ${c.after} after`).join('; ') || 'no promotion'}): keep the writer of terminal 1 running while you stop the leader`,
    );
  });

  it(`accepts new writes through port 5000, and a replica sees them through port 5001`, async () => {
    const { secrets } = await workbook();
    const id = -Date.now();
    await query(appUser(secrets), `insert into ${TABLE} (id) values ($1)`, [id]).catch((error: Error) => {
      if (/does not exist/.test(error.message))
        assert.fail(`table ${TABLE} does not exist in appdb: chapter 10's writer creates it`);
      throw error;
    });
    try {
      await waitFor(
        'the new row on a replica',
        async () => {
          const rows = await query(appUser(secrets, PORTS.haproxyReplicas), `select 1 from ${TABLE} where id = $1`, [id]);
          return rows.length === 1 ? true : undefined;
        },
        { timeoutMs: 10000, intervalMs: 200 },
      );
    } finally {
      await query(appUser(secrets), `delete from ${TABLE} where id = $1`, [id]);
    }
  });
});
