import assert from 'node:assert/strict';
import { workbook } from '../lib/check-context.ts';
import { patroniGet } from '../lib/clients/patroni.ts';
import { type FailoverRecord, failoverRecordPath, readFailoverRecord } from '../lib/cluster/failover-record.ts';
import { appUser, describe as describeCluster, type Observation, waitHaproxyOn, waitHealthy } from '../lib/cluster/health.ts';
import { lostWrites } from '../lib/cluster/writer.ts';
import { POSTGRES_NODES } from '../lib/inventory.ts';

describe('chapter 10: the cluster survived a failover', () => {
  let record: FailoverRecord;
  let cluster: Observation;

  before(async () => {
    const { target } = await workbook();
    const found = await readFailoverRecord(target.name);
    assert.ok(found, `no failover has been run yet (${failoverRecordPath(target.name)} is missing): run \`npm run chapter 10\``);
    record = found;
    cluster = await waitHealthy(60000);
  });

  it('moved the leadership off the node that was stopped', () => {
    assert.notEqual(record.newLeader, record.oldLeader);
  });

  it('has a new timeline in the leader history (a promotion happened)', async () => {
    const leader = POSTGRES_NODES.find((n) => n.name === cluster.leader?.name);
    assert.ok(leader, describeCluster(cluster));
    const history = (await patroniGet(leader.address, '/history')).json<unknown[]>();
    assert.ok(history.length >= 1, 'Patroni /history is empty: no failover happened');
  });

  it('took the old leader back as a streaming replica', () => {
    // A later failover (chapter 16's drills) may have made it the leader again: back all the same.
    assert.ok(
      cluster.streaming.includes(record.oldLeader) || cluster.leader?.name === record.oldLeader,
      `${record.oldLeader} is not streaming: ${describeCluster(cluster)}`,
    );
  });

  it('routes port 5000 to the current leader', async () => {
    assert.ok(cluster.leader);
    await waitHaproxyOn(cluster.leader.name);
  });

  it('lost no acknowledged write: every id the writer saw committed is on the leader', async () => {
    const { secrets } = await workbook();
    assert.ok(record.acknowledged.length > 10, `the writer only got ${record.acknowledged.length} writes acknowledged`);
    const lost = await lostWrites(appUser(secrets), record.table, record.acknowledged);
    assert.deepEqual(lost, [], `${lost.length} acknowledged writes are missing`);
  });
});
