import assert from 'node:assert/strict';
import { clusterMembers, describeMembers, leaderOf } from '../../lib/clients/patroni.ts';
import { patchDcsConfig, readDcsConfig } from '../../lib/clients/patroni-dcs-config.ts';
import { waitFor } from '../../lib/clients/wait.ts';
import { observe, waitHaproxyOn, waitHealthy } from '../../lib/cluster/health.ts';
import { timelineHistory } from '../../lib/cluster/history.ts';
import { switchover } from '../../lib/cluster/switchover.ts';
import { settingsDifferences } from '../../lib/drill/profile.ts';
import { restoreGuideSettings, runDrill } from '../../lib/drill/run.ts';
import { addressOf } from '../../lib/ip-plan.ts';
import { loadSecrets, type Secrets } from '../../lib/secrets.ts';
import { openTarget, type Target } from '../../lib/target.ts';
import { npmRun } from './support.ts';

const quiet = () => {};

/** Waits until the leader in synchronous_mode has named a synchronous standby, and returns the members. */
async function waitSyncStandby(timeoutMs = 60000) {
  let seen = '';
  return waitFor(
    'a leader and a sync_standby',
    async () => {
      const members = await clusterMembers();
      seen = describeMembers(members);
      return members && leaderOf(members) && members.some((m) => m.role === 'sync_standby') ? members : undefined;
    },
    { timeoutMs },
    () => seen,
  );
}

/**
 * Every check accepts every state the workbook teaches as healthy. On the cluster the chapters
 * built (all sixteen: three etcd members, PgBouncer, the virtual IP, TLS), chapter 16's
 * synchronous_mode is turned on, the leadership moves twice (a switchover, then a crash of the
 * leader), and `npm run check all` must stay green. Afterwards synchronous_mode is off again,
 * whatever happened. Every wait is bounded; the crash heals itself (the drill's own fault code).
 */
describe('lab: the checks accept synchronous replication and a moved leader', function () {
  this.timeout(300000);
  let target: Target;
  let secrets: Secrets;
  let firstLeader: string;

  before(async () => {
    target = await openTarget('lab');
    await target.assertUp();
    secrets = await loadSecrets('lab');
    const { leader } = await waitHealthy(120000);
    assert.ok(leader);
    firstLeader = leader.name;
  });

  after(async () => {
    await restoreGuideSettings(target, secrets).catch((e: Error) => console.log(`      (restore failed: ${e.message})`));
  });

  it("turns synchronous_mode on through Patroni's dynamic configuration: a replica becomes sync_standby", async () => {
    const { leader } = await waitHealthy();
    assert.ok(leader);
    const patched = await patchDcsConfig(addressOf(leader.name), { synchronous_mode: true }, secrets);
    assert.equal(patched.synchronous_mode, true);
    // GET /config on another node answers from that Patroni's cache of etcd, which follows within moments.
    await waitFor(
      'GET /config to show synchronous_mode',
      async () => ((await readDcsConfig()).synchronous_mode === true ? true : undefined),
      {
        timeoutMs: 10000,
      },
    );
    const members = await waitSyncStandby();
    console.log(`      (${describeMembers(members)})`);
  });

  it('a switchover moves the leadership to the synchronous standby, and the cluster heals', async () => {
    const members = await waitSyncStandby();
    const leader = leaderOf(members)?.name as string;
    const newLeader = await switchover(leader);
    assert.notEqual(newLeader, leader);
    const healthy = await waitHealthy(120000);
    assert.ok(healthy.leader);
    await waitHaproxyOn(healthy.leader.name);
    await waitSyncStandby();
    console.log(`      (${leader} → ${newLeader})`);
  });

  it('a crash of the leader (kill -9 of Patroni and PostgreSQL): the synchronous standby takes over, nothing is lost', async () => {
    const record = await runDrill(
      { fault: 'crash', profile: 'guide', sync: true, failsafe: false, keep: true, target: 'lab' },
      target,
      secrets,
      quiet,
    );
    console.log(
      `      (${record.oldLeader} → ${record.newLeader}, ${record.metrics.acknowledged} acked, ${record.lost.length} lost)`,
    );
    assert.ok(record.healthy, `the cluster did not heal: ${record.notes.join('; ')}`);
    assert.notEqual(record.newLeader, record.oldLeader);
    assert.deepEqual(record.lost, []);
    await waitSyncStandby();
  });

  it('`npm run check all` is green, with synchronous_mode on and the leader moved', async () => {
    const now = await observe();
    const history = await timelineHistory(now.leader?.name as string);
    console.log(
      `      (before the checks: ${describeMembers(now.members)}; leader at the start: ${firstLeader}; ${history.length} promotions in the history)`,
    );
    assert.ok(
      now.members?.some((m) => m.role === 'sync_standby'),
      'no sync_standby: the state under test is gone',
    );
    const { code, output } = await npmRun('check', 'all');
    const failing = output.split('\n').filter((l) => /^\s+\d+\) |Error|✗|failing/.test(l));
    assert.equal(code, 0, `npm run check all failed:\n${failing.join('\n')}\n${output.slice(-4000)}`);
    console.log(`      (npm run check all: ${output.match(/\d+ passing[^\n]*/g)?.join(', ')})`);
    assert.match(output, /passing/);
    assert.doesNotMatch(output, /\d+ failing/);
  });

  it('puts synchronous_mode off again: the guide profile, as every chapter leaves it', async () => {
    await restoreGuideSettings(target, secrets);
    assert.deepEqual(await settingsDifferences(target), []);
    assert.notEqual((await readDcsConfig()).synchronous_mode, true);
    await waitHealthy(60000);
  });
});
