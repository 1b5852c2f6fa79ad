import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { appUser, describeCluster, type Observation, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import {
  AROUND_SECONDS,
  rowsAroundPromotions,
  type TimelineSwitch,
  timelineHistory,
  writeProbe,
} from '../lib/cluster/history.ts';
import { runningProfile, settingsDifferences } from '../lib/drill/profile.ts';
import { DRILL_TABLE } from '../lib/drill/run.ts';
import { addressOf } from '../lib/ip-plan.ts';

/**
 * Judges the machines, not the drill's record: a drill run by hand (the writer of chapter 10 on
 * `drill_writes`, a fault on the leader) passes as well as the step's or `npm run drill`'s.
 * Which fault it was, and that no acknowledged write was lost, only the writer knows: the step
 * and `npm run drill` fail when one is missing.
 */
describe('chapter 16: the cluster came back from a drill on its leader, with every node', () => {
  let cluster: Observation;
  let leader: string;
  let history: TimelineSwitch[];

  before(async () => {
    cluster = await waitHealthy(60000);
    assert.ok(cluster.leader, describeCluster(cluster));
    leader = cluster.leader.name;
    history = await timelineHistory(leader);
  });

  it(`a replica took over while a client wrote: ${DRILL_TABLE} holds rows committed before a promotion and after it`, async () => {
    const { secrets } = await workbook();
    const counts = await rowsAroundPromotions(appUser(secrets), DRILL_TABLE, history).catch((error: Error) => {
      if (/does not exist/.test(error.message))
        assert.fail(
          `table ${DRILL_TABLE} does not exist in appdb: no drill has run yet. Run \`npm run chapter 16\`, or a drill by hand with the writer on ${DRILL_TABLE}`,
        );
      throw error;
    });
    assert.ok(
      counts.some((c) => c.before > 0 && c.after > 0),
      `no promotion happened while ${DRILL_TABLE} was being written (rows within ${AROUND_SECONDS} s of it; ${counts.map((c) => `timeline ${c.promotion.timeline} → ${c.promotion.newLeader}: ${c.before} rows before, ${c.after} after`).join('; ') || 'no promotion in the history'}): break the leader while the writer runs`,
    );
  });

  it('took the old leader back: every other node streams from the leader on its timeline', () => {
    const replicas = (cluster.members ?? []).filter((m) => m.name !== leader).map((m) => m.name);
    assert.deepEqual(
      [...cluster.streaming].sort(),
      replicas.sort(),
      `${describeCluster(cluster)}: read /var/log/patroni.log (the lab) or journalctl -u patroni (a VM) on the node that is missing`,
    );
  });

  it('routes port 5000 to the current leader, and takes writes there', async () => {
    const { secrets } = await workbook();
    await waitHaproxyOn(leader);
    const server = await writeProbe(appUser(secrets), DRILL_TABLE);
    assert.equal(server, addressOf(leader), `a write through port 5000 landed on ${server}, the leader is ${leader}`);
  });

  it("runs a profile this chapter teaches: Patroni's timings and HAProxy's checks agree (guide or fast); synchronous and failsafe mode either way", async () => {
    // Not a check that the guide profile is back: synchronous_mode (or the fast profile) is a
    // healthy state this chapter teaches. It fails on a half-switched cluster, as an
    // interrupted drill leaves it.
    const { target } = await workbook();
    const taught = await runningProfile(target);
    assert.ok(
      taught,
      `the cluster runs no profile of this chapter: ${(await settingsDifferences(target)).join('; ')}. Run \`npm run drill -- --restore\` for the guide profile`,
    );
  });
});
