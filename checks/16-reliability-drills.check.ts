import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { appUser, describe as describeCluster, type Observation, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { lostWrites } from '../lib/cluster/writer.ts';
import { runningProfile, settingsDifferences } from '../lib/drill/profile.ts';
import { type DrillRecord, readReliabilityRecord, reliabilityRecordPath } from '../lib/drill/record.ts';

describe('chapter 16: the cluster survived a crash of its leader without losing a write', () => {
  let record: DrillRecord;
  let cluster: Observation;

  before(async () => {
    const { target } = await workbook();
    const found = await readReliabilityRecord(target.name);
    assert.ok(
      found,
      `no reliability drill has run yet (${reliabilityRecordPath(target.name)} is missing): run \`npm run chapter 16\``,
    );
    record = found;
    cluster = await waitHealthy(60000);
  });

  it('crashed the leader with synchronous_mode on, and a replica took over', () => {
    assert.equal(record.options.fault, 'crash');
    assert.equal(record.options.sync, true);
    assert.notEqual(record.newLeader, record.oldLeader, `${record.oldLeader} is still the leader: no failover happened`);
    assert.notEqual(record.metrics.backAfterSeconds, null, `writes never succeeded again: ${record.notes.join('; ')}`);
  });

  it('lost no acknowledged write: every id the writer saw committed is on the leader', async () => {
    const { secrets } = await workbook();
    const acknowledged = record.attempts.filter((a) => a.ok).map((a) => a.id);
    assert.ok(acknowledged.length > 10, `the writer only got ${acknowledged.length} writes acknowledged`);
    assert.deepEqual(record.lost, [], `the drill found ${record.lost.length} acknowledged writes missing`);
    const lost = await lostWrites(appUser(secrets), record.table, acknowledged);
    assert.deepEqual(lost, [], `${lost.length} acknowledged writes are missing on the leader now`);
  });

  it('took the crashed node back as a streaming replica', () => {
    assert.ok(
      cluster.streaming.includes(record.oldLeader) || cluster.leader?.name === record.oldLeader,
      `${record.oldLeader} is not streaming: ${describeCluster(cluster)}. Read /var/log/patroni.log on ${record.oldLeader}`,
    );
  });

  it('routes port 5000 to the current leader', async () => {
    assert.ok(cluster.leader);
    await waitHaproxyOn(cluster.leader.name);
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
